import * as core from '@actions/core';
import { clientConfig, createEcsClient } from '../aws/clients.ts';
import type { Inputs } from '../inputs.ts';
import type { ImageReport } from '../report/image-report.ts';
import { writeDeployReport } from '../report/deploy-report.ts';
import { systemClock } from './clock.ts';
import { RolloutFailedError, type DeployResult } from './types.ts';

function runUrl(env: NodeJS.ProcessEnv): string {
  return `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${env.GITHUB_REPOSITORY ?? ''}/actions/runs/${env.GITHUB_RUN_ID ?? ''}`;
}

const GOOD = new Set<DeployResult['status']>(['completed', 'unchanged', 'started', 'dry-run']);

/** Checks the target before the image is built, so a wrong service or file fails in seconds. */
export async function preflightDeploy(
  inputs: Inputs,
  env: NodeJS.ProcessEnv,
  repositoryUri: string,
): Promise<void> {
  const target = inputs.target;
  if (!target) return;
  if (target.kind === 'eks') {
    const [{ preflightEks }, { EKSClient }] = await Promise.all([
      import('../eks/deploy.ts'),
      import('@aws-sdk/client-eks'),
    ]);
    await preflightEks({
      repositoryUri,
      eks: new EKSClient(clientConfig({ region: inputs.region, env })),
      target,
      deploy: inputs.deploy,
      region: inputs.region,
      env,
      clock: systemClock,
      runUrl: runUrl(env),
    });
    return;
  }
  const { preflightEcs } = await import('../ecs/deploy.ts');
  await preflightEcs({
    repositoryUri,
    ecs: await createEcsClient({ region: inputs.region, env }),
    target,
    deploy: inputs.deploy,
    region: inputs.region,
    clock: systemClock,
  });
}

/** Deploys the image to the chosen target, reports every result, then fails if any rollout did not complete. */
export async function runDeploy(inputs: Inputs, image: ImageReport, env: NodeJS.ProcessEnv): Promise<void> {
  const target = inputs.target;
  if (!target) return;
  const imageRef = `${image.repositoryUri}@${image.digest}`;
  let results: DeployResult[];
  if (target.kind === 'ecs') {
    core.startGroup(`Deploy to ECS: ${target.services.join(', ')} in ${target.cluster}`);
    try {
      const { deployToEcs } = await import('../ecs/deploy.ts');
      results = await deployToEcs({
        ecs: await createEcsClient({ region: inputs.region, env }),
        target,
        deploy: inputs.deploy,
        imageRef,
        repositoryUri: image.repositoryUri,
        region: inputs.region,
        clock: systemClock,
      });
    } finally {
      core.endGroup();
    }
  } else {
    core.startGroup(
      `Deploy to EKS: ${target.deployments.join(', ')} in ${target.cluster}/${target.namespace}`,
    );
    try {
      const [{ deployToEks }, { EKSClient }] = await Promise.all([
        import('../eks/deploy.ts'),
        import('@aws-sdk/client-eks'),
      ]);
      results = await deployToEks({
        eks: new EKSClient(clientConfig({ region: inputs.region, env })),
        target,
        deploy: inputs.deploy,
        imageRef,
        repositoryUri: image.repositoryUri,
        region: inputs.region,
        env,
        clock: systemClock,
        runUrl: runUrl(env),
      });
    } finally {
      core.endGroup();
    }
  }
  await writeDeployReport(results);
  const bad = results.filter((r) => !GOOD.has(r.status));
  if (bad.length > 0) {
    throw new RolloutFailedError(
      bad.map((r) => `${r.name}: ${r.status}${r.reason ? ` — ${r.reason}` : ''}`).join('\n'),
      results,
    );
  }
}
