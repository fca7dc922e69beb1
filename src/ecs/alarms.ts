// ECS's own alarm mechanism: the service's `deploymentConfiguration.alarms` (pure), so ECS fails — and rolls
// back — a deployment during which a named alarm goes to ALARM.
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-alarm-failure.html
import type { DeploymentConfiguration } from '@aws-sdk/client-ecs';
import type { AlarmWatch } from '../deploy/types.ts';

/**
 * Pure: the deployment configuration UpdateService sends so the service watches `watch`'s alarms, the rest
 * of the service's configuration kept as it is; undefined when it already watches exactly these.
 */
export function deploymentAlarmsFor(
  current: DeploymentConfiguration | undefined,
  watch: AlarmWatch | undefined,
): DeploymentConfiguration | undefined {
  if (!watch) return undefined;
  const alarms = { alarmNames: [...watch.names], enable: true, rollback: watch.rollback };
  const now = current?.alarms;
  if (
    now?.enable === true &&
    now.rollback === alarms.rollback &&
    JSON.stringify([...(now.alarmNames ?? [])].sort()) === JSON.stringify([...alarms.alarmNames].sort())
  ) {
    return undefined;
  }
  return { ...(current ?? {}), alarms };
}
