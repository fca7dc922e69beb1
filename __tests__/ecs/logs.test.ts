import { describe, expect, it } from 'vitest';
import { logLocations, logStreamConsoleUrl, printTaskLogs, type LogReader } from '../../src/ecs/logs.ts';
import { RecordingLog } from '../fakes/log.ts';

class Lines extends RecordingLog {
  get infos() {
    return this.lines.filter((l) => !/^(warning|error): /.test(l));
  }
  get warnings() {
    return this.lines.filter((l) => l.startsWith('warning: '));
  }
}
const recordingLog = () => new Lines();

const TASK = 'arn:aws:ecs:eu-west-1:123456789012:task/prod/0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const awslogs = (options: Record<string, string>) => ({ logDriver: 'awslogs', options });

describe('logLocations: where the awslogs driver writes each essential container', () => {
  it.each([
    [
      'prefix/container/task-id in the group, in the task’s region',
      [
        {
          name: 'app',
          logConfiguration: awslogs({ 'awslogs-group': '/ecs/web', 'awslogs-stream-prefix': 'ecs' }),
        },
      ],
      [
        {
          kind: 'awslogs',
          container: 'app',
          region: 'eu-west-1',
          group: '/ecs/web',
          stream: 'ecs/app/0f1e2d3c4b5a69788796a5b4c3d2e1f0',
        },
      ],
    ],
    [
      'awslogs-region wins over the task’s region',
      [
        {
          name: 'app',
          logConfiguration: awslogs({
            'awslogs-group': 'g',
            'awslogs-stream-prefix': 'p',
            'awslogs-region': 'us-east-2',
          }),
        },
      ],
      [
        {
          kind: 'awslogs',
          container: 'app',
          region: 'us-east-2',
          group: 'g',
          stream: 'p/app/0f1e2d3c4b5a69788796a5b4c3d2e1f0',
        },
      ],
    ],
    [
      'no log configuration',
      [{ name: 'app' }],
      [{ kind: 'none', container: 'app', why: 'its task definition has no logConfiguration (awslogs)' }],
    ],
    [
      'another driver',
      [{ name: 'app', logConfiguration: { logDriver: 'awsfirelens' } }],
      [{ kind: 'none', container: 'app', why: 'its logs go to the awsfirelens driver, not awslogs' }],
    ],
    [
      'no stream prefix',
      [{ name: 'app', logConfiguration: awslogs({ 'awslogs-group': 'g' }) }],
      [{ kind: 'none', container: 'app', why: expect.stringContaining('no awslogs-stream-prefix') }],
    ],
    [
      'non-essential containers are skipped',
      [
        {
          name: 'sidecar',
          essential: false,
          logConfiguration: awslogs({ 'awslogs-group': 'g', 'awslogs-stream-prefix': 'p' }),
        },
        { name: 'app', essential: true },
      ],
      [{ kind: 'none', container: 'app', why: expect.any(String) }],
    ],
  ])('%s', (_name, containers, expected) => {
    expect(logLocations(containers, TASK, 'eu-west-1')).toEqual(expected);
  });
});

describe('logStreamConsoleUrl', () => {
  it.each([
    ['/ecs/web', 'ecs/app/abc', 'log-group/$252Fecs$252Fweb/log-events/ecs$252Fapp$252Fabc'],
    ['plain', 's#1', 'log-group/plain/log-events/s$25231'],
  ])('escapes %s / %s as the console does', (group, stream, path) => {
    expect(logStreamConsoleUrl('eu-west-1', group, stream)).toBe(
      `https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:log-groups/${path}`,
    );
  });
});

const containers = [
  { name: 'app', logConfiguration: awslogs({ 'awslogs-group': '/ecs/web', 'awslogs-stream-prefix': 'ecs' }) },
];

function reader(
  answer: (stream: string) => Promise<{ message: string }[]>,
): LogReader & { asked: unknown[] } {
  const asked: unknown[] = [];
  return {
    asked,
    lastEvents: (region, group, stream, limit) => {
      asked.push({ region, group, stream, limit });
      return answer(stream);
    },
  };
}

describe('printTaskLogs: the last lines of a failed task, never a change of verdict', () => {
  it('prints each failed task’s last lines and returns the stream links', async () => {
    const log = recordingLog();
    const r = reader(async () => [{ message: 'booting\n' }, { message: 'panic: no DATABASE_URL' }]);
    const links = await printTaskLogs({
      reader: r,
      log,
      name: 'prod/web',
      containers,
      taskArns: [TASK],
      region: 'eu-west-1',
      lines: 30,
    });
    expect(r.asked).toEqual([
      {
        region: 'eu-west-1',
        group: '/ecs/web',
        stream: 'ecs/app/0f1e2d3c4b5a69788796a5b4c3d2e1f0',
        limit: 30,
      },
    ]);
    expect(links).toEqual([
      logStreamConsoleUrl('eu-west-1', '/ecs/web', 'ecs/app/0f1e2d3c4b5a69788796a5b4c3d2e1f0'),
    ]);
    expect(log.infos).toContain('  booting');
    expect(log.infos).toContain('  panic: no DATABASE_URL');
    expect(log.warnings).toEqual([]);
  });

  it.each([
    ['AccessDeniedException', true],
    ['ResourceNotFoundException', false],
    ['ThrottlingException', false],
  ])('%s: a warning only for the missing permission', async (name, warns) => {
    const log = recordingLog();
    const r = reader(() => Promise.reject(Object.assign(new Error(`${name} happened`), { name })));
    const links = await printTaskLogs({
      reader: r,
      log,
      name: 'prod/web',
      containers,
      taskArns: [TASK, `${TASK}9`],
      region: 'eu-west-1',
      lines: 30,
    });
    expect(links).toEqual([]);
    if (warns) {
      expect(log.warnings).toHaveLength(1);
      expect(log.warnings[0]).toMatch(/logs:GetLogEvents/);
      expect(r.asked).toHaveLength(1); // not asked again for the next task
    } else {
      expect(log.warnings).toEqual([]);
      expect(log.infos.join('\n')).toMatch(new RegExp(`could not read log stream .*${name} happened`));
      expect(r.asked).toHaveLength(2);
    }
  });

  it('says once that a container has no awslogs configuration', async () => {
    const log = recordingLog();
    const r = reader(async () => []);
    await printTaskLogs({
      reader: r,
      log,
      name: 'prod/web',
      containers: [{ name: 'app' }],
      taskArns: [TASK, `${TASK}9`],
      region: 'eu-west-1',
      lines: 30,
    });
    expect(r.asked).toEqual([]);
    expect(log.infos.filter((l) => /no CloudWatch Logs for container app/.test(l))).toHaveLength(1);
  });
});
