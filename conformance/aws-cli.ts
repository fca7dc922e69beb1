// The AWS CLI as a judge: every call runs the real `aws` (v1, botocore), which parses each answer with AWS's
// own service models; `modelViolations()` then checks the parsed answer against the operation's output shape
// in those same models (member names, types, enums, required members), so a field the sandbox names or types
// wrongly is reported instead of being dropped silently by the parser.
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

export interface CliResult {
  readonly exitCode: number;
  /** The parsed `--output json` answer (undefined when the call failed or printed nothing). */
  readonly json: unknown;
  readonly stdout: string;
  readonly stderr: string;
  /** The error code botocore parsed from an error answer: `An error occurred (Code) when calling …`. */
  readonly errorCode: string | undefined;
}

export interface CliOptions {
  /** `--endpoint-url`; default: the sandbox's endpoint for the service (AWS_ENDPOINT_URL_<SERVICE>). */
  readonly endpoint?: string;
  /** Variables to set or (undefined) remove on top of the base environment. */
  readonly env?: Record<string, string | undefined>;
  /** Text for the CLI's stdin. */
  readonly input?: string;
  readonly timeoutMs?: number;
}

/** The environment every CLI call gets: no config files, no instance metadata, no retries. */
export function cliBaseEnv(): Record<string, string> {
  const pick = (name: string): Record<string, string> => {
    const v = process.env[name];
    return v === undefined ? {} : { [name]: v };
  };
  return {
    ...pick('PATH'),
    ...pick('HOME'),
    ...pick('AWS_ACCESS_KEY_ID'),
    ...pick('AWS_SECRET_ACCESS_KEY'),
    AWS_DEFAULT_REGION: process.env.AWS_REGION ?? 'us-east-1',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_MAX_ATTEMPTS: '1',
    AWS_RETRY_MODE: 'standard',
    AWS_PAGER: '',
  };
}

export function sandboxEndpoint(service: 'ecr' | 'ecs' | 'eks' | 'sts'): string {
  const url = process.env[`AWS_ENDPOINT_URL_${service.toUpperCase()}`];
  if (!url) throw new Error(`AWS_ENDPOINT_URL_${service.toUpperCase()} is not set (no sandbox?)`);
  return url;
}

/** Runs `aws <service> <args…> --output json` and parses what it printed. */
export function aws(
  cli: string,
  service: string,
  args: string[],
  options: CliOptions = {},
): Promise<CliResult> {
  const merged: Record<string, string | undefined> = { ...cliBaseEnv(), ...options.env };
  const env = Object.fromEntries(
    Object.entries(merged).filter((e): e is [string, string] => e[1] !== undefined),
  );
  const endpoint =
    options.endpoint ??
    (['ecr', 'ecs', 'eks', 'sts'].includes(service)
      ? sandboxEndpoint(service as 'ecr' | 'ecs' | 'eks' | 'sts')
      : undefined);
  const argv = [...(endpoint ? ['--endpoint-url', endpoint] : []), service, ...args, '--output', 'json'];
  return new Promise((done) => {
    const child = execFile(
      cli,
      argv,
      { env, timeout: options.timeoutMs ?? 60_000, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const exitCode =
          error === null ? 0 : typeof error.code === 'number' ? error.code : (child.exitCode ?? 1);
        let json: unknown;
        if (exitCode === 0 && stdout.trim() !== '') {
          try {
            json = JSON.parse(stdout);
          } catch {
            json = undefined;
          }
        }
        const code = /An error occurred \(([^)]+)\) when calling the/.exec(stderr)?.[1];
        done({ exitCode, json, stdout, stderr, errorCode: code });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}

// Walks a parsed answer against the botocore output shape of the operation. Run by python3 with botocore
// (the CLI's own library) as one process per test file: each stdin line is a JSON [service, operation,
// answer]; each answer line a JSON list of problems (or {"error": text}).
const VALIDATOR = String.raw`
import json, sys, datetime
import botocore.session
session = botocore.session.get_session()
problems = []
def walk(shape, v, path):
    t = shape.type_name
    if t == 'structure':
        if not isinstance(v, dict):
            problems.append(f'{path}: expected structure {shape.name}, got {type(v).__name__}'); return
        for k, child in v.items():
            if k not in shape.members:
                problems.append(f'{path}.{k}: not a member of {shape.name}'); continue
            walk(shape.members[k], child, f'{path}.{k}')
        for k in shape.required_members:
            if k not in v:
                problems.append(f'{path}.{k}: required member of {shape.name} missing')
    elif t == 'list':
        if not isinstance(v, list):
            problems.append(f'{path}: expected list, got {type(v).__name__}'); return
        for i, item in enumerate(v):
            walk(shape.member, item, f'{path}[{i}]')
    elif t == 'map':
        if not isinstance(v, dict):
            problems.append(f'{path}: expected map, got {type(v).__name__}'); return
        for k, item in v.items():
            walk(shape.value, item, f'{path}.{k}')
    elif t == 'string':
        if not isinstance(v, str):
            problems.append(f'{path}: expected string, got {type(v).__name__}'); return
        if shape.enum and v not in shape.enum:
            problems.append(f'{path}: {v!r} is not one of {shape.name} {shape.enum}')
    elif t in ('integer', 'long'):
        if not isinstance(v, int) or isinstance(v, bool):
            problems.append(f'{path}: expected integer, got {v!r}')
    elif t in ('float', 'double'):
        if not isinstance(v, (int, float)) or isinstance(v, bool):
            problems.append(f'{path}: expected number, got {v!r}')
    elif t == 'boolean':
        if not isinstance(v, bool):
            problems.append(f'{path}: expected boolean, got {v!r}')
    elif t == 'timestamp':
        if isinstance(v, bool) or not isinstance(v, (int, float, str)):
            problems.append(f'{path}: expected timestamp, got {v!r}')
    elif t == 'blob':
        if not isinstance(v, str):
            problems.append(f'{path}: expected blob (base64 text), got {type(v).__name__}')
for line in sys.stdin:
    try:
        service, operation, value = json.loads(line)
        op = session.get_service_model(service).operation_model(operation)
        problems = []
        if op.output_shape is not None:
            walk(op.output_shape, value, operation)
        print(json.dumps(problems), flush=True)
    except Exception as e:
        print(json.dumps({'error': repr(e)}), flush=True)
`;

let validator:
  { child: ChildProcessWithoutNullStreams; pending: ((line: string) => void)[]; buffer: string } | undefined;

/** The validator process of this test file, started on first use and not keeping the file's worker alive. */
function validatorProcess(): NonNullable<typeof validator> {
  if (validator && validator.child.exitCode === null) return validator;
  const child = spawn('python3', ['-c', VALIDATOR], { stdio: ['pipe', 'pipe', 'pipe'] });
  const v = { child, pending: [] as ((line: string) => void)[], buffer: '' };
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    v.buffer += chunk;
    for (let i = v.buffer.indexOf('\n'); i >= 0; i = v.buffer.indexOf('\n')) {
      const line = v.buffer.slice(0, i);
      v.buffer = v.buffer.slice(i + 1);
      v.pending.shift()?.(line);
    }
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.on('exit', () => {
    for (const p of v.pending.splice(0)) p(JSON.stringify({ error: `validator exited: ${stderr}` }));
  });
  child.unref();
  (child.stdin as unknown as { unref?: () => void }).unref?.();
  (child.stdout as unknown as { unref?: () => void }).unref?.();
  (child.stderr as unknown as { unref?: () => void }).unref?.();
  validator = v;
  return v;
}

/** Problems of a parsed answer against the operation's output shape in botocore's model; [] = conforms. */
export function modelViolations(service: string, operation: string, answer: unknown): Promise<string[]> {
  const v = validatorProcess();
  return new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error('shape validator: no answer within 30 s')), 30_000);
    v.pending.push((line) => {
      clearTimeout(timer);
      const parsed = JSON.parse(line) as string[] | { error: string };
      if (Array.isArray(parsed)) done(parsed);
      else fail(new Error(`shape validator failed: ${parsed.error}`));
    });
    v.child.stdin.write(`${JSON.stringify([service, operation, answer])}\n`);
  });
}
