import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EnvironmentError } from '../src/errors.ts';
import { readEventPayload } from '../src/github-context.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'event-payload-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, body: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, body);
  return p;
}

describe('readEventPayload', () => {
  it.each([
    ['no GITHUB_EVENT_PATH', undefined, {}],
    ['a path that does not exist', path.join(dir, 'missing.json'), {}],
    [
      'a JSON object',
      file('ok.json', '{"number": 7, "pull_request": {"head": {"sha": "abc"}}}'),
      { number: 7, pull_request: { head: { sha: 'abc' } } },
    ],
  ])('%s → the payload', (_, eventPath, expected) => {
    expect(readEventPayload({ GITHUB_EVENT_PATH: eventPath })).toEqual(expected);
  });

  it.each([
    ['invalid JSON', file('bad.json', '{"number": '), /is not valid JSON/],
    ['a JSON array', file('array.json', '[1, 2]'), /holds no JSON object/],
    ['JSON null', file('null.json', 'null'), /holds no JSON object/],
  ])('%s → an EnvironmentError naming the file', (_, eventPath, message) => {
    const read = () => readEventPayload({ GITHUB_EVENT_PATH: eventPath });
    expect(read).toThrow(EnvironmentError);
    expect(read).toThrow(message);
    expect(read).toThrow(eventPath);
  });
});
