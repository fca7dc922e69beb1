// RegisterTaskDefinition validation and the defaults ECS fills in and echoes back (pure; no state).
// Follows https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html and
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html.
import { AwsError } from '../protocol.ts';
import type { Tag } from './model.ts';

const FAMILY = /^[a-zA-Z0-9_-]{1,255}$/;
const CONTAINER_NAME = /^[a-zA-Z0-9_-]{1,255}$/;
const NETWORK_MODES = ['bridge', 'host', 'awsvpc', 'none'];

/** Valid Fargate task sizes: CPU units → allowed memory (MiB). */
const FARGATE_SIZES: Record<string, number[]> = {
  '256': [512, 1024, 2048],
  '512': range(1024, 4096, 1024),
  '1024': range(2048, 8192, 1024),
  '2048': range(4096, 16384, 1024),
  '4096': range(8192, 30720, 1024),
  '8192': range(16384, 61440, 4096),
  '16384': range(32768, 122880, 8192),
};

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}

export function clientError(message: string): AwsError {
  return new AwsError('ClientException', message);
}

/** Task-level cpu/memory: "1 vCPU" → "1024", "2 GB" → "2048"; numbers stay as strings. */
function normaliseSize(value: unknown, unit: 'cpu' | 'memory'): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = String(value).trim();
  const m = /^(\d+(?:\.\d+)?)\s*(vcpu|gb)?$/i.exec(text);
  if (!m) throw clientError(`Invalid '${unit}' setting for task.`);
  const n = Number(m[1]);
  if (m[2]) return String(Math.round(n * 1024));
  return String(n);
}

export function validateTags(tags: unknown): Tag[] {
  if (tags === undefined) return [];
  if (!Array.isArray(tags)) throw new AwsError('InvalidParameterException', 'Tags must be a list.');
  if (tags.length > 50)
    throw new AwsError('InvalidParameterException', 'The number of tags exceeds the limit of 50.');
  return (tags as Tag[]).map((t) => {
    if (typeof t.key !== 'string' || t.key.length < 1 || t.key.length > 128) {
      throw new AwsError('InvalidParameterException', 'Tag key must be between 1 and 128 characters long.');
    }
    if (t.value !== undefined && (typeof t.value !== 'string' || t.value.length > 256)) {
      throw new AwsError('InvalidParameterException', 'Tag value must be at most 256 characters long.');
    }
    return { key: t.key, value: t.value ?? '' };
  });
}

function requiresAttributes(
  input: Record<string, unknown>,
  containers: Record<string, unknown>[],
): { name: string }[] {
  const attrs = new Set<string>(['com.amazonaws.ecs.capability.docker-remote-api.1.18']);
  if (input.networkMode === 'awsvpc') attrs.add('ecs.capability.task-eni');
  if (input.executionRoleArn) attrs.add('ecs.capability.execution-role-awslogs');
  for (const c of containers) {
    if (String(c.image).includes('.dkr.ecr.') || input.executionRoleArn)
      attrs.add('com.amazonaws.ecs.capability.ecr-auth');
    if (c.healthCheck) attrs.add('ecs.capability.container-health-check');
    if (c.logConfiguration) attrs.add('com.amazonaws.ecs.capability.logging-driver.awslogs');
    if (input.taskRoleArn) attrs.add('com.amazonaws.ecs.capability.task-iam-role');
  }
  return [...attrs].sort().map((name) => ({ name }));
}

/** LogConfiguration.logDriver's enum in the API reference (and botocore's model). */
const LOG_DRIVERS = [
  'json-file',
  'syslog',
  'journald',
  'gelf',
  'fluentd',
  'awslogs',
  'splunk',
  'awsfirelens',
];

function isStringMap(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string')
  );
}

function isStringList(value: unknown): boolean {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/**
 * A container's secrets, dockerLabels, logConfiguration and command, as the API reference types them
 * (Secret: name and valueFrom required; DockerLabelsMap and LogConfigurationOptionsMap: string → string;
 * StringList; LogDriver enum). A value of the wrong JSON type is refused before validation, as the JSON 1.1
 * protocol does (SerializationException; its message is assumed, undocumented). The member path of an enum
 * error is 1-based, as AWS's validation messages write it.
 */
function validateRenderedFields(raw: Record<string, unknown>, index: number, name: string): void {
  const serialization = (member: string) =>
    new AwsError('SerializationException', `Unexpected value type for containerDefinitions.${member}`);
  if (raw.secrets !== undefined) {
    if (!Array.isArray(raw.secrets)) throw serialization('secrets');
    const names = new Set<string>();
    const plain = new Set(
      (Array.isArray(raw.environment) ? (raw.environment as { name?: unknown }[]) : []).map((e) => e.name),
    );
    for (const secret of raw.secrets as Record<string, unknown>[]) {
      if (typeof secret !== 'object' || secret === null) throw serialization('secrets');
      if (typeof secret.name !== 'string' || secret.name === '')
        throw clientError('Secret.name should not be null or empty.');
      if (typeof secret.valueFrom !== 'string' || secret.valueFrom === '')
        throw clientError('Secret.valueFrom should not be null or empty.');
      // Assumed wording (undocumented): ECS refuses a name twice, or shared with an environment variable.
      if (names.has(secret.name) || plain.has(secret.name)) {
        throw clientError(
          `The secret name must be unique and not shared with any new or existing environment variables set on the container, such as '${secret.name}'.`,
        );
      }
      names.add(secret.name);
    }
  }
  if (raw.dockerLabels !== undefined && !isStringMap(raw.dockerLabels)) throw serialization('dockerLabels');
  if (raw.command !== undefined && !isStringList(raw.command)) throw serialization('command');
  if (raw.logConfiguration !== undefined) {
    const log = raw.logConfiguration as Record<string, unknown>;
    if (typeof log !== 'object' || log === null || Array.isArray(log))
      throw serialization('logConfiguration');
    if (log.logDriver === undefined) {
      throw clientError(`Invalid setting for container '${name}'. logConfiguration.logDriver is required.`);
    }
    if (typeof log.logDriver !== 'string' || !LOG_DRIVERS.includes(log.logDriver)) {
      throw new AwsError(
        'InvalidParameterException',
        `1 validation error detected: Value '${String(log.logDriver)}' at 'containerDefinitions.${index + 1}.member.logConfiguration.logDriver' failed to satisfy constraint: Member must satisfy enum value set: [${LOG_DRIVERS.join(', ')}]`,
      );
    }
    if (log.options !== undefined && !isStringMap(log.options))
      throw serialization('logConfiguration.options');
  }
}

/**
 * ECS's "Task definition size" quota: 64 KiB (developer guide, Amazon ECS service quotas). Over it,
 * RegisterTaskDefinition answers ClientException "Actual length: '66420'. Max allowed length is '65536'
 * bytes." (the wording AWS returns, as recorded in awsdocs/amazon-ecs-developer-guide#149). What exactly AWS
 * measures is undocumented; assumed here: the request's task definition as compact JSON, tags left out.
 */
export const MAX_TASK_DEFINITION_BYTES = 65_536;

function checkTaskDefinitionSize(input: Record<string, unknown>): void {
  const { tags: _tags, ...taskDefinition } = input;
  const length = Buffer.byteLength(JSON.stringify(taskDefinition), 'utf8');
  if (length > MAX_TASK_DEFINITION_BYTES) {
    throw clientError(
      `Actual length: '${length}'. Max allowed length is '${MAX_TASK_DEFINITION_BYTES}' bytes.`,
    );
  }
}

/**
 * Validates a RegisterTaskDefinition input and renders the task definition as DescribeTaskDefinition returns
 * it (without taskDefinitionArn/revision/status/registeredAt, which the caller adds).
 */
export function renderTaskDefinition(input: Record<string, unknown>): {
  family: string;
  body: Record<string, unknown>;
  tags: Tag[];
} {
  checkTaskDefinitionSize(input);
  const family = input.family;
  if (typeof family !== 'string' || family.length === 0) {
    throw clientError('Family must be specified.');
  }
  if (!FAMILY.test(family)) {
    throw clientError(
      'Family contains invalid characters. Up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores are allowed.',
    );
  }
  const defs = input.containerDefinitions;
  if (!Array.isArray(defs) || defs.length === 0) throw clientError('Container list cannot be empty.');
  if (defs.length > 10)
    throw clientError('Too many containers. The limit is 10 containers per task definition.');
  const networkMode = input.networkMode as string | undefined;
  if (networkMode !== undefined && !NETWORK_MODES.includes(networkMode)) {
    throw new AwsError(
      'InvalidParameterException',
      `1 validation error detected: Value '${networkMode}' at 'networkMode' failed to satisfy constraint: Member must satisfy enum value set: [bridge, host, awsvpc, none]`,
    );
  }
  const cpu = normaliseSize(input.cpu, 'cpu');
  const memory = normaliseSize(input.memory, 'memory');
  const requires = (input.requiresCompatibilities as string[] | undefined) ?? [];
  for (const r of requires) {
    if (!['EC2', 'FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES'].includes(r)) {
      throw new AwsError(
        'InvalidParameterException',
        `1 validation error detected: Value '[${requires.join(', ')}]' at 'requiresCompatibilities' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [EC2, FARGATE, EXTERNAL, MANAGED_INSTANCES]]`,
      );
    }
  }
  const seen = new Set<string>();
  const containers = (defs as Record<string, unknown>[]).map((raw, index) => {
    const name = raw.name;
    if (typeof name !== 'string' || name.length === 0)
      throw clientError('Container.name should not be null or empty.');
    if (!CONTAINER_NAME.test(name)) {
      throw clientError(
        'Container name contains invalid characters. Up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores are allowed.',
      );
    }
    if (seen.has(name)) throw clientError(`Duplicate container names are not allowed: ${name}`);
    seen.add(name);
    if (typeof raw.image !== 'string' || raw.image.length === 0)
      throw clientError('Container.image should not be null or empty.');
    validateRenderedFields(raw, index, name);
    if (memory === undefined && raw.memory === undefined && raw.memoryReservation === undefined) {
      throw clientError(
        `Invalid setting for container '${name}'. At least one of 'memory' or 'memoryReservation' must be specified.`,
      );
    }
    if (
      typeof raw.memory === 'number' &&
      typeof raw.memoryReservation === 'number' &&
      raw.memoryReservation > raw.memory
    ) {
      throw clientError(
        `Invalid setting for container '${name}'. 'memory' must be greater than or equal to 'memoryReservation'.`,
      );
    }
    const hc = raw.healthCheck as Record<string, unknown> | undefined;
    let healthCheck: Record<string, unknown> | undefined;
    if (hc) {
      const command = hc.command as string[] | undefined;
      if (!Array.isArray(command) || command.length === 0)
        throw clientError('HealthCheck.command should not be null or empty.');
      healthCheck = {
        command,
        interval: hc.interval ?? 30,
        timeout: hc.timeout ?? 5,
        retries: hc.retries ?? 3,
        ...(hc.startPeriod !== undefined ? { startPeriod: hc.startPeriod } : {}),
      };
      const interval = healthCheck.interval as number;
      if (interval < 5 || interval > 300)
        throw clientError('Health check interval must be between 5 and 300 seconds.');
      const retries = healthCheck.retries as number;
      if (retries < 1 || retries > 10) throw clientError('Health check retries must be between 1 and 10.');
    }
    const portMappings = ((raw.portMappings as Record<string, unknown>[] | undefined) ?? []).map((p) => ({
      ...p,
      containerPort: p.containerPort,
      hostPort: p.hostPort ?? (networkMode === 'awsvpc' || networkMode === 'host' ? p.containerPort : 0),
      protocol: p.protocol ?? 'tcp',
    }));
    if (networkMode === 'awsvpc') {
      for (const p of portMappings) {
        if (p.hostPort !== p.containerPort) {
          throw clientError(
            'When networkMode=awsvpc, the host ports and container ports in port mappings must match.',
          );
        }
      }
    }
    return {
      ...raw,
      cpu: raw.cpu ?? 0,
      portMappings,
      essential: raw.essential ?? true,
      environment: raw.environment ?? [],
      mountPoints: raw.mountPoints ?? [],
      volumesFrom: raw.volumesFrom ?? [],
      ...(healthCheck ? { healthCheck } : {}),
      systemControls: raw.systemControls ?? [],
    };
  });
  if (!containers.some((c) => c.essential === true)) {
    throw clientError('A task definition must have at least one essential container.');
  }
  if (requires.includes('FARGATE')) {
    if (networkMode !== 'awsvpc') throw clientError("Fargate only supports network mode 'awsvpc'.");
    if (cpu === undefined) throw clientError("Fargate requires that 'cpu' be defined at the task level.");
    if (memory === undefined)
      throw clientError("Fargate requires that 'memory' be defined at the task level.");
    if (!FARGATE_SIZES[cpu]?.includes(Number(memory))) {
      throw clientError(
        `No Fargate configuration exists for given values: ${cpu} CPU, ${memory} memory. See the Amazon ECS documentation for the valid values.`,
      );
    }
  }
  const fargateCompatible =
    networkMode === 'awsvpc' &&
    cpu !== undefined &&
    memory !== undefined &&
    FARGATE_SIZES[cpu]?.includes(Number(memory)) === true;
  const compatibilities = ['EC2', ...(fargateCompatible ? ['FARGATE'] : [])];
  if (requires.includes('EXTERNAL')) compatibilities.push('EXTERNAL');
  const tags = validateTags(input.tags);
  const body: Record<string, unknown> = {
    containerDefinitions: containers,
    family,
    ...(input.taskRoleArn ? { taskRoleArn: input.taskRoleArn } : {}),
    ...(input.executionRoleArn ? { executionRoleArn: input.executionRoleArn } : {}),
    ...(networkMode ? { networkMode } : {}),
    volumes: input.volumes ?? [],
    requiresAttributes: requiresAttributes(input, containers),
    placementConstraints: input.placementConstraints ?? [],
    compatibilities,
    ...(input.runtimePlatform ? { runtimePlatform: input.runtimePlatform } : {}),
    ...(requires.length > 0 ? { requiresCompatibilities: requires } : {}),
    ...(cpu !== undefined ? { cpu } : {}),
    ...(memory !== undefined ? { memory } : {}),
    ...(input.pidMode ? { pidMode: input.pidMode } : {}),
    ...(input.ipcMode ? { ipcMode: input.ipcMode } : {}),
    ...(input.proxyConfiguration ? { proxyConfiguration: input.proxyConfiguration } : {}),
    ...(input.inferenceAccelerators ? { inferenceAccelerators: input.inferenceAccelerators } : {}),
    ...(input.ephemeralStorage ? { ephemeralStorage: input.ephemeralStorage } : {}),
    ...(input.enableFaultInjection !== undefined ? { enableFaultInjection: input.enableFaultInjection } : {}),
  };
  return { family, body, tags };
}

/** The fields DescribeTaskDefinition returns that RegisterTaskDefinition does not accept. */
export const READ_ONLY_TASK_DEFINITION_FIELDS = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
];
