// The port every deploy target implements (ECS services, Kubernetes Deployments). The driver runs the
// lifecycle over it; a target holds only what differs between the platforms.
import type { EcsResult, EksResult, ResultBase, ResultStatus } from './types.ts';

/** The image a target deploys. */
export interface DeployImage {
  /** `repo@sha256:…` */
  readonly imageRef: string;
  /** Containers using this repository get the image by default. */
  readonly repositoryUri: string;
}

/**
 * Before the build the digest is not known: a stand-in lets a target check its container selection against
 * the repository (rendering is pure, so the real render after the build sees the same selection).
 */
export function standInImage(repositoryUri: string): DeployImage {
  return { imageRef: `${repositoryUri}@sha256:${'0'.repeat(64)}`, repositoryUri };
}

/** What waiting found out about one revision. */
export type Verdict =
  | { readonly kind: 'completed' }
  /** `superseded`: someone else's change replaced ours (or the object went away): never roll back over it. */
  | { readonly kind: 'failed'; readonly reason: string; readonly superseded?: boolean }
  | { readonly kind: 'timed-out'; readonly reason: string }
  /** The state could not be read until the deadline: says what was last seen and what the platform does next. */
  | { readonly kind: 'unverified'; readonly reason: string };

export interface WaitBudget {
  /** Epoch ms (on the target's clock) by which the wait ends. */
  readonly deadline: number;
  /** Definitive failures of the revision that end the wait early; 0 never ends it early. */
  readonly failFastAfter: number;
  /** The step is cancelled: end the wait at once, `unverified`, saying what was seen last. */
  readonly signal?: AbortSignal;
}

export type RollbackStart<Handle> = { readonly handle: Handle } | { readonly skipped: string };

/** The fields of a result the driver decides; the rest are the platform's. */
type DriverFields = Exclude<keyof ResultBase, 'consoleUrl'>;
export type ResultDetails = Omit<EcsResult, DriverFields> | Omit<EksResult, DriverFields>;

/**
 * One target: a set of units (services, Deployments) prepared read-only before anything was built. `Plan`
 * is the change for an image (pure), `Handle` a change in flight (our deployment, our generation).
 */
export interface TargetPort<Unit, Plan, Handle> {
  readonly units: readonly Unit[];
  nameOf(unit: Unit): string;
  /** Pure: the change that puts the image on this unit. Throws on a selection the unit cannot take. */
  render(unit: Unit, image: DeployImage): Plan;
  /** Nothing to roll out: the unit already runs exactly this. */
  unchanged(plan: Plan): boolean;
  /** Dry run: what would change, line by line. */
  preview(unit: Unit, plan: Plan): string[];
  /** Once, before the first unit changes (ECS: the pre-deploy task). Throwing fails every unit to apply. */
  beforeApply?(items: readonly { readonly unit: Unit; readonly plan: Plan }[]): Promise<void>;
  /** Makes the change; the handle identifies *our* revision. */
  apply(unit: Unit, plan: Plan): Promise<Handle>;
  /** Waits for that revision's outcome. Errors reading the state are never a failure of the revision. */
  wait(handle: Handle, budget: WaitBudget): Promise<Verdict>;
  /** A rollback the platform started on its own after this verdict (ECS's circuit breaker), to wait for. */
  platformRollback(handle: Handle): Handle | undefined;
  /** Starts going back to what ran before ours. */
  rollBack(handle: Handle): Promise<RollbackStart<Handle>>;
  /** What a rollback handle goes back to, for messages: `…:task-definition/web:6`, `revision 3`. */
  rollbackTarget(handle: Handle): string;
  /** The platform's fields of the unit's result (`handle`: the change, when one was made). */
  details(unit: Unit, handle: Handle | undefined, status: ResultStatus): ResultDetails;
}
