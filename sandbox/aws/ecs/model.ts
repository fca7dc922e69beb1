// Data model of the fake Amazon ECS: clusters, task definitions, services, deployments and tasks, plus the
// time scale and the identifiers/ARNs ECS hands out. Shapes follow the ECS API reference data types
// (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Types.html).
import { randomBytes, randomUUID } from 'node:crypto';
import type { RealContainer } from './containers.ts';
import type { RuntimePlan } from './runtime.ts';

export interface Tag {
  key: string;
  value?: string;
}

export interface Cluster {
  name: string;
  arn: string;
  createdAt: Date;
  tags: Tag[];
  settings: { name: string; value: string }[];
}

export interface TaskDefinition {
  family: string;
  revision: number;
  arn: string;
  status: 'ACTIVE' | 'INACTIVE';
  /** The rendered description (defaults filled in), without `status` and `deregisteredAt`. */
  body: Record<string, unknown>;
  tags: Tag[];
  registeredAt: Date;
  deregisteredAt?: Date;
}

export interface ContainerDefinition {
  name: string;
  image: string;
  essential?: boolean;
  command?: string[];
  entryPoint?: string[];
  cpu?: number;
  memory?: number;
  memoryReservation?: number;
  healthCheck?: {
    command: string[];
    interval?: number;
    timeout?: number;
    retries?: number;
    startPeriod?: number;
  };
  stopTimeout?: number;
  portMappings?: Record<string, unknown>[];
}

export type RolloutState = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

export interface Deployment {
  id: string;
  status: 'PRIMARY' | 'ACTIVE' | 'INACTIVE';
  taskDefinitionArn: string;
  desiredCount: number;
  failedTasks: number;
  createdAt: Date;
  updatedAt: Date;
  launchType?: string;
  capacityProviderStrategy?: unknown[];
  platformVersion?: string;
  platformFamily?: string;
  networkConfiguration?: unknown;
  rolloutState: RolloutState;
  rolloutStateReason: string;
  /** A task of this deployment ran successfully: the failed-task count is reset and no longer evaluated. */
  successSeen: boolean;
  serviceRevisionArn: string;
  serviceDeploymentArn: string;
  /** Set on rollback deployments: the deployment they roll back to. */
  rollbackOf?: string;
  /**
   * Alarm transitions before this time are not this deployment's: a rollback started by alarms does not fail
   * on the very transitions that started it (they happened before it, in wall time, even when the sandbox's
   * clock evaluated the failure a moment late).
   */
  alarmsSince?: Date;
  impairedReported: boolean;
  completedAt?: Date;
  failedAt?: Date;
  supersededAt?: Date;
  firstTaskStoppedAt?: Date;
  firstTaskStoppedReason?: string;
  firstTaskStopCode?: string;
}

export interface ServiceDeploymentRecord {
  arn: string;
  createdAt: Date;
  startedAt: Date;
  updatedAt: Date;
  finishedAt?: Date;
  stoppedAt?: Date;
  sourceRevisionArns: string[];
  targetRevisionArn: string;
  /** The deployment (ecs-svc/...) this service deployment rolls out, and the rollback deployment if any. */
  deploymentId: string;
  rollbackDeploymentId?: string;
  status: string;
  statusReason?: string;
  deploymentConfiguration: DeploymentConfiguration;
  rollback?: { reason: string; startedAt: Date; serviceRevisionArn: string };
  circuitBreakerStatus: 'TRIGGERED' | 'MONITORING' | 'MONITORING_COMPLETE' | 'DISABLED';
}

export interface DeploymentConfiguration {
  deploymentCircuitBreaker?: { enable: boolean; rollback: boolean };
  maximumPercent?: number;
  minimumHealthyPercent?: number;
  [key: string]: unknown;
}

export interface ServiceEvent {
  id: string;
  createdAt: Date;
  message: string;
}

export interface Service {
  name: string;
  arn: string;
  clusterArn: string;
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  desiredCount: number;
  taskDefinitionArn: string;
  launchType?: string;
  capacityProviderStrategy?: unknown[];
  platformVersion?: string;
  platformFamily?: string;
  deploymentConfiguration: DeploymentConfiguration;
  deploymentController: { type: string };
  networkConfiguration?: unknown;
  deployments: Deployment[];
  /** Every deployment ever created (for rollback targets and the timeline). */
  history: Deployment[];
  serviceDeployments: ServiceDeploymentRecord[];
  events: ServiceEvent[];
  createdAt: Date;
  createdBy: string;
  tags: Tag[];
  echo: Record<string, unknown>;
  nextLaunchAt: number;
  steady: boolean;
}

export interface Container {
  containerArn: string;
  name: string;
  image: string;
  imageDigest?: string;
  runtimeId?: string;
  lastStatus: string;
  exitCode?: number;
  reason?: string;
  healthStatus?: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
  essential: boolean;
  cpu?: string;
  memory?: string;
  memoryReservation?: string;
}

export interface Task {
  id: string;
  arn: string;
  clusterArn: string;
  taskDefinitionArn: string;
  serviceName?: string;
  deploymentId?: string;
  group: string;
  startedBy?: string;
  launchType?: string;
  capacityProviderName?: string;
  platformVersion?: string;
  lastStatus: string;
  desiredStatus: 'RUNNING' | 'STOPPED';
  healthStatus: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
  createdAt: Date;
  pullStartedAt?: Date;
  pullStoppedAt?: Date;
  startedAt?: Date;
  connectivityAt?: Date;
  stoppingAt?: Date;
  executionStoppedAt?: Date;
  stoppedAt?: Date;
  stopCode?: string;
  stoppedReason?: string;
  containers: Container[];
  overrides: {
    containerOverrides: { name: string; command?: string[] }[];
    inferenceAcceleratorOverrides: [];
  };
  tags: Tag[];
  version: number;
  cpu?: string;
  memory?: string;
  // --- simulation only (not rendered) ---
  phaseUntil: number;
  plan?: RuntimePlan;
  /** The essential container running for real in the Docker engine (undefined = simulated runtime). */
  real?: RealContainer;
  exitAt?: number;
  healthyAt?: number;
  unhealthyAt?: number;
  /** Counted as a failure of its deployment (the circuit breaker's input). */
  failed: boolean;
}

/** Seconds of simulated time at time scale 1 (roughly what Fargate takes); multiplied by the time scale. */
export const BASE_SECONDS = {
  provisioning: 10,
  pull: 8,
  /** How long a simulated process that exits on its own runs before exiting (no `sleep` in its command). */
  exitAfter: 2,
  stopping: 5,
  deprovisioning: 5,
  /** Delay before the scheduler launches again after a task of the service failed. */
  relaunchDelay: 5,
  /**
   * Without a health check on an essential container, a task that keeps running this long counts as healthy
   * (API DeploymentConfiguration `minimumHealthyPercent`: "the service scheduler will wait for 40 seconds after
   * a task reaches a RUNNING state").
   */
  successWindow: 40,
};

export function defaultTimeScale(): number {
  const fromEnv = Number(process.env.SANDBOX_ECS_TIME_SCALE);
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : 0.02;
}

export function newTaskId(): string {
  return randomBytes(16).toString('hex');
}

/** `ecs-svc/` followed by 19 digits, like the ids ECS gives deployments. */
export function newDeploymentId(): string {
  return `ecs-svc/${digits(19)}`;
}

export function digits(n: number): string {
  const bytes = randomBytes(n);
  let out = String(1 + (bytes[0]! % 9));
  for (let i = 1; i < n; i++) out += String(bytes[i]! % 10);
  return out;
}

export function newEventId(): string {
  return randomUUID();
}

export function shortTaskId(task: Task): string {
  return task.id;
}
