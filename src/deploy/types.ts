/** Values of the `rollout-status` output (DESIGN.md, contract decisions). */
export type RolloutStatus = 'completed' | 'failed' | 'rolled-back' | 'timed-out' | 'unchanged' | 'started';

/** How every target waits and recovers; read once from the inputs. */
export interface DeployOptions {
  readonly wait: boolean;
  readonly timeoutMs: number;
  /** Definitive failures of our revision that end the wait early; 0 disables. */
  readonly failFastAfter: number;
  readonly rollbackOnFailure: boolean;
  readonly dryRun: boolean;
}

/** One entry of the `results` output: one per ECS service or Kubernetes Deployment. */
export interface DeployResult {
  readonly target: 'ecs' | 'eks';
  /** `cluster/service` or `namespace/deployment`. */
  readonly name: string;
  readonly status: RolloutStatus | 'dry-run';
  readonly rolledBack: boolean;
  readonly durationSeconds: number;
  /** Why it failed, timed out or was rolled back. */
  readonly reason?: string;
  readonly consoleUrl?: string;
  // ECS
  readonly taskDefinitionArn?: string;
  readonly previousTaskDefinitionArn?: string;
  readonly deploymentId?: string;
  // EKS
  readonly revision?: string;
  readonly previousRevision?: string;
}

/** A rollout that ended in anything but success fails the step, after every target has been reported. */
export class RolloutFailedError extends Error {
  readonly results: readonly DeployResult[];
  constructor(message: string, results: readonly DeployResult[]) {
    super(message);
    this.name = 'RolloutFailedError';
    this.results = results;
  }
}
