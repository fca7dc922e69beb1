// The `role-to-assume`, `role-session-name` and `role-duration` inputs (pure).
import { Input } from '../contract.ts';
import { parseDurationMs } from '../deploy/duration.ts';
import { InputError } from '../errors.ts';

/** What AssumeRoleWithWebIdentity is asked for; the GitHub OIDC token is fetched when it is needed. */
export interface AssumeRoleInputs {
  readonly roleArn: string;
  readonly sessionName: string;
  readonly durationSeconds: number;
}

export interface RoleInputValues {
  readonly roleToAssume: string;
  readonly roleSessionName: string;
  readonly roleDuration: string;
}

/** STS's limits: https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html */
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const MIN_DURATION_S = 900;
const MAX_DURATION_S = 43_200;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;

/** `ecr-deploy-<repository name>-<run id>-<attempt>`, with every character STS refuses made `-`, cut to 64. */
export function defaultSessionName(env: NodeJS.ProcessEnv): string {
  const repo = (env.GITHUB_REPOSITORY ?? '').split('/').pop() || 'run';
  const name = `ecr-deploy-${repo}-${env.GITHUB_RUN_ID ?? '0'}-${env.GITHUB_RUN_ATTEMPT ?? '1'}`;
  return name.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
}

/** Undefined without `role-to-assume` (the job's own credentials are used). Throws an InputError. */
export function parseAssumeRole(
  values: RoleInputValues,
  env: NodeJS.ProcessEnv,
): AssumeRoleInputs | undefined {
  const roleArn = values.roleToAssume.trim();
  if (!roleArn) {
    if (values.roleSessionName.trim()) {
      throw new InputError(
        Input.RoleSessionName,
        'only applies with role-to-assume. Set role-to-assume, or remove it.',
      );
    }
    return undefined;
  }
  if (!ROLE_ARN.test(roleArn)) {
    throw new InputError(
      Input.RoleToAssume,
      `"${roleArn}" is not an IAM role ARN. Use arn:aws:iam::<12-digit account id>:role/<name>.`,
    );
  }
  const sessionName = values.roleSessionName.trim() || defaultSessionName(env);
  if (!SESSION_NAME.test(sessionName)) {
    throw new InputError(
      Input.RoleSessionName,
      `"${sessionName}" is not a valid session name: use 2 to 64 letters, digits or +=,.@_- (no spaces).`,
    );
  }
  const ms = parseDurationMs(values.roleDuration);
  if (ms === undefined || ms % 1000 !== 0) {
    throw new InputError(
      Input.RoleDuration,
      `"${values.roleDuration}" is not a duration. Use number + unit: 15m, 1h, 1h30m.`,
    );
  }
  const durationSeconds = ms / 1000;
  if (durationSeconds < MIN_DURATION_S || durationSeconds > MAX_DURATION_S) {
    throw new InputError(
      Input.RoleDuration,
      `"${values.roleDuration}" is outside what STS allows (15m to 12h, and at most the role's maximum session duration). Sessions are renewed before they end, so 1h serves any wait.`,
    );
  }
  if (!env.ACTIONS_ID_TOKEN_REQUEST_URL || !env.ACTIONS_ID_TOKEN_REQUEST_TOKEN) {
    throw new InputError(
      Input.RoleToAssume,
      'needs the job\'s GitHub OIDC token, but ACTIONS_ID_TOKEN_REQUEST_URL/ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set. Add "permissions: id-token: write" to the job (workflows triggered from forks get no token).',
    );
  }
  return { roleArn, sessionName, durationSeconds };
}
