// Shared helpers of the sandbox tests: the running sandbox's state and SDK clients pointed at it through the
// standard environment variables only (as the action is).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ECRClient } from '@aws-sdk/client-ecr';
import { STSClient } from '@aws-sdk/client-sts';
import type { SandboxState } from '../index.ts';
import { SandboxControl } from '../control-client.ts';
import { run, type RunResult } from '../system.ts';

export function sandboxState(): SandboxState {
  const file = process.env.SANDBOX_STATE;
  if (!file) throw new Error('SANDBOX_STATE is not set: run through vitest --project sandbox');
  return JSON.parse(readFileSync(file, 'utf8')) as SandboxState;
}

/** No retries, so a scripted fault is observed on the first attempt. */
export function ecrClient(overrides: ConstructorParameters<typeof ECRClient>[0] = {}): ECRClient {
  return new ECRClient({ maxAttempts: 1, ...overrides });
}
export function stsClient(overrides: ConstructorParameters<typeof STSClient>[0] = {}): STSClient {
  return new STSClient({ maxAttempts: 1, ...overrides });
}

export const control = (): SandboxControl => new SandboxControl();

let counter = 0;
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}

/** A throw-away DOCKER_CONFIG so tests never touch the user's docker login. */
export function withDockerConfig(): { env: NodeJS.ProcessEnv; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-docker-config-'));
  return {
    env: {
      ...process.env,
      DOCKER_CONFIG: dir,
      DOCKER_BUILDKIT: '0',
      REGISTRY_AUTH_FILE: join(dir, 'auth.json'),
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function sh(cmd: string, args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<RunResult> {
  return run(cmd, args, { env, ...(input !== undefined ? { input } : {}) });
}
