// Host plumbing for the sandbox lifecycle: commands, Debian packages, ports, processes and mounts.
import { execFile, spawn } from 'node:child_process';
import { existsSync, openSync, closeSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(
  cmd: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(
      cmd,
      args,
      {
        env: opts.env ?? process.env,
        cwd: opts.cwd,
        maxBuffer: 64 * 1024 * 1024,
        timeout: opts.timeoutMs ?? 300_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

export async function runChecked(
  cmd: string,
  args: string[],
  opts: Parameters<typeof run>[2] = {},
): Promise<string> {
  const r = await run(cmd, args, opts);
  if (r.code !== 0)
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.code}): ${r.stderr.trim().slice(-2000)}`);
  return r.stdout;
}

export async function commandExists(cmd: string): Promise<boolean> {
  return (await run('sh', ['-c', `command -v ${cmd}`])).code === 0;
}

/** Debian packages the sandbox needs, each with the file that proves it is installed. */
export const REQUIRED_PACKAGES: { pkg: string; file: string; optional?: 'engine' }[] = [
  { pkg: 'docker-registry', file: '/usr/bin/docker-registry' },
  { pkg: 'buildah', file: '/usr/bin/buildah' },
  { pkg: 'skopeo', file: '/usr/bin/skopeo' },
  { pkg: 'busybox-static', file: '/usr/share/doc/busybox-static' },
  { pkg: 'openssl', file: '/usr/bin/openssl' },
  // The README's and the job summary's CloudTrail recipes filter with jq; a test runs the summary's.
  { pkg: 'jq', file: '/usr/bin/jq' },
  { pkg: 'docker.io', file: '/usr/sbin/dockerd', optional: 'engine' },
];

export async function ensurePackages(needEngine: boolean, log: (m: string) => void): Promise<void> {
  const missing = REQUIRED_PACKAGES.filter(
    (p) => (p.optional !== 'engine' || needEngine) && !existsSync(p.file),
  ).map((p) => p.pkg);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `The sandbox needs Debian packages that are missing: ${missing.join(' ')}. Run as root so it can install them, or install them yourself: sudo apt-get install -y --no-install-recommends ${missing.join(' ')}`,
    );
  }
  log(`installing ${missing.join(' ')} from Debian`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await runChecked('apt-get', ['update'], { env, timeoutMs: 600_000 });
  await runChecked('apt-get', ['install', '-y', '--no-install-recommends', ...missing], {
    env,
    timeoutMs: 900_000,
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      lastError = e;
    }
    await sleep(50);
  }
  throw new Error(
    `timed out waiting for ${what}${lastError instanceof Error ? `: ${lastError.message}` : ''}`,
  );
}

export interface StartedProcess {
  name: string;
  pid: number;
  /** Path of the executable, checked before the process group is signalled (guards against PID reuse). */
  exe: string;
  log: string;
}

/** Starts a long-running process in its own process group (setsid), output to a log file. */
export function spawnDetached(
  name: string,
  cmd: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; log: string },
): StartedProcess {
  const fd = openSync(opts.log, 'a');
  const child = spawn(cmd, args, { detached: true, stdio: ['ignore', fd, fd], env: opts.env ?? process.env });
  closeSync(fd);
  child.unref();
  if (child.pid === undefined) throw new Error(`could not start ${name} (${cmd})`);
  let exe = cmd;
  try {
    exe = readlinkSync(`/proc/${child.pid}/exe`);
  } catch {
    // process already gone; the readiness check reports it
  }
  return { name, pid: child.pid, exe, log: opts.log };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}

function exeOf(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/exe`).replace(/ \(deleted\)$/, '');
  } catch {
    return undefined;
  }
}

/** True when `pid` still runs the executable we started (not a recycled PID). */
export function isOurs(p: StartedProcess): boolean {
  if (!isAlive(p.pid)) return false;
  const exe = exeOf(p.pid);
  return exe === undefined || exe === p.exe;
}

/** Processes (not in our groups) whose command line mentions `dir`, e.g. containerd shims started by our dockerd. */
export function processesMentioning(dir: string, exeNames: string[]): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      const exe = exeOf(pid) ?? '';
      if (exeNames.some((n) => exe.endsWith(`/${n}`)) && cmdline.some((a) => a.includes(dir))) out.push(pid);
    } catch {
      // raced with exit
    }
  }
  return out;
}

export async function stopProcessGroups(procs: StartedProcess[], graceMs = 10_000): Promise<void> {
  const ours = procs.filter(isOurs);
  for (const p of ours) {
    try {
      process.kill(-p.pid, 'SIGTERM');
    } catch {
      try {
        process.kill(p.pid, 'SIGTERM');
      } catch {
        // gone
      }
    }
  }
  const deadline = Date.now() + graceMs;
  while (ours.some((p) => isAlive(p.pid)) && Date.now() < deadline) await sleep(50);
  for (const p of ours) {
    try {
      process.kill(-p.pid, 'SIGKILL');
    } catch {
      // group gone
    }
  }
}

export async function killPids(pids: number[]): Promise<void> {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // gone
    }
  }
  const deadline = Date.now() + 5000;
  while (pids.some(isAlive) && Date.now() < deadline) await sleep(50);
  for (const pid of pids.filter(isAlive)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}

function unescapeMount(path: string): string {
  return path.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));
}

export function mountsUnder(dir: string): string[] {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((p): p is string => p !== undefined)
    .map(unescapeMount)
    .filter((p) => p === dir || p.startsWith(prefix));
}

export async function unmountUnder(dir: string): Promise<void> {
  const mounts = [...new Set(mountsUnder(dir))].sort((a, b) => b.length - a.length);
  for (const m of mounts) {
    if ((await run('umount', [m])).code !== 0) await run('umount', ['-l', m]);
  }
}

/** Listening TCP ports on 127.0.0.1 (from /proc/net/tcp). */
export function listeningPorts(): number[] {
  const ports: number[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[3] === '0A' && cols[1]) ports.push(parseInt(cols[1].split(':')[1] ?? '0', 16));
    }
  }
  return ports;
}
