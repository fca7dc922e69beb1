import { describe, expect, it } from 'vitest';
import { HEARTBEAT_MS, Heartbeat, heartbeatLine } from '../../src/deploy/log.ts';
import { FakeClock } from '../fakes/clock.ts';
import { RecordingLog } from '../fakes/log.ts';

describe('heartbeatLine', () => {
  it.each([
    ['web', 30_000, '1/2 running', 'web: still waiting, 30.0 s elapsed: 1/2 running'],
    ['api', 90_000, 'x', 'api: still waiting, 1 min 30 s elapsed: x'],
    ['web', 30_000, '', 'web: still waiting, 30.0 s elapsed: no state seen yet'],
  ])('%s after %i ms with "%s"', (name, elapsed, state, line) => {
    expect(heartbeatLine(name, elapsed, state)).toBe(line);
  });
});

/** Moves a fake clock on by `ms` (it jumps to its next sleeper once everything else waits). */
const pass = (clock: FakeClock, ms: number) => clock.sleep(ms);

describe('Heartbeat', () => {
  it('beats only after HEARTBEAT_MS without a line, and any line printed through it resets the time', async () => {
    const clock = new FakeClock();
    const log = new RecordingLog();
    const beat = new Heartbeat({ log, clock, name: 'web' });
    await pass(clock, HEARTBEAT_MS - 1);
    expect(beat.beat('s')).toBe(false);
    await pass(clock, 1);
    expect(beat.beat('s')).toBe(true);
    expect(beat.beat('s')).toBe(false); // the heartbeat is itself a line
    await pass(clock, 10_000);
    beat.warning('w');
    expect(beat.dueAt).toBe(clock.now() + HEARTBEAT_MS);
    await pass(clock, HEARTBEAT_MS - 1);
    expect(beat.beat('s')).toBe(false);
    expect(log.lines).toEqual(['web: still waiting, 30.0 s elapsed: s', 'warning: w']);
    clock.stop();
  });
});
