// The runner's side of a step: workflow commands on stdout (`::warning file=…::…`, `::add-mask::…`) and the
// environment files (GITHUB_OUTPUT, GITHUB_ENV, GITHUB_STATE, GITHUB_STEP_SUMMARY), written as the runner
// reads them. The bundle gets this module for `@actions/core` (the `paths` of src/tsconfig.json, which ncc
// builds with): the same calls, without the toolkit's HTTP client (undici, most of what the entry chunk used
// to load; the OIDC token comes through Node's own fetch). Sources run unbundled (the tests, local-action,
// whose stubs replace the toolkit) keep the toolkit itself. `__tests__/actions-core.test.ts` holds the two to
// the same output.
import { randomUUID } from 'node:crypto';
import { accessSync, appendFileSync, constants, existsSync } from 'node:fs';
import { EOL } from 'node:os';

/** The step's exit codes. */
export const ExitCode = { Success: 0, Failure: 1 } as const;

/** Where an annotation points (the runner's `file`, `line`, `endLine`, `col`, `endColumn` properties). */
export interface AnnotationProperties {
  title?: string;
  file?: string;
  startLine?: number;
  endLine?: number;
  startColumn?: number;
  endColumn?: number;
}

function commandValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string' || value instanceof String) return String(value);
  return JSON.stringify(value);
}

function escapeData(value: unknown): string {
  return commandValue(value).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(value: unknown): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** `::name key=value,…::message` on stdout; properties without a value are left out. */
export function issueCommand(
  name: string,
  properties: Record<string, string | number | undefined>,
  message: unknown,
): void {
  const props = Object.entries(properties)
    .filter(([, v]) => v !== undefined && v !== '' && v !== 0)
    .map(([k, v]) => `${k}=${escapeProperty(v)}`)
    .join(',');
  process.stdout.write(`::${name}${props ? ` ${props}` : ''}::${escapeData(message)}${EOL}`);
}

/** Appends `name<<delimiter … delimiter` to the environment file GITHUB_<file>. */
function appendKeyValue(file: 'OUTPUT' | 'ENV' | 'STATE', name: string, value: unknown): void {
  const path = process.env[`GITHUB_${file}`] ?? '';
  if (!existsSync(path)) throw new Error(`Missing file at path: ${path}`);
  const delimiter = `ghadelimiter_${randomUUID()}`;
  const text = commandValue(value);
  if (name.includes(delimiter)) {
    throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
  }
  if (text.includes(delimiter)) {
    throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
  }
  appendFileSync(path, `${name}<<${delimiter}${EOL}${text}${EOL}${delimiter}${EOL}`, { encoding: 'utf8' });
}

export function info(message: string): void {
  process.stdout.write(message + EOL);
}

export function debug(message: string): void {
  issueCommand('debug', {}, message);
}

function annotation(kind: string, message: string | Error, p: AnnotationProperties): void {
  issueCommand(
    kind,
    {
      title: p.title,
      file: p.file,
      line: p.startLine,
      endLine: p.endLine,
      col: p.startColumn,
      endColumn: p.endColumn,
    },
    message instanceof Error ? message.toString() : message,
  );
}

export function error(message: string | Error, properties: AnnotationProperties = {}): void {
  annotation('error', message, properties);
}

export function warning(message: string | Error, properties: AnnotationProperties = {}): void {
  annotation('warning', message, properties);
}

export function notice(message: string | Error, properties: AnnotationProperties = {}): void {
  annotation('notice', message, properties);
}

/** Fails the step: exit code 1 once the process ends, and the message as an error annotation. */
export function setFailed(message: string | Error): void {
  process.exitCode = ExitCode.Failure;
  error(message);
}

export function startGroup(name: string): void {
  issueCommand('group', {}, name);
}

export function endGroup(): void {
  issueCommand('endgroup', {}, '');
}

/** Masks the value in every later line of the job's log. */
export function setSecret(secret: string): void {
  issueCommand('add-mask', {}, secret);
}

export function setOutput(name: string, value: unknown): void {
  if (process.env.GITHUB_OUTPUT) return appendKeyValue('OUTPUT', name, value);
  process.stdout.write(EOL);
  issueCommand('set-output', { name }, commandValue(value));
}

/** Sets the variable for this process and, through GITHUB_ENV, for the job's later steps. */
export function exportVariable(name: string, value: unknown): void {
  process.env[name] = commandValue(value);
  if (process.env.GITHUB_ENV) return appendKeyValue('ENV', name, value);
  issueCommand('set-env', { name }, commandValue(value));
}

/** State for this action's post step (read there as STATE_<name>). */
export function saveState(name: string, value: unknown): void {
  if (process.env.GITHUB_STATE) return appendKeyValue('STATE', name, value);
  issueCommand('save-state', { name }, commandValue(value));
}

export function getState(name: string): string {
  return process.env[`STATE_${name}`] || '';
}

/**
 * The job's OIDC token for `audience`, from the runner's token service (ACTIONS_ID_TOKEN_REQUEST_URL with
 * the bearer ACTIONS_ID_TOKEN_REQUEST_TOKEN; answer `{"value": token}`), masked before it is returned. A
 * server error or a dropped connection is retried twice; the error names the status, never the token.
 */
export async function getIDToken(
  audience?: string,
  fetcher: typeof fetch = fetch,
  pause: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<string> {
  const base = process.env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const bearer = process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (!base) throw new Error('Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable');
  if (!bearer) throw new Error('Unable to get ACTIONS_ID_TOKEN_REQUEST_TOKEN env variable');
  const url = audience ? `${base}&audience=${encodeURIComponent(audience)}` : base;
  let last = '';
  for (let attempt = 1; attempt <= 3; attempt++) {
    if (attempt > 1) await pause(500 * 2 ** (attempt - 2));
    let res: Response;
    try {
      res = await fetcher(url, {
        headers: { authorization: `Bearer ${bearer}`, accept: 'application/json' },
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      last = (error as Error).message;
      continue;
    }
    if (res.status >= 500) {
      last = `HTTP ${res.status}`;
      continue;
    }
    if (!res.ok) throw new Error(`Failed to get the OIDC token: HTTP ${res.status} from the token service.`);
    let value: unknown;
    try {
      value = ((await res.json()) as { value?: unknown }).value;
    } catch {
      value = undefined;
    }
    if (typeof value !== 'string' || value === '') {
      throw new Error('Failed to get the OIDC token: the answer has no "value".');
    }
    setSecret(value);
    return value;
  }
  throw new Error(`Failed to get the OIDC token after 3 attempts: ${last}.`);
}

/** The job summary: `summary.addRaw(markdown).write()` appends the markdown to GITHUB_STEP_SUMMARY. */
export const summary = {
  addRaw(markdown: string) {
    return {
      async write(): Promise<void> {
        const path = process.env.GITHUB_STEP_SUMMARY;
        if (!path) {
          throw new Error(
            'Unable to find environment variable for $GITHUB_STEP_SUMMARY. Check if your runtime environment supports job summaries.',
          );
        }
        try {
          accessSync(path, constants.R_OK | constants.W_OK);
        } catch {
          throw new Error(
            `Unable to access summary file: '${path}'. Check if the file has correct read/write permissions.`,
          );
        }
        appendFileSync(path, markdown, { encoding: 'utf8' });
      },
    };
  },
};
