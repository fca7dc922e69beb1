// What a deploy works with: the targets as the inputs describe them, the options every target shares, and
// the results the step reports. Types only.
import type { KeyValue } from '../image/types.ts';
import type { AutoScalingSettings } from '../ecs/scaling-settings.ts';
import type { ContainerRender } from '../ecs/render-container.ts';

/**
 * Values of the `rollout-status` output. `unverified`: the outcome could not be read before the deadline
 * (API errors, credentials gone); nothing is rolled back on it. `cancelled`: the step was stopped (SIGINT/SIGTERM).
 */
export type RolloutStatus =
  'completed' | 'failed' | 'rolled-back' | 'timed-out' | 'unverified' | 'unchanged' | 'started' | 'cancelled';

export type ResultStatus = RolloutStatus | 'dry-run';

/** How every target waits and recovers; read once from the inputs. */
export interface DeployOptions {
  readonly wait: boolean;
  readonly timeoutMs: number;
  /** Definitive failures of our revision that end the wait early; 0 disables. */
  readonly failFastAfter: number;
  readonly rollbackOnFailure: boolean;
  /** On SIGINT/SIGTERM, start the rollback of a change in flight before the step ends. */
  readonly rollbackOnCancel?: boolean;
  readonly dryRun: boolean;
}

/** `name` (gets the new image) or `name=image` (gets that image) lines of the `containers` input. */
export interface ContainerSelection {
  readonly name: string;
  readonly image: string | undefined;
}

/** CloudWatch alarms watched during and after the rollout (`alarms`, `bake-time`). */
export interface AlarmWatch {
  readonly names: readonly string[];
  /** How long the alarms are watched after the rollout completed; 0: no bake. */
  readonly bakeTimeMs: number;
  /** ECS's deployment alarms roll back on ALARM (follows `rollback-on-failure`). */
  readonly rollback: boolean;
}

export interface EcsTargetInputs {
  readonly kind: 'ecs';
  readonly cluster: string;
  readonly services: readonly string[];
  /** Absolute task-definition file per service; a service without one deploys its current task definition. */
  readonly taskDefinitionFiles: ReadonlyMap<string, string>;
  readonly containers: readonly ContainerSelection[];
  readonly environment: readonly KeyValue[];
  /** `secrets`, `docker-labels`, `log-configuration-*`, `command`: set on the same containers as the image. */
  readonly render?: ContainerRender;
  readonly forceNewDeployment: boolean;
  readonly desiredCount: number | undefined;
  /** A one-off task's command (JSON array) run before any service is updated. */
  readonly preDeployCommand: readonly string[] | undefined;
  /** The `auto-scaling` input: Application Auto Scaling kept for every service. */
  readonly autoScaling?: AutoScalingSettings | undefined;
  readonly alarms?: AlarmWatch;
}

/** The `manifests` input and what goes with it: objects applied server-side, then waited for. */
export interface ManifestsInputs {
  /** Files, folders and globs, as given (relative to `cwd`). */
  readonly entries: readonly string[];
  readonly cwd: string;
  /** `force-conflicts`: take over fields other managers own instead of failing. */
  readonly forceConflicts: boolean;
  /** `prune`: delete what an earlier run applied and the manifests no longer have. */
  readonly prune: boolean;
}

export interface EksTargetInputs {
  readonly kind: 'eks';
  readonly cluster: string;
  readonly namespace: string;
  /** Deployments whose image is patched; empty when `manifests` is given. */
  readonly deployments: readonly string[];
  readonly containers: readonly ContainerSelection[];
  readonly manifests?: ManifestsInputs;
  readonly alarms?: AlarmWatch;
  /** The `auto-scaling` input: a HorizontalPodAutoscaler kept for every Deployment. */
  readonly autoScaling?: AutoScalingSettings | undefined;
}

export type DeployTarget = EcsTargetInputs | EksTargetInputs;

/** The fields every entry of the `results` output has. */
export interface ResultBase {
  /** `cluster/service` or `namespace/deployment`. */
  readonly name: string;
  readonly status: ResultStatus;
  readonly rolledBack: boolean;
  readonly durationSeconds: number;
  /** Why it failed, timed out, could not be verified or was rolled back. */
  readonly reason?: string;
  readonly consoleUrl?: string;
}

export interface EcsResult extends ResultBase {
  readonly target: 'ecs';
  readonly taskDefinitionArn?: string;
  readonly previousTaskDefinitionArn?: string;
  readonly deploymentId?: string;
  /** Application Auto Scaling as the deploy left it: `2–10 tasks, cpu 60 %, memory 70 %`. */
  readonly autoScaling?: string;
}

export interface EksResult extends ResultBase {
  readonly target: 'eks';
  readonly revision?: string;
  readonly previousRevision?: string;
  /** With `manifests`: the workload's kind (`Deployment`, `StatefulSet`, `DaemonSet`, `Job`). */
  readonly kind?: string;
  /** Dry run with `manifests`: what applying would change (a unified diff of the objects). */
  readonly diff?: string;
  /** The HorizontalPodAutoscaler as the deploy left it: `2–10 replicas, cpu 60 %`. */
  readonly autoScaling?: string;
}

/** One entry of the `results` output: one per ECS service or Kubernetes Deployment. */
export type DeployResult = EcsResult | EksResult;

/** The statuses that let the step succeed. */
export const SUCCESSFUL: ReadonlySet<ResultStatus> = new Set([
  'completed',
  'unchanged',
  'started',
  'dry-run',
]);

/** A rollout that ended in anything but success fails the step, after every target has been reported. */
export class RolloutFailedError extends Error {
  readonly results: readonly DeployResult[];
  constructor(message: string, results: readonly DeployResult[]) {
    super(message);
    this.name = 'RolloutFailedError';
    this.results = results;
  }
}
