// The Docker engine the sandbox uses (a running one is reused, else its own dockerd), and the offline
// `busybox` base image for docker and buildah.
import { chmodSync, copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, runChecked, spawnDetached, waitFor, type StartedProcess } from './system.ts';

export interface Engine {
  dockerHost: string;
  owned: boolean;
  process?: StartedProcess;
}

export async function dockerWorks(env: NodeJS.ProcessEnv): Promise<boolean> {
  return (await run('docker', ['info'], { env, timeoutMs: 20_000 })).code === 0;
}

/** Reuses an engine that answers `docker info` (GitHub-hosted runners), else starts dockerd under `dir`. */
export async function ensureEngine(dir: string, probeEnv: NodeJS.ProcessEnv): Promise<Engine> {
  if (await dockerWorks(probeEnv)) {
    return { dockerHost: probeEnv.DOCKER_HOST ?? 'unix:///var/run/docker.sock', owned: false };
  }
  const root = join(dir, 'engine');
  const exec = join(dir, 'run', 'docker-exec');
  mkdirSync(join(root, 'data'), { recursive: true });
  mkdirSync(exec, { recursive: true });
  const sock = join(dir, 'run', 'docker.sock');
  const dockerHost = `unix://${sock}`;
  const proc = spawnDetached(
    'dockerd',
    'dockerd',
    [
      '--data-root',
      join(root, 'data'),
      '--exec-root',
      exec,
      '--pidfile',
      join(dir, 'run', 'dockerd.pid'),
      '-H',
      dockerHost,
      '--iptables=false',
      '--ip6tables=false',
      '--ip-masq=false',
      '--bridge=none',
      '--storage-driver=vfs',
    ],
    { log: join(dir, 'logs', 'dockerd.log') },
  );
  const env = { ...process.env, DOCKER_HOST: dockerHost };
  await waitFor('dockerd', async () => ((await dockerWorks(env)) ? true : undefined), 60_000);
  return { dockerHost, owned: true, process: proc };
}

const BUSYBOX_DOCKERFILE = `FROM scratch
COPY rootfs/ /
RUN ["/bin/busybox", "--install", "-s"]
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
LABEL org.opencontainers.image.title="busybox for the ecr-deploy sandbox" org.opencontainers.image.source="busybox-static (Debian)"
CMD ["sh"]
`;

/** `busybox:latest` in the engine, built FROM scratch with Debian's static busybox (kept between starts). */
export async function ensureBusyboxInEngine(dir: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  if ((await run('docker', ['image', 'inspect', 'busybox:latest'], { env })).code === 0) return false;
  const ctx = join(dir, 'cache', 'busybox-context');
  for (const d of ['bin', 'sbin', 'usr/bin', 'usr/sbin', 'tmp', 'etc', 'root'])
    mkdirSync(join(ctx, 'rootfs', d), { recursive: true });
  chmodSync(join(ctx, 'rootfs', 'tmp'), 0o1777);
  copyFileSync('/bin/busybox', join(ctx, 'rootfs', 'bin', 'busybox'));
  chmodSync(join(ctx, 'rootfs', 'bin', 'busybox'), 0o755);
  writeFileSync(
    join(ctx, 'rootfs', 'etc', 'passwd'),
    'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n',
  );
  writeFileSync(join(ctx, 'rootfs', 'etc', 'group'), 'root:x:0:\nnogroup:x:65534:\n');
  writeFileSync(join(ctx, 'Dockerfile'), BUSYBOX_DOCKERFILE);
  await runChecked('docker', ['build', '-q', '-t', 'busybox:latest', ctx], {
    env: { ...env, DOCKER_BUILDKIT: '0' },
  });
  return true;
}

/** The same image in buildah's storage as docker.io/library/busybox:latest, so `FROM busybox` resolves offline. */
export async function ensureBusyboxInBuildah(dir: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  if (
    (await run('buildah', ['inspect', '--type', 'image', 'docker.io/library/busybox:latest'], { env }))
      .code === 0
  ) {
    return false;
  }
  // docker save + docker-archive: buildah's docker-daemon transport ignores DOCKER_HOST.
  const archive = join(dir, 'run', 'busybox.tar');
  await runChecked('docker', ['save', '-o', archive, 'busybox:latest'], { env });
  try {
    const id = (await runChecked('buildah', ['pull', '--quiet', `docker-archive:${archive}`], { env }))
      .trim()
      .split('\n')
      .pop()!;
    await runChecked('buildah', ['tag', id, 'docker.io/library/busybox:latest'], { env });
  } finally {
    rmSync(archive, { force: true });
  }
  return true;
}

export function writeStorageConf(dir: string): string {
  const path = join(dir, 'containers-storage.conf');
  if (!existsSync(path)) {
    writeFileSync(
      path,
      `[storage]\ndriver = "vfs"\ngraphroot = "${join(dir, 'containers', 'storage')}"\nrunroot = "${join(dir, 'run', 'containers')}"\n`,
    );
  }
  return path;
}
