// CloudWatch Logs of failed tasks: where each essential container's `awslogs` driver writes (pure), and the
// last lines of those streams, printed when a task of ours failed (I/O; best effort: the verdict stands).
import type { Log } from '../deploy/log.ts';
import { errorName } from '../aws/errors.ts';

/** The parts of a container definition that say where its output goes. */
export interface LoggedContainer {
  readonly name?: string;
  readonly essential?: boolean;
  readonly logConfiguration?: {
    readonly logDriver?: string;
    readonly options?: Record<string, string>;
  };
}

export type LogLocation =
  | {
      readonly kind: 'awslogs';
      readonly container: string;
      readonly region: string;
      readonly group: string;
      readonly stream: string;
    }
  /** Why the output of this container cannot be read from CloudWatch Logs. */
  | { readonly kind: 'none'; readonly container: string; readonly why: string };

/**
 * Pure: where the awslogs driver writes each essential container's output for a task: stream
 * `<awslogs-stream-prefix>/<container>/<task id>` in `awslogs-group`, in `awslogs-region` (default: the
 * task's region). https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html
 */
export function logLocations(
  containers: readonly LoggedContainer[],
  taskArn: string,
  defaultRegion: string,
): LogLocation[] {
  const taskId = taskArn.split('/').at(-1) ?? taskArn;
  return containers
    .filter((c) => c.essential !== false)
    .map((c): LogLocation => {
      const container = c.name ?? '';
      const config = c.logConfiguration;
      if (!config?.logDriver) {
        return { kind: 'none', container, why: 'its task definition has no logConfiguration (awslogs)' };
      }
      if (config.logDriver !== 'awslogs') {
        return { kind: 'none', container, why: `its logs go to the ${config.logDriver} driver, not awslogs` };
      }
      const o = config.options ?? {};
      const group = o['awslogs-group'];
      if (!group) return { kind: 'none', container, why: 'its awslogs options name no awslogs-group' };
      const prefix = o['awslogs-stream-prefix'];
      if (!prefix) {
        return {
          kind: 'none',
          container,
          why: 'its awslogs options have no awslogs-stream-prefix (the stream is named after the Docker container id)',
        };
      }
      return {
        kind: 'awslogs',
        container,
        region: o['awslogs-region'] ?? defaultRegion,
        group,
        stream: `${prefix}/${container}/${taskId}`,
      };
    });
}

/** The console's own escaping in log-group/log-events paths: URI-encoded twice, `%` written as `$`. */
function consoleEscape(value: string): string {
  return encodeURIComponent(encodeURIComponent(value)).replace(/%/g, '$');
}

/** Pure: the CloudWatch console page of one log stream. */
export function logStreamConsoleUrl(region: string, group: string, stream: string): string {
  return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#logsV2:log-groups/log-group/${consoleEscape(group)}/log-events/${consoleEscape(stream)}`;
}

/** The one call this needs, so tests can script it (the SDK client's `send` in production). */
export interface LogReader {
  /** The last `limit` events of the stream, oldest first. */
  lastEvents(
    region: string,
    group: string,
    stream: string,
    limit: number,
  ): Promise<readonly { readonly timestamp?: number; readonly message?: string }[]>;
}

export interface PrintTaskLogsOptions {
  readonly reader: LogReader;
  readonly log: Log;
  /** `cluster/service`, for the messages. */
  readonly name: string;
  readonly containers: readonly LoggedContainer[];
  readonly taskArns: readonly string[];
  readonly region: string;
  readonly lines: number;
}

const DENIED = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation']);

/**
 * Prints the last lines of each essential container's log of each failed task, and returns the console links
 * of the streams read. Never throws: a missing permission is one warning naming `logs:GetLogEvents`, other
 * errors one line each; the verdict is not touched.
 */
export async function printTaskLogs(options: PrintTaskLogsOptions): Promise<string[]> {
  const { reader, log, name } = options;
  const links: string[] = [];
  const said = new Set<string>();
  for (const taskArn of options.taskArns) {
    const taskId = taskArn.split('/').at(-1) ?? taskArn;
    for (const where of logLocations(options.containers, taskArn, options.region)) {
      if (where.kind === 'none') {
        const text = `${name}: no CloudWatch Logs for container ${where.container}: ${where.why}.`;
        if (!said.has(text)) log.info(text);
        said.add(text);
        continue;
      }
      const url = logStreamConsoleUrl(where.region, where.group, where.stream);
      let events;
      try {
        events = await reader.lastEvents(where.region, where.group, where.stream, options.lines);
      } catch (error) {
        if (DENIED.has(errorName(error) ?? '')) {
          log.warning(
            `${name}: cannot read the logs of the failed tasks: permission logs:GetLogEvents is missing on ${where.group} (the verdict does not depend on it). Logs: ${url}`,
          );
          return links;
        }
        log.info(
          `${name}: could not read log stream ${where.group}/${where.stream}: ${error instanceof Error ? error.message : String(error)}`,
        );
        continue;
      }
      links.push(url);
      const header = `${name}: task ${taskId}, container ${where.container}: last ${events.length} log line(s) of ${where.group}/${where.stream} (${url})`;
      log.info(header);
      for (const e of events) log.info(`  ${(e.message ?? '').replace(/\r?\n$/, '')}`);
    }
  }
  return links;
}
