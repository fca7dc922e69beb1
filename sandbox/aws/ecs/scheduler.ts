// Pure decisions of the fake ECS service scheduler (rolling update, deployment controller ECS) and the
// deployment circuit breaker. Sources:
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-ecs.html (min/max percent),
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceDeploymentCircuitBreaker.html (threshold).

export interface TaskView {
  id: string;
  /** lastStatus RUNNING (and HEALTHY when the task has a container health check). */
  healthy: boolean;
}

export interface RolloutInput {
  desiredCount: number;
  minimumHealthyPercent: number;
  maximumPercent: number;
  /** Live tasks (desiredStatus RUNNING, not STOPPED) of the PRIMARY deployment. */
  primary: TaskView[];
  /** Live tasks of every other deployment. */
  old: TaskView[];
  /** Whether the scheduler may launch tasks for the primary deployment now. */
  canLaunch: boolean;
}

export interface RolloutDecision {
  start: number;
  stop: string[];
}

/** Failed tasks that trip the circuit breaker: 0.5 × desired count (rounded up), at least 3, at most 200. */
export function circuitBreakerThreshold(desiredCount: number): number {
  return Math.min(200, Math.max(3, Math.ceil(desiredCount * 0.5)));
}

export function minimumHealthy(desired: number, percent: number): number {
  return Math.ceil((desired * percent) / 100);
}

export function maximumTotal(desired: number, percent: number): number {
  return Math.floor((desired * percent) / 100);
}

/**
 * One scheduler pass: stop tasks of older deployments as long as the healthy count stays at or above
 * minimumHealthyPercent (unhealthy/not yet running ones first), stop surplus primary tasks, and start
 * primary tasks while the total stays at or below maximumPercent.
 */
export function planRollout(input: RolloutInput): RolloutDecision {
  const minHealthy = minimumHealthy(input.desiredCount, input.minimumHealthyPercent);
  const maxTotal = Math.max(maximumTotal(input.desiredCount, input.maximumPercent), 0);
  const stop: string[] = [];
  let healthy = [...input.primary, ...input.old].filter((t) => t.healthy).length;
  const primaryHealthy = input.primary.filter((t) => t.healthy).length;
  // Once the primary deployment alone meets the desired count, every old task goes.
  const oldOrdered = [...input.old].sort((a, b) => Number(a.healthy) - Number(b.healthy));
  for (const t of oldOrdered) {
    if (!t.healthy || primaryHealthy >= input.desiredCount || healthy - 1 >= minHealthy) {
      stop.push(t.id);
      if (t.healthy) healthy -= 1;
    }
  }
  let primaryLive = input.primary.length;
  if (primaryLive > input.desiredCount) {
    const surplus = [...input.primary]
      .sort((a, b) => Number(a.healthy) - Number(b.healthy))
      .slice(0, primaryLive - input.desiredCount);
    for (const t of surplus) stop.push(t.id);
    primaryLive = input.desiredCount;
  }
  const liveAfterStops =
    primaryLive + input.old.length - stop.filter((id) => input.old.some((t) => t.id === id)).length;
  const need = Math.max(0, input.desiredCount - primaryLive);
  const room = Math.max(0, maxTotal - liveAfterStops);
  return { start: input.canLaunch ? Math.min(need, room) : 0, stop };
}
