import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isHealthy, sandboxEnv, startSandbox, stopSandbox } from '../index.ts';
import { isAlive, listeningPorts, mountsUnder } from '../system.ts';
import { sandboxState } from './helpers.ts';

// One directory per checkout: it keeps this instance's busybox cache between runs, and two checkouts testing
// on one machine do not start their second instances in the same place.
const checkout = createHash('sha256')
  .update(fileURLToPath(new URL('../..', import.meta.url)))
  .digest('hex');
const otherDir = join(tmpdir(), `ecr-deploy-sandbox-lifecycle-${checkout.slice(0, 12)}`);

describe('sandbox lifecycle', () => {
  it('reuses the running sandbox when started again with the same directory', async () => {
    const main = sandboxState();
    const again = await startSandbox({ dir: main.dir });
    expect(again.startedAt).toBe(main.startedAt);
    expect(again.processes.map((p) => p.pid)).toEqual(main.processes.map((p) => p.pid));
  });

  it('runs a second instance in another directory without clashing, and stop leaves nothing behind', async () => {
    const main = sandboxState();
    const other = await startSandbox({ dir: otherDir });
    try {
      expect(other.dir).not.toBe(main.dir);
      const mainPorts = [
        main.awsEndpoint,
        `http://${main.registryHost}`,
        `http://${main.registryBackend}`,
      ].map((u) => new URL(u).port);
      const otherPorts = [
        other.awsEndpoint,
        `http://${other.registryHost}`,
        `http://${other.registryBackend}`,
      ].map((u) => new URL(u).port);
      expect(otherPorts.filter((p) => mainPorts.includes(p))).toEqual([]);
      expect(other.credentials.accessKeyId).not.toBe(main.credentials.accessKeyId);
      expect(await isHealthy(other)).toBe(true);
      expect(await isHealthy(main)).toBe(true);
      expect(sandboxEnv(other).AWS_ENDPOINT_URL_ECR).toBe(other.awsEndpoint);
      expect(existsSync(`/etc/docker/certs.d/${other.registryHost}/ca.crt`)).toBe(true);
      expect(readFileSync(`/etc/containers/certs.d/${other.registryHost}/ca.crt`, 'utf8')).toBe(
        readFileSync(other.caPath, 'utf8'),
      );
    } finally {
      await stopSandbox(otherDir);
    }
    for (const p of other.processes) expect(isAlive(p.pid), `${p.name} ${p.pid}`).toBe(false);
    expect(mountsUnder(otherDir)).toEqual([]);
    const listening = listeningPorts();
    for (const url of [
      other.awsEndpoint,
      `http://${other.registryHost}`,
      `http://${other.registryBackend}`,
    ]) {
      expect(listening).not.toContain(Number(new URL(url).port));
    }
    expect(existsSync(`/etc/docker/certs.d/${other.registryHost}`)).toBe(false);
    expect(existsSync(`/etc/containers/certs.d/${other.registryHost}`)).toBe(false);
    expect(existsSync(join(otherDir, 'state.json'))).toBe(false);
    // The first sandbox is untouched.
    expect(await isHealthy(main)).toBe(true);
  });
});
