// Wiring: the chosen target's code and clients are loaded only for that target, prepared once (read only,
// before the image exists), then driven by the one driver.
import * as core from '@actions/core';
import { clientConfig, createEcsClient } from '../aws/clients.ts';
import type { Inputs } from '../inputs.ts';
import { systemClock } from './clock.ts';
import { runTarget } from './driver.ts';
import { actionsLog } from './log.ts';
import type { DeployImage, TargetPort } from './target.ts';
import type { DeployResult, DeployTarget } from './types.ts';

/** A target checked and ready: what it is, and how to deploy an image to it. */
export interface PreparedDeploy {
  readonly title: string;
  /** `signal`: the step is cancelled (see DriverOptions). */
  deploy(image: DeployImage, signal?: AbortSignal): Promise<DeployResult[]>;
  /** Every unit's result when the deploy never started (the step was cancelled before it). */
  notDeployed(status: 'cancelled', reason: string): DeployResult[];
}

export function notDeployed<Unit>(port: TargetPort<Unit, unknown, unknown>): PreparedDeploy['notDeployed'] {
  return (status, reason) =>
    port.units.map(
      (unit) =>
        ({
          ...port.details(unit, undefined, status),
          name: port.nameOf(unit),
          status,
          rolledBack: false,
          durationSeconds: 0,
          reason,
        }) as DeployResult,
    );
}

function runUrl(env: NodeJS.ProcessEnv): string {
  return `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${env.GITHUB_REPOSITORY ?? ''}/actions/runs/${env.GITHUB_RUN_ID ?? ''}`;
}

/**
 * Reads the target (cluster, services or Deployments, access, task definition files) and checks the
 * container selection against the repository. Nothing is changed; errors name the input to fix.
 */
export async function prepareDeploy(
  inputs: Inputs & { readonly target: DeployTarget },
  env: NodeJS.ProcessEnv,
  repositoryUri: string,
): Promise<PreparedDeploy> {
  const { target } = inputs;
  const driver = { deploy: inputs.deploy, clock: systemClock, log: actionsLog };
  const common = { region: inputs.region, clock: systemClock, log: actionsLog, repositoryUri };
  if (target.kind === 'ecs') {
    const [{ prepareEcsTarget }, ecs] = await Promise.all([
      import('../ecs/target.ts'),
      createEcsClient({ region: inputs.region, env }),
    ]);
    const port = await prepareEcsTarget({
      ...common,
      ecs,
      target,
      preDeployTimeoutMs: inputs.deploy.timeoutMs,
      env,
    });
    return {
      title: `Deploy to ECS: ${target.services.join(', ')} in ${target.cluster}`,
      deploy: (image, signal) => runTarget(port, image, { ...driver, signal }),
      notDeployed: notDeployed(port),
    };
  }
  const [{ prepareEksTarget, connectToCluster, stsCaller }, { EKSClient }] = await Promise.all([
    import('../eks/target.ts'),
    import('@aws-sdk/client-eks'),
  ]);
  const eks = new EKSClient(clientConfig({ region: inputs.region, env }));
  const { kube, server } = await connectToCluster({
    eks,
    target,
    region: inputs.region,
    env,
    clock: systemClock,
  });
  const port = await prepareEksTarget({
    ...common,
    target,
    env,
    runUrl: runUrl(env),
    callerArn: stsCaller({ region: inputs.region, env }),
    kube,
    server,
  });
  return {
    title: `Deploy to EKS: ${target.manifests ? `manifests ${target.manifests.entries.join(', ')}` : target.deployments.join(', ')} in ${target.cluster}/${target.namespace}`,
    deploy: (image, signal) => runTarget(port, image, { ...driver, signal }),
    notDeployed: notDeployed(port),
  };
}

/** Deploys in its own log group; every unit ends with a result (the driver never throws). */
export async function deploy(
  prepared: PreparedDeploy,
  image: DeployImage,
  signal?: AbortSignal,
): Promise<DeployResult[]> {
  core.startGroup(prepared.title);
  try {
    return await prepared.deploy(image, signal);
  } finally {
    core.endGroup();
  }
}
