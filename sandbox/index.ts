// The sandbox as a library: startSandbox / stopSandbox / sandboxEnv (the CLI and the test setup use these).
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateRepositoryCommand, ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { generateCerts } from './certs.ts';
import { SANDBOX_CONTAINER_LABEL } from './containers.ts';
import { ensureBusyboxInBuildah, ensureBusyboxInEngine, ensureEngine, writeStorageConf } from './engine.ts';
import {
  ensurePackages,
  freePort,
  isOurs,
  killPids,
  processesMentioning,
  run,
  runChecked,
  spawnDetached,
  stopProcessGroups,
  unmountUnder,
  waitFor,
  type StartedProcess,
} from './system.ts';
import type { ServerConfig } from './world.ts';

export const ACCOUNT_ID = '123456789012';
export const REGION = 'us-east-1';
const SANDBOX_ROOT = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(SANDBOX_ROOT, '..');

export interface SandboxState {
  version: 1;
  dir: string;
  stateFile: string;
  startedAt: string;
  accountId: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** http://127.0.0.1:PORT — every fake AWS service (ECR, STS, later ECS/EKS) and /_sandbox control routes. */
  awsEndpoint: string;
  controlUrl: string;
  /** The ECR registry host (`127.0.0.1:PORT`), the HTTPS data-plane proxy in front of the registry. */
  registryHost: string;
  /** The real docker-registry behind the proxy (HTTPS, token auth). */
  registryBackend: string;
  /** http://127.0.0.1:PORT — GitHub's OIDC token endpoint and issuer (discovery, key set), see oidc/server.ts. */
  oidcUrl: string;
  caPath: string;
  dockerHost: string;
  dockerOwned: boolean;
  storageConf: string;
  processes: StartedProcess[];
  certsDirs: string[];
}

export interface StartOptions {
  /** State directory; default $SANDBOX_DIR or <repo>/.sandbox. */
  dir?: string;
  log?: (message: string) => void;
}

export function defaultDir(): string {
  return resolve(process.env.SANDBOX_DIR ?? join(REPO_ROOT, '.sandbox'));
}

export function readState(dir: string): SandboxState | undefined {
  const file = join(dir, 'state.json');
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as SandboxState;
}

function getStatus(url: string, ca?: string): Promise<number> {
  return new Promise((resolveStatus, reject) => {
    const req = (url.startsWith('https:') ? httpsRequest : request)(
      url,
      { method: 'GET', ...(ca ? { ca } : {}), timeout: 3000 },
      (res) => {
        res.resume();
        resolveStatus(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end();
  });
}

/**
 * Whether the sandbox described by `state` is running and answering. Dead processes answer at once; live ones
 * get `patienceMs` to answer `/health` (3 s per try), so a machine under load does not have a sandbox in use
 * declared dead and restarted beneath its tests.
 */
export async function isHealthy(state: SandboxState, patienceMs = 20_000): Promise<boolean> {
  const until = Date.now() + patienceMs;
  for (;;) {
    if (!state.processes.every(isOurs)) return false;
    try {
      return (await getStatus(`${state.controlUrl}/health`)) === 200;
    } catch {
      if (Date.now() >= until) return false;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

export function sandboxEnv(state: SandboxState): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_ECR: state.awsEndpoint,
    AWS_ENDPOINT_URL_STS: state.awsEndpoint,
    AWS_ENDPOINT_URL_ECS: state.awsEndpoint,
    AWS_ENDPOINT_URL_EKS: state.awsEndpoint,
    AWS_ENDPOINT_URL_APPLICATION_AUTO_SCALING: state.awsEndpoint,
    AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2: state.awsEndpoint,
    AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: state.awsEndpoint,
    AWS_ENDPOINT_URL_CLOUDWATCH: state.awsEndpoint,
    AWS_ENDPOINT_URL_CLOUDTRAIL: state.awsEndpoint,
    AWS_ACCESS_KEY_ID: state.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: state.credentials.secretAccessKey,
    AWS_REGION: state.region,
    AWS_DEFAULT_REGION: state.region,
    DOCKER_HOST: state.dockerHost,
    CONTAINERS_STORAGE_CONF: state.storageConf,
    BUILDAH_ISOLATION: 'chroot',
    STORAGE_DRIVER: 'vfs',
    NODE_EXTRA_CA_CERTS: state.caPath,
    SANDBOX_STATE: state.stateFile,
    SANDBOX_CONTROL_URL: state.controlUrl,
    SANDBOX_REGISTRY_HOST: state.registryHost,
    SANDBOX_OIDC_URL: state.oidcUrl,
  };
}

function randomKey(length: number, alphabet: string): string {
  const bytes = randomBytes(length);
  return [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
}

function installCa(host: string, caPem: string): string[] {
  const dirs = [`/etc/docker/certs.d/${host}`, `/etc/containers/certs.d/${host}`];
  for (const d of dirs) {
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'ca.crt'), caPem);
  }
  return dirs;
}

/** The engine to probe for reuse: the caller's DOCKER_HOST, unless it is one a sandbox started itself. */
function engineProbeEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  const other =
    env.SANDBOX_STATE && existsSync(env.SANDBOX_STATE)
      ? (JSON.parse(readFileSync(env.SANDBOX_STATE, 'utf8')) as SandboxState)
      : undefined;
  if (other?.dockerOwned && env.DOCKER_HOST === other.dockerHost) delete env.DOCKER_HOST;
  return env;
}

export async function startSandbox(opts: StartOptions = {}): Promise<SandboxState> {
  const dir = resolve(opts.dir ?? defaultDir());
  const log = opts.log ?? (() => undefined);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const existing = readState(dir);
  if (existing) {
    if (await isHealthy(existing)) {
      log(`reusing the sandbox running in ${dir}`);
      return existing;
    }
    log('cleaning up a sandbox that is no longer running');
    await stopSandbox(dir);
  }
  const started: StartedProcess[] = [];
  const certsDirs: string[] = [];
  try {
    for (const d of ['logs', 'run', 'cache']) mkdirSync(join(dir, d), { recursive: true });
    const probeEnv = engineProbeEnv();
    await ensurePackages(!(await import('./engine.ts').then((m) => m.dockerWorks(probeEnv))), log);

    const certs = await generateCerts(join(dir, 'certs'));
    const credentials = {
      accessKeyId: `AKIA${randomKey(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`,
      secretAccessKey: randomBytes(30).toString('base64').replace(/[+/]/g, 'x'),
    };
    const [awsPort, proxyPort, registryPort, oidcPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ] as [number, number, number, number];
    const registryHost = `127.0.0.1:${proxyPort}`;
    const caPem = readFileSync(certs.caCert, 'utf8');
    const serverConfig: ServerConfig = {
      dir,
      accountId: ACCOUNT_ID,
      region: REGION,
      credentials,
      awsPort,
      proxyPort,
      registryPort,
      caPem,
      serverCertPem: readFileSync(certs.serverCert, 'utf8'),
      serverKeyPem: readFileSync(certs.serverKey, 'utf8'),
      signer: {
        issuer: 'ecr-deploy-sandbox-token-issuer',
        service: 'ecr-deploy-sandbox-registry',
        keyPem: readFileSync(certs.tokenKey, 'utf8'),
        certPem: readFileSync(certs.tokenCert, 'utf8'),
      },
    };
    const serverConfigPath = join(dir, 'run', 'server-config.json');
    rmSync(`${serverConfigPath}.ready`, { force: true });
    writeFileSync(serverConfigPath, JSON.stringify(serverConfig), { mode: 0o600 });
    started.push(
      spawnDetached(
        'aws-server',
        process.execPath,
        [join(SANDBOX_ROOT, 'server-main.ts'), serverConfigPath],
        {
          log: join(dir, 'logs', 'aws-server.log'),
        },
      ),
    );

    // GitHub's OIDC issuer; it writes run/oidc.json, where the sandbox's STS finds its key set.
    const oidcReady = join(dir, 'run', 'oidc.json');
    rmSync(oidcReady, { force: true });
    started.push(
      spawnDetached(
        'oidc-issuer',
        process.execPath,
        [join(SANDBOX_ROOT, 'oidc', 'server-main.ts'), String(oidcPort), oidcReady],
        { log: join(dir, 'logs', 'oidc-issuer.log') },
      ),
    );

    // The real registry: fresh storage each start (the ECR state lives in the server process).
    const storage = join(dir, 'registry-storage');
    rmSync(storage, { recursive: true, force: true });
    mkdirSync(storage, { recursive: true });
    const registryConfig = join(dir, 'run', 'registry.yml');
    writeFileSync(
      registryConfig,
      [
        'version: 0.1',
        'log:',
        '  level: warn',
        '  accesslog:',
        '    disabled: true',
        'storage:',
        '  filesystem:',
        `    rootdirectory: ${storage}`,
        '  delete:',
        '    enabled: true',
        'http:',
        `  addr: 127.0.0.1:${registryPort}`,
        `  secret: ${randomBytes(16).toString('hex')}`,
        '  tls:',
        `    certificate: ${certs.serverCert}`,
        `    key: ${certs.serverKey}`,
        'auth:',
        '  token:',
        `    realm: https://${registryHost}/token`,
        `    service: ${serverConfig.signer.service}`,
        `    issuer: ${serverConfig.signer.issuer}`,
        `    rootcertbundle: ${certs.tokenCert}`,
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
    started.push(
      spawnDetached('docker-registry', 'docker-registry', ['serve', registryConfig], {
        log: join(dir, 'logs', 'registry.log'),
      }),
    );

    await waitFor('the sandbox AWS server', async () =>
      existsSync(`${serverConfigPath}.ready`) ? true : undefined,
    );
    await waitFor('the sandbox OIDC issuer', async () => (existsSync(oidcReady) ? true : undefined));
    await waitFor('docker-registry', async () =>
      (await getStatus(`https://127.0.0.1:${registryPort}/v2/`, caPem)) === 401 ? true : undefined,
    );
    certsDirs.push(...installCa(registryHost, caPem));

    const engine = await ensureEngine(dir, probeEnv);
    if (engine.process) started.push(engine.process);
    // Tell the server which engine to run real containers in (it started before the engine).
    const told = await fetch(`http://127.0.0.1:${awsPort}/_sandbox/engine`, {
      method: 'POST',
      body: JSON.stringify({ dockerHost: engine.dockerHost }),
    });
    if (!told.ok) throw new Error(`the sandbox server did not take the engine address: ${told.status}`);
    const storageConf = writeStorageConf(dir);

    const state: SandboxState = {
      version: 1,
      dir,
      stateFile: join(dir, 'state.json'),
      startedAt: new Date().toISOString(),
      accountId: ACCOUNT_ID,
      region: REGION,
      credentials,
      awsEndpoint: `http://127.0.0.1:${awsPort}`,
      controlUrl: `http://127.0.0.1:${awsPort}/_sandbox`,
      registryHost,
      registryBackend: `127.0.0.1:${registryPort}`,
      oidcUrl: `http://127.0.0.1:${oidcPort}`,
      caPath: certs.caCert,
      dockerHost: engine.dockerHost,
      dockerOwned: engine.owned,
      storageConf,
      processes: started,
      certsDirs,
    };
    // Written before the busybox step so that a failure there can still be cleaned up by stop.
    writeFileSync(state.stateFile, JSON.stringify(state, null, 2), { mode: 0o600 });
    chmodSync(state.stateFile, 0o600);

    const toolEnv = { ...process.env, ...sandboxEnv(state) };
    if (await ensureBusyboxInEngine(dir, toolEnv)) log('built busybox:latest from busybox-static');
    if (await ensureBusyboxInBuildah(dir, toolEnv)) log('copied busybox:latest into buildah storage');
    await pushBusybox(state, toolEnv);
    log(`sandbox running: AWS ${state.awsEndpoint}, registry ${registryHost}`);
    return state;
  } catch (e) {
    if (!existsSync(join(dir, 'state.json'))) {
      await stopProcessGroups(started);
      for (const d of certsDirs) rmSync(d, { recursive: true, force: true });
    } else {
      await stopSandbox(dir);
    }
    throw e;
  }
}

/** Creates the ECR repository `busybox` through the fake ECR and pushes the base image into it. */
async function pushBusybox(state: SandboxState, env: NodeJS.ProcessEnv): Promise<void> {
  const ecr = new ECRClient({
    region: state.region,
    endpoint: state.awsEndpoint,
    credentials: state.credentials,
  });
  try {
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'busybox' }));
    const auth = await ecr.send(new GetAuthorizationTokenCommand({}));
    const token = auth.authorizationData?.[0]?.authorizationToken;
    if (!token) throw new Error('sandbox ECR returned no authorization token');
    const authFile = join(state.dir, 'run', 'busybox-push-auth.json');
    writeFileSync(authFile, JSON.stringify({ auths: { [state.registryHost]: { auth: token } } }), {
      mode: 0o600,
    });
    try {
      await runChecked(
        'buildah',
        [
          'push',
          '--quiet',
          '--authfile',
          authFile,
          'docker.io/library/busybox:latest',
          `docker://${state.registryHost}/busybox:latest`,
        ],
        { env },
      );
    } finally {
      rmSync(authFile, { force: true });
    }
  } finally {
    ecr.destroy();
  }
}

const ENGINE_HELPERS = [
  'containerd',
  'containerd-shim',
  'containerd-shim-runc-v2',
  'runc',
  'docker-proxy',
  'dockerd',
];

/** Containers the fakes ran carry SANDBOX_CONTAINER_LABEL: removed at stop, also from an engine it reused. */
async function removeSandboxContainers(state: SandboxState): Promise<void> {
  const env = { ...process.env, DOCKER_HOST: state.dockerHost };
  const ids = (
    await run('docker', ['ps', '-aq', '--filter', `label=${SANDBOX_CONTAINER_LABEL}=${state.dir}`], { env })
  ).stdout
    .split('\n')
    .filter(Boolean);
  if (ids.length > 0) await run('docker', ['rm', '-f', ...ids], { env });
}

/** Stops what `startSandbox(dir)` started: its containers, process groups, their helpers, mounts and CA folders. */
export async function stopSandbox(dir: string = defaultDir()): Promise<boolean> {
  dir = resolve(dir);
  const state = readState(dir);
  if (state) {
    await removeSandboxContainers(state).catch(() => undefined);
    await stopProcessGroups([...state.processes].reverse());
    for (const d of state.certsDirs) rmSync(d, { recursive: true, force: true });
  }
  await killPids(processesMentioning(dir, ENGINE_HELPERS));
  await unmountUnder(dir);
  rmSync(join(dir, 'state.json'), { force: true });
  rmSync(join(dir, 'run'), { recursive: true, force: true });
  rmSync(join(dir, 'certs'), { recursive: true, force: true });
  rmSync(join(dir, 'registry-storage'), { recursive: true, force: true });
  return state !== undefined;
}
