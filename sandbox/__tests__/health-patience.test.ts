import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { realpathSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isHealthy, type SandboxState } from '../index.ts';

// A control server that leaves its first `/health` unanswered for longer than one try's 3 s, as a loaded
// machine can, then answers at once.
let server: Server;
let url: string;
let requests = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    requests += 1;
    if (requests === 1) {
      setTimeout(() => res.end('late'), 4_000).unref();
      return;
    }
    res.end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

function state(pid: number): SandboxState {
  const exe = realpathSync('/proc/self/exe');
  return {
    controlUrl: url,
    processes: [{ name: 'this test', pid, exe, log: '' }],
  } as unknown as SandboxState;
}

describe('isHealthy', () => {
  it('gives live processes time: one slow /health answer is not a dead sandbox', async () => {
    requests = 0;
    expect(await isHealthy(state(process.pid), 20_000)).toBe(true);
    expect(requests).toBe(2);
  });

  it('without patience, the same slow answer counts as not healthy', async () => {
    requests = 0;
    expect(await isHealthy(state(process.pid), 0)).toBe(false);
    expect(requests).toBe(1);
  });

  it('dead processes are not healthy, and no request is made', async () => {
    requests = 0;
    expect(await isHealthy(state(2 ** 22 + 17), 20_000)).toBe(false);
    expect(requests).toBe(0);
  });
});
