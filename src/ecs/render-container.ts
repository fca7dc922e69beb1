// The render inputs beyond image and environment — secrets, docker labels, log configuration, command —
// parsed from the step's inputs and applied to the containers that get the new image (pure).
import { Input, type InputName } from '../contract.ts';
import { InputError } from '../errors.ts';
import type { KeyValue } from '../image/types.ts';

/** A container secret: the variable's name and the ARN ECS reads its value from (never the value itself). */
export interface SecretRef {
  readonly name: string;
  readonly valueFrom: string;
}

/** `log-configuration-log-driver` + `log-configuration-options`. */
export interface LogConfigurationInput {
  /** Absent: the options merge into the container's own log configuration. */
  readonly logDriver: string | undefined;
  readonly options: readonly KeyValue[];
}

/** What the render inputs set on each rendered container; empty lists and undefined change nothing. */
export interface ContainerRender {
  readonly secrets: readonly SecretRef[];
  readonly dockerLabels: readonly KeyValue[];
  readonly logConfiguration: LogConfigurationInput | undefined;
  readonly command: readonly string[] | undefined;
}

export const NO_CONTAINER_RENDER: ContainerRender = {
  secrets: [],
  dockerLabels: [],
  logConfiguration: undefined,
  command: undefined,
};

/** The log drivers RegisterTaskDefinition takes (API reference, LogConfiguration.logDriver). */
export const LOG_DRIVERS = [
  'json-file',
  'syslog',
  'journald',
  'gelf',
  'fluentd',
  'awslogs',
  'splunk',
  'awsfirelens',
] as const;

/** The awslogs driver's options (developer guide, "Using the awslogs log driver"). */
const AWSLOGS_OPTIONS = [
  'awslogs-group',
  'awslogs-region',
  'awslogs-stream-prefix',
  'awslogs-create-group',
  'awslogs-datetime-format',
  'awslogs-multiline-pattern',
  'awslogs-endpoint',
  'mode',
  'max-buffer-size',
];

// Secrets Manager: the secret's ARN, optionally followed by `:json-key:version-stage:version-id`.
const SECRETS_MANAGER_ARN =
  /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+(?::[^:\s]*:[^:\s]*:[^:\s]*)?$/;
const SSM_PARAMETER_ARN = /^arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter\/[A-Za-z0-9/_.-]+$/;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Several problems of one input become one error naming it, each problem on its own line. */
function fail(name: InputName, problems: readonly string[]): void {
  if (problems.length === 0) return;
  throw new InputError(name, problems.length === 1 ? (problems[0] ?? '') : `\n- ${problems.join('\n- ')}`);
}

/** `KEY=VALUE` lines; blank lines skipped; a repeated key is a problem (which one would win is a guess). */
function keyValueLines(value: string, example: string): { pairs: KeyValue[]; problems: string[] } {
  const pairs: KeyValue[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  value
    .split('\n')
    .map((l) => l.trim())
    .forEach((line, i) => {
      if (line === '') return;
      const eq = line.indexOf('=');
      const key = eq > 0 ? line.slice(0, eq).trim() : '';
      if (key === '') {
        problems.push(`line ${i + 1} ("${line}") is not KEY=VALUE. Write one per line, e.g. ${example}.`);
        return;
      }
      if (seen.has(key)) {
        problems.push(`${key} is given twice; give each once.`);
        return;
      }
      seen.add(key);
      pairs.push({ name: key, value: line.slice(eq + 1).trim() });
    });
  return { pairs, problems };
}

/**
 * Pure: the `secrets` input, `NAME=arn` per line (a Secrets Manager secret or an SSM parameter ARN). A name
 * given twice, or also given in `environment`, is an error: a variable is either plain or secret.
 */
export function parseSecrets(value: string, environment: readonly KeyValue[] = []): SecretRef[] {
  const { pairs, problems } = keyValueLines(
    value,
    'DB_PASSWORD=arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db',
  );
  const plain = new Set(environment.map((e) => e.name));
  for (const { name, value: arn } of pairs) {
    if (!VARIABLE_NAME.test(name)) {
      problems.push(`"${name}" is not a variable name (letters, digits and _, not starting with a digit).`);
    }
    if (!SECRETS_MANAGER_ARN.test(arn) && !SSM_PARAMETER_ARN.test(arn)) {
      problems.push(
        `${name}: "${arn}" is not a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>[:json-key:stage:version]) or an SSM parameter ARN (arn:aws:ssm:<region>:<account>:parameter/<name>).`,
      );
    }
    if (plain.has(name)) {
      problems.push(
        `${name} is in both secrets and environment; a variable is either plain or secret. Remove it from one of them.`,
      );
    }
  }
  fail(Input.Secrets, problems);
  return pairs.map(({ name, value: valueFrom }) => ({ name, valueFrom }));
}

/** Pure: the `docker-labels` input, `key=value` per line. */
export function parseDockerLabels(value: string): KeyValue[] {
  const { pairs, problems } = keyValueLines(value, 'com.example.team=payments');
  for (const { name } of pairs) {
    if (/[\s\p{C}]/u.test(name))
      problems.push(`the label "${name}" contains white space or control characters.`);
  }
  fail(Input.DockerLabels, problems);
  return pairs;
}

/** Pure: the `log-configuration-log-driver` input (empty: the container's own driver stays). */
export function parseLogDriver(value: string): string | undefined {
  const logDriver = value.trim();
  if (logDriver === '') return undefined;
  if (!(LOG_DRIVERS as readonly string[]).includes(logDriver)) {
    throw new InputError(
      Input.LogConfigurationLogDriver,
      `"${logDriver}" is not a log driver ECS knows. Use one of ${LOG_DRIVERS.join(', ')}.`,
    );
  }
  return logDriver;
}

/** Pure: the `log-configuration-options` input, `key=value` per line. */
export function parseLogOptions(value: string): KeyValue[] {
  const { pairs, problems } = keyValueLines(value, 'awslogs-group=/ecs/web');
  fail(Input.LogConfigurationOptions, problems);
  return pairs;
}

/** Pure: the two log inputs together; nothing given → undefined (the container's log configuration stays). */
export function logConfigurationInput(
  logDriver: string | undefined,
  options: readonly KeyValue[],
): LogConfigurationInput | undefined {
  return logDriver === undefined && options.length === 0 ? undefined : { logDriver, options };
}

/**
 * Pure: the `command` input. A JSON array of strings (`["node", "server.js"]`), or else a line split like a
 * shell splits words — white space separates, '…' and "…" quote, \ escapes — with no expansion of any kind.
 */
export function parseCommand(value: string): string[] | undefined {
  const text = value.trim();
  if (text === '') return undefined;
  if (text.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new InputError(
        Input.Command,
        'starts with [ but is not a JSON array of strings, e.g. ["node", "server.js"].',
      );
    }
    if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((p) => typeof p === 'string')) {
      throw new InputError(
        Input.Command,
        'must be a non-empty JSON array of strings, e.g. ["node", "server.js"].',
      );
    }
    return parsed as string[];
  }
  const words: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] ?? '';
    const next = chars[i + 1];
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else word += ch;
    } else if (ch === '\\' && next !== undefined && (quote === undefined || '"\\$`'.includes(next))) {
      word = (word ?? '') + next;
      i++;
    } else if (quote === '"') {
      if (ch === '"') quote = undefined;
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      word ??= '';
    } else if (/\s/.test(ch)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? '') + ch;
    }
  }
  if (quote) {
    throw new InputError(
      Input.Command,
      `has an unclosed ${quote} quote. Close it, or give a JSON array of strings.`,
    );
  }
  if (word !== undefined) words.push(word);
  return words;
}

type Container = Record<string, unknown> & { name?: string };

function recordOf(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** Pure: problems of a log configuration as it will be registered (awslogs: its options, its required ones). */
export function logConfigurationProblems(logConfiguration: {
  logDriver: string;
  options: Record<string, string>;
}): string[] {
  if (logConfiguration.logDriver !== 'awslogs') return [];
  const { options } = logConfiguration;
  const problems: string[] = [];
  const unknown = Object.keys(options).filter((k) => !AWSLOGS_OPTIONS.includes(k));
  if (unknown.length > 0) {
    problems.push(`awslogs does not take ${unknown.join(', ')} (it takes ${AWSLOGS_OPTIONS.join(', ')}).`);
  }
  for (const required of ['awslogs-group', 'awslogs-region']) {
    if (!options[required]) problems.push(`awslogs needs ${required}.`);
  }
  if (options.mode !== undefined && !['blocking', 'non-blocking'].includes(options.mode)) {
    problems.push(`awslogs mode "${options.mode}" is neither blocking nor non-blocking.`);
  }
  const create = options['awslogs-create-group'];
  if (create !== undefined && create !== 'true' && create !== 'false') {
    problems.push(`awslogs-create-group "${create}" is neither true nor false.`);
  }
  if (options['awslogs-datetime-format'] && options['awslogs-multiline-pattern']) {
    problems.push('awslogs takes awslogs-datetime-format or awslogs-multiline-pattern, not both.');
  }
  return problems;
}

/**
 * Pure: a rendered container with the render inputs applied, and the problems found, each with the input it
 * belongs to. Merges are explicit: a secret replaces the container's secret of the same name; labels merge
 * key by key; the log driver replaces the container's (its options then start empty unless the driver is the
 * same), the options merge into it; the command replaces the container's.
 */
export function applyContainerRender(
  container: Container,
  render: ContainerRender,
  { owner, environment }: { owner: string; environment: readonly KeyValue[] },
): { container: Container; problems: { input: InputName; message: string }[] } {
  const out: Container = { ...container };
  const problems: { input: InputName; message: string }[] = [];
  const where = `container ${container.name ?? '?'} of ${owner}`;
  if (render.secrets.length > 0) {
    const secrets = Array.isArray(container.secrets) ? [...(container.secrets as SecretRef[])] : [];
    for (const s of render.secrets) {
      const i = secrets.findIndex((e) => e.name === s.name);
      if (i >= 0) secrets[i] = { name: s.name, valueFrom: s.valueFrom };
      else secrets.push({ name: s.name, valueFrom: s.valueFrom });
    }
    out.secrets = secrets;
  }
  // ECS refuses a name both in secrets and environment; say which input brought it.
  const plain = new Set(
    (Array.isArray(out.environment) ? (out.environment as { name?: string }[]) : []).map((e) => e.name),
  );
  for (const s of (Array.isArray(out.secrets) ? (out.secrets as SecretRef[]) : []).filter((x) =>
    plain.has(x.name),
  )) {
    const fromSecrets = render.secrets.some((r) => r.name === s.name);
    // A clash the file alone holds is ECS's to refuse; ours are the clashes an input brought.
    if (!fromSecrets && !environment.some((e) => e.name === s.name)) continue;
    problems.push({
      input: fromSecrets ? Input.Secrets : Input.Environment,
      message: `${s.name} would be both a secret and a plain environment variable in ${where}; ECS refuses that. Remove it from ${fromSecrets ? 'the task definition’s environment (or from secrets)' : 'environment (it is a secret of the container)'}.`,
    });
  }
  if (render.dockerLabels.length > 0) {
    const labels: Record<string, unknown> = { ...(recordOf(container.dockerLabels) ?? {}) };
    for (const { name, value } of render.dockerLabels) labels[name] = value;
    out.dockerLabels = labels;
  }
  const log = render.logConfiguration;
  if (log) {
    const existing = recordOf(container.logConfiguration);
    const existingDriver = typeof existing?.logDriver === 'string' ? existing.logDriver : undefined;
    const logDriver = log.logDriver ?? existingDriver;
    if (logDriver === undefined) {
      problems.push({
        input: Input.LogConfigurationOptions,
        message: `${where} has no log configuration to add options to. Set log-configuration-log-driver as well.`,
      });
    } else {
      const keep = logDriver === existingDriver ? (recordOf(existing?.options) ?? {}) : {};
      const options: Record<string, string> = {};
      for (const [k, v] of Object.entries(keep)) options[k] = String(v);
      for (const { name, value } of log.options) options[name] = value;
      out.logConfiguration = {
        ...(logDriver === existingDriver ? existing : {}),
        logDriver,
        options,
      };
      for (const message of logConfigurationProblems({ logDriver, options })) {
        problems.push({ input: Input.LogConfigurationOptions, message: `${where}: ${message}` });
      }
    }
  }
  if (render.command) out.command = [...render.command];
  return { container: out, problems };
}
