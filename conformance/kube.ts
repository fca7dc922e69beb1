// Real kubectl against a sandbox cluster, in a temporary folder removed by `dispose()`. The token is minted
// by the real AWS CLI's `aws eks get-token` (a client nobody here wrote): once per cluster, re-minted after
// 10 minutes (EKS tokens last 15), and handed to kubectl through its exec plugin as the ExecCredential the
// CLI printed. Starting the CLI for every kubectl command (as an `exec` of `aws` in the kubeconfig would)
// costs about a second of CPU each; `kubeconfigFor` still does exactly that, for the one case that judges it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { run, type RunResult } from '../sandbox/system.ts';
import { testCluster, type TestCluster } from '../sandbox/__tests__/eks-helpers.ts';
import type { RuntimeMode } from '../sandbox/eks/pods.ts';

export interface KubectlCluster extends TestCluster {
  kubeconfig: string;
  /** Runs `kubectl <args>` with the given binary and this cluster's kubeconfig. */
  kubectl: (bin: string, args: string[], opts?: { input?: string; timeoutMs?: number }) => Promise<RunResult>;
  /** A kubeconfig for this cluster's endpoint whose token is minted for another cluster's name. */
  kubeconfigFor: (tokenCluster: string) => string;
  dispose: () => void;
}

/** The environment the AWS CLI (run by kubectl's exec plugin) needs to reach the sandbox's STS only. */
export function awsCliEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY,
    AWS_REGION: process.env.AWS_REGION,
    AWS_DEFAULT_REGION: process.env.AWS_DEFAULT_REGION,
    AWS_ENDPOINT_URL_STS: process.env.AWS_ENDPOINT_URL_STS,
    AWS_ENDPOINT_URL_EKS: process.env.AWS_ENDPOINT_URL_EKS,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

export async function kubectlCluster(
  timeScale = 0.05,
  runtime: RuntimeMode = 'simulated',
): Promise<KubectlCluster> {
  const c = await testCluster(timeScale, runtime);
  const dir = mkdtempSync(join(tmpdir(), 'conformance-kube-'));
  const write = (
    file: string,
    tokenCluster: string,
    exec = {
      command: 'aws',
      args: ['eks', 'get-token', '--cluster-name', tokenCluster, '--output', 'json'],
    },
  ): string => {
    const path = join(dir, file);
    const config = {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: c.name,
          cluster: {
            server: c.endpoint,
            'certificate-authority-data': Buffer.from(c.caPem).toString('base64'),
          },
        },
      ],
      users: [
        {
          name: 'aws',
          user: {
            exec: {
              apiVersion: 'client.authentication.k8s.io/v1beta1',
              ...exec,
              interactiveMode: 'Never',
            },
          },
        },
      ],
      contexts: [{ name: 'sandbox', context: { cluster: c.name, user: 'aws', namespace: 'default' } }],
      'current-context': 'sandbox',
    };
    writeFileSync(path, stringify(config), { mode: 0o600 });
    return path;
  };
  const tokenFile = join(dir, 'exec-credential.json');
  let mintedAt = 0;
  const mint = async (): Promise<void> => {
    if (Date.now() - mintedAt < 10 * 60_000) return;
    const r = await run('aws', ['eks', 'get-token', '--cluster-name', c.name, '--output', 'json'], {
      env: awsCliEnv(),
      timeoutMs: 60_000,
    });
    if (r.code !== 0) throw new Error(`aws eks get-token failed: ${r.stderr}`);
    writeFileSync(tokenFile, r.stdout, { mode: 0o600 });
    mintedAt = Date.now();
  };
  await mint();
  const kubeconfig = write('config', c.name, { command: 'cat', args: [tokenFile] });
  let others = 0;
  return {
    ...c,
    kubeconfig,
    kubectl: async (bin, args, opts = {}) => {
      await mint();
      return run(bin, ['--kubeconfig', kubeconfig, ...args], {
        env: { ...awsCliEnv(), KUBECACHEDIR: join(dir, 'cache') },
        timeoutMs: opts.timeoutMs ?? 60_000,
        ...(opts.input !== undefined ? { input: opts.input } : {}),
      });
    },
    kubeconfigFor: (tokenCluster) => write(`other-${(others += 1)}`, tokenCluster),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A temporary folder holding `files` (name → YAML text), for `kubectl apply -f <folder>`; `dispose()` removes it. */
export function manifestFolder(files: Record<string, string>): { dir: string; dispose: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'conformance-manifests-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
