// Vitest global setup of the `sandbox` project: start the sandbox once (or reuse the running one that
// SANDBOX_STATE or the state directory names), export its environment to the test workers, and stop it at
// teardown only if this run started it.
import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  defaultDir,
  isHealthy,
  readState,
  sandboxEnv,
  startSandbox,
  stopSandbox,
  type SandboxState,
} from './index.ts';

async function running(): Promise<SandboxState | undefined> {
  const named = process.env.SANDBOX_STATE;
  const state =
    named && existsSync(named)
      ? (JSON.parse(readFileSync(named, 'utf8')) as SandboxState)
      : readState(defaultDir());
  return state && (await isHealthy(state)) ? state : undefined;
}

export default async function setup(): Promise<() => Promise<void>> {
  const existing = await running();
  if (existing) {
    Object.assign(process.env, sandboxEnv(existing));
    return async () => undefined;
  }
  const named = process.env.SANDBOX_STATE;
  const state = await startSandbox({
    dir: named ? dirname(named) : defaultDir(),
    log: (m) => console.error(`[sandbox] ${m}`),
  });
  Object.assign(process.env, sandboxEnv(state));
  return async () => {
    await stopSandbox(state.dir);
  };
}
