// The independent judges of the conformance suite: real kubectl binaries, the AWS CLI (botocore parses every
// answer with AWS's own service models) and moto's server. A judge missing on a machine skips its cases
// visibly: `describe.skipIf(!judge)` reports them as skipped, never as passed.
import { execFileSync } from 'node:child_process';
import { readdirSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';

function which(cmd: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

export interface KubectlBinary {
  path: string;
  /** Minor version, e.g. 33 for 1.33. */
  minor: number;
}

/** Every `kubectl.1.NN` beside the real target of `which kubectl`, oldest first. */
export function kubectlBinaries(): KubectlBinary[] {
  const found = which('kubectl');
  if (!found) return [];
  const dir = dirname(realpathSync(found));
  const out: KubectlBinary[] = [];
  for (const f of readdirSync(dir)) {
    const m = /^kubectl\.1\.(\d+)$/.exec(f);
    if (m) out.push({ path: join(dir, f), minor: Number(m[1]) });
  }
  return out.sort((a, b) => a.minor - b.minor);
}

/** The oldest and the newest kubectl on the machine (one entry when only one exists). */
export function kubectlJudges(): KubectlBinary[] {
  const all = kubectlBinaries();
  return all.length <= 1 ? all : [all[0], all[all.length - 1]].filter((k) => k !== undefined);
}

export function awsCli(): string | undefined {
  return which('aws');
}

/** True when `python3 -m moto.server` can be started. */
export function motoAvailable(): boolean {
  const py = which('python3');
  if (!py) return false;
  try {
    execFileSync(py, ['-c', 'import moto.server'], { stdio: 'ignore', timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}
