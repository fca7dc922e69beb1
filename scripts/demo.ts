// The action's main job on the embedded sandbox: start it, create an ECS service (cluster `demo`, service
// `web`), run the bundled dist/ as the runner does on the sample app (a tag push of v1.0.0: build, push, tag,
// deploy to that service and wait), print the outputs and the job summary, and stop what was started.
import { execFileSync } from 'node:child_process';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { join } from 'node:path';
import {
  startSandbox,
  stopSandbox,
  sandboxEnv,
  readState,
  isHealthy,
  defaultDir,
  REPO_ROOT,
} from '../sandbox/index.ts';
import { runAction } from '../sandbox/run-action.ts';

function headSha(): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
  } catch {
    return '6113728f27ae82c7b1a177c8d03f9e96e0adf246';
  }
}

const dir = defaultDir();
const existing = readState(dir);
const reuse = existing !== undefined && (await isHealthy(existing));
console.log(reuse ? `Using the running sandbox in ${dir}` : `Starting the sandbox in ${dir} ...`);
const state = reuse ? existing : await startSandbox({ dir, log: (m) => console.log(`  ${m}`) });
/** A running ECS service for the demo to deploy to: busybox httpd, two tasks, circuit breaker on. */
async function demoService(env: Record<string, string>, registryHost: string): Promise<void> {
  const ecs = new ECSClient({
    region: env.AWS_REGION,
    endpoint: env.AWS_ENDPOINT_URL_ECS,
    credentials: {
      accessKeyId: env.AWS_ACCESS_KEY_ID!,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY!,
    },
  });
  const existing = await ecs
    .send(new DescribeServicesCommand({ cluster: 'demo', services: ['web'] }))
    .catch(() => undefined);
  if (existing?.services?.some((svc) => svc.status === 'ACTIVE')) return;
  await ecs.send(new CreateClusterCommand({ clusterName: 'demo' }));
  const td = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'hello-app',
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      containerDefinitions: [
        {
          name: 'app',
          image: `${registryHost}/busybox:latest`,
          command: [
            'sh',
            '-c',
            'mkdir -p /www && echo before > /www/index.html && exec httpd -f -p 8080 -h /www',
          ],
          portMappings: [{ containerPort: 8080 }],
        },
      ],
    }),
  );
  await ecs.send(
    new CreateServiceCommand({
      cluster: 'demo',
      serviceName: 'web',
      taskDefinition: td.taskDefinition?.taskDefinitionArn,
      desiredCount: 2,
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0sandbox'] } },
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
    }),
  );
  console.log('Created ECS service demo/web (busybox, 2 tasks) to deploy to.');
}

let exitCode = 1;
try {
  await demoService(sandboxEnv(state), state.registryHost);
  const sha = headSha();
  const tag = process.env.DEMO_TAG ?? 'v1.0.0';
  console.log(`\n=== ecr-deploy (dist/index.js) — push of tag ${tag} at ${sha.slice(0, 7)} ===\n`);
  const run = await runAction({
    inputs: {
      repository: 'hello-app',
      'create-repository': 'true',
      context: 'examples/hello-app',
      'ecs-cluster': 'demo',
      'ecs-service': 'web',
      // The service runs busybox so far: the file's container `app` gets the new image by digest.
      'task-definition': 'examples/hello-app/task-definition.json',
      containers: 'app',
      timeout: '5m',
    },
    event: {
      name: 'push',
      ref: `refs/tags/${tag}`,
      sha,
      payload: {
        ref: `refs/tags/${tag}`,
        after: sha,
        created: true,
        head_commit: { id: sha, message: `Release ${tag}` },
        repository: { name: 'hello-app', full_name: 'octo-org/hello-app', default_branch: 'main' },
      },
    },
    workspace: REPO_ROOT,
    env: sandboxEnv(state),
    echo: true,
  });
  exitCode = run.main.exitCode || (run.post?.exitCode ?? 0);
  console.log('\n=== outputs ===');
  for (const [name, value] of Object.entries(run.outputs))
    console.log(`${name}: ${value.replace(/\n/g, ', ')}`);
  console.log('\n=== job summary ===');
  console.log(run.summary);
  console.log(
    `main step: exit ${run.main.exitCode} in ${(run.main.durationMs / 1000).toFixed(1)} s; post step: exit ${run.post?.exitCode}`,
  );
  console.log(`(job folder: ${join(run.jobDir)})`);
} finally {
  if (!reuse) {
    console.log('Stopping the sandbox ...');
    await stopSandbox(dir);
  }
}
process.exit(exitCode);
