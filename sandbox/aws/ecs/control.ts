// ECS part of the sandbox control interface. The shared `/_sandbox/...` routes live in the part-1 server, so
// ECS controls are an awsJson1_1 service of their own (target prefix `SandboxEcsControl`, signing name `ecs`,
// call-log name `ecs-control`), SigV4-signed with the sandbox credentials like any ECS call. Client:
// sandbox/aws/ecs/control-client.ts.
import { AwsError, type JsonService } from '../protocol.ts';
import type { EcsState } from './state.ts';
import type { ScriptedFailure } from './runtime.ts';
import { defaultRuntimeMode } from './containers.ts';

export const ECS_CONTROL_TARGET_PREFIX = 'SandboxEcsControl';

export interface DeploymentTimelineEntry {
  cluster: string;
  service: string;
  id: string;
  taskDefinition: string;
  status: string;
  rolloutState: string;
  rolloutStateReason: string;
  failedTasks: number;
  rollbackOf?: string;
  createdAt: string;
  completedAt?: string;
  failedAt?: string;
  supersededAt?: string;
  /** When the first task of this deployment stopped with a definitive failure, and why. */
  firstTaskStoppedAt?: string;
  firstTaskStoppedReason?: string;
  firstTaskStopCode?: string;
}

const MODES = ['cannot-pull', 'exit', 'unhealthy'];

export function createEcsControlService(s: EcsState): JsonService {
  return {
    protocol: 'json',
    name: 'ecs-control',
    signingName: 'ecs',
    targetPrefix: ECS_CONTROL_TARGET_PREFIX,
    operations: {
      GetSettings() {
        return {
          timeScale: s.timeScale,
          runtime: s.runtimeMode,
          runtimeByFamily: Object.fromEntries(s.runtimeByFamily),
          engine: s.world.dockerHost !== undefined,
        };
      },
      SetRuntime(input: { runtime?: string; family?: string }) {
        if (input.runtime !== 'real' && input.runtime !== 'simulated' && input.runtime !== 'default')
          throw new AwsError('InvalidParameterException', 'runtime must be one of real, simulated, default.');
        if (input.family) {
          if (input.runtime === 'default') s.runtimeByFamily.delete(input.family);
          else s.runtimeByFamily.set(input.family, input.runtime);
        } else {
          s.runtimeMode = input.runtime === 'default' ? defaultRuntimeMode() : input.runtime;
        }
        return { runtime: s.runtimeMode, runtimeByFamily: Object.fromEntries(s.runtimeByFamily) };
      },
      SetTimeScale(input: { timeScale?: number }) {
        const scale = Number(input.timeScale);
        if (!(scale > 0 && scale <= 10))
          throw new AwsError('InvalidParameterException', 'timeScale must be in (0, 10].');
        s.timeScale = scale;
        return { timeScale: s.timeScale };
      },
      FailNextTasks(input: { taskDefinition?: string; count?: number; mode?: string; exitCode?: number }) {
        if (!input.taskDefinition)
          throw new AwsError('InvalidParameterException', 'taskDefinition is required.');
        if (!input.mode || !MODES.includes(input.mode)) {
          throw new AwsError('InvalidParameterException', `mode must be one of ${MODES.join(', ')}.`);
        }
        const failure: ScriptedFailure =
          input.mode === 'exit'
            ? { mode: 'exit', exitCode: input.exitCode ?? 1 }
            : { mode: input.mode as 'cannot-pull' | 'unhealthy' };
        const count = input.count ?? 1;
        if (!Number.isInteger(count) || count < 1)
          throw new AwsError('InvalidParameterException', 'count must be a positive integer.');
        s.scripted.push({ taskDefinition: input.taskDefinition, remaining: count, failure });
        return { scripted: s.scripted.filter((r) => r.remaining > 0).length };
      },
      ClearScriptedFailures() {
        s.scripted.length = 0;
        return {};
      },
      GetDeploymentTimeline(input: { cluster?: string; service?: string }) {
        const out: DeploymentTimelineEntry[] = [];
        for (const byName of s.services.values()) {
          for (const svc of byName.values()) {
            const cluster = svc.clusterArn.split('/').pop()!;
            if (input.cluster && input.cluster !== cluster && input.cluster !== svc.clusterArn) continue;
            if (input.service && input.service !== svc.name && input.service !== svc.arn) continue;
            for (const d of [...svc.history].reverse()) {
              out.push({
                cluster,
                service: svc.name,
                id: d.id,
                taskDefinition: d.taskDefinitionArn,
                status: d.status,
                rolloutState: d.rolloutState,
                rolloutStateReason: d.rolloutStateReason,
                failedTasks: d.failedTasks,
                ...(d.rollbackOf ? { rollbackOf: d.rollbackOf } : {}),
                createdAt: d.createdAt.toISOString(),
                ...(d.completedAt ? { completedAt: d.completedAt.toISOString() } : {}),
                ...(d.failedAt ? { failedAt: d.failedAt.toISOString() } : {}),
                ...(d.supersededAt ? { supersededAt: d.supersededAt.toISOString() } : {}),
                ...(d.firstTaskStoppedAt ? { firstTaskStoppedAt: d.firstTaskStoppedAt.toISOString() } : {}),
                ...(d.firstTaskStoppedReason ? { firstTaskStoppedReason: d.firstTaskStoppedReason } : {}),
                ...(d.firstTaskStopCode ? { firstTaskStopCode: d.firstTaskStopCode } : {}),
              });
            }
          }
        }
        return { deployments: out };
      },
    },
  };
}
