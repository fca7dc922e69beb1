// src/actions-core.ts against @actions/core (the toolkit the runner's conventions come from, a judge nobody
// here wrote): the same calls must print the same workflow commands and write the same environment files.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as toolkit from '@actions/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as ours from '../src/actions-core.ts';

type Core = typeof ours;
let dir: string;
const saved = { ...process.env };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'actions-core-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  process.env = { ...saved };
  process.exitCode = undefined;
  vi.restoreAllMocks();
});

/** Runs `call` with stdout captured and fresh environment files; the random delimiters made comparable. */
async function observe(
  call: (core: Core) => unknown,
  core: Core,
  files: boolean,
): Promise<{ stdout: string; files: Record<string, string>; exitCode: unknown }> {
  const paths: Record<string, string> = {};
  for (const name of ['OUTPUT', 'ENV', 'STATE', 'STEP_SUMMARY']) {
    if (files) {
      paths[name] = join(dir, `${name}-${Math.random()}`);
      writeFileSync(paths[name], '');
      process.env[`GITHUB_${name}`] = paths[name];
    } else
      process.env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== `GITHUB_${name}`));
  }
  let stdout = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  process.exitCode = undefined;
  try {
    await call(core);
  } finally {
    vi.restoreAllMocks();
  }
  const normal = (s: string) => s.replace(/ghadelimiter_[0-9a-f-]{36}/g, 'ghadelimiter_X');
  return {
    stdout: normal(stdout),
    files: Object.fromEntries(Object.entries(paths).map(([k, p]) => [k, normal(readFileSync(p, 'utf8'))])),
    exitCode: process.exitCode,
  };
}

const calls: [string, (core: Core) => unknown][] = [
  ['info', (c) => c.info('plain line: 100% done, a:b')],
  ['debug with newlines', (c) => c.debug('first\nsecond\r\nthird %')],
  ['warning', (c) => c.warning('careful: 50%\nnext line')],
  ['warning from an Error', (c) => c.warning(new Error('went wrong'))],
  [
    'error with file and line',
    (c) =>
      c.error('bad field', { file: 'deploy/task def.json', startLine: 12, title: 'Task definition: x,y' }),
  ],
  [
    'error with every property',
    (c) =>
      c.error('m', { title: 't', file: 'a:b,c', startLine: 3, endLine: 4, startColumn: 5, endColumn: 6 }),
  ],
  ['notice with a title', (c) => c.notice('Deployed web', { title: 'ecr-deploy' })],
  ['setFailed', (c) => c.setFailed('it failed\nbadly')],
  [
    'groups',
    (c) => {
      c.startGroup('Deploy: web');
      c.info('inside');
      c.endGroup();
    },
  ],
  ['setSecret', (c) => c.setSecret('s3cr3t%value')],
  ['setOutput, string', (c) => c.setOutput('image-uri', '127.0.0.1:5000/app@sha256:abc')],
  ['setOutput, multi-line', (c) => c.setOutput('results', '[\n  {"a": 1}\n]')],
  [
    'setOutput, object and number',
    (c) => {
      c.setOutput('json', { tags: ['a', 'b'] });
      c.setOutput('n', 3);
    },
  ],
  ['exportVariable', (c) => c.exportVariable('DOCKER_CONFIG', '/tmp/x y')],
  ['saveState', (c) => c.saveState('isPost', 'true')],
  ['summary', (c) => c.summary.addRaw('### Deploy\n\n| a | b |\n').write()],
];

describe('actions-core prints and writes what @actions/core does', () => {
  it.each(calls)('%s, with the environment files', async (_name, call) => {
    const expected = await observe(call, toolkit as unknown as Core, true);
    const actual = await observe(call, ours, true);
    expect(actual).toEqual(expected);
  });

  it.each(calls.filter(([name]) => name !== 'summary'))('%s, without them', async (_name, call) => {
    const expected = await observe(call, toolkit as unknown as Core, false);
    const actual = await observe(call, ours, false);
    expect(actual).toEqual(expected);
  });

  it('reads saved state as the post step sees it', () => {
    process.env.STATE_isPost = 'true';
    expect(ours.getState('isPost')).toBe(toolkit.getState('isPost'));
    expect(ours.getState('missing')).toBe('');
  });

  it('refuses a summary without GITHUB_STEP_SUMMARY, as the toolkit does', async () => {
    delete process.env.GITHUB_STEP_SUMMARY;
    await expect(ours.summary.addRaw('x').write()).rejects.toThrow(/\$GITHUB_STEP_SUMMARY/);
  });
});

describe('getIDToken', () => {
  type Answer = { status: number; body?: unknown } | Error;
  function tokenService(answers: Answer[]) {
    const seen: { url: string; auth: string | undefined }[] = [];
    const fetcher = (async (url: string, init: RequestInit) => {
      seen.push({ url, auth: new Headers(init.headers).get('authorization') ?? undefined });
      const a = answers.shift()!;
      if (a instanceof Error) throw a;
      return new Response(a.body === undefined ? '' : JSON.stringify(a.body), { status: a.status });
    }) as unknown as typeof fetch;
    return { fetcher, seen };
  }
  const noPause = () => Promise.resolve();

  beforeEach(() => {
    process.env.ACTIONS_ID_TOKEN_REQUEST_URL = 'http://127.0.0.1:9/token?api-version=2.0';
    process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = 'request-bearer';
  });

  const cases: { name: string; answers: Answer[]; token?: string; error?: RegExp; requests: number }[] = [
    {
      name: 'answered at once',
      answers: [{ status: 200, body: { value: 'jwt.one' } }],
      token: 'jwt.one',
      requests: 1,
    },
    {
      name: 'a 503 and a dropped connection, then the token',
      answers: [{ status: 503 }, new TypeError('fetch failed'), { status: 200, body: { value: 'jwt.two' } }],
      token: 'jwt.two',
      requests: 3,
    },
    {
      name: 'three server errors',
      answers: [{ status: 500 }, { status: 502 }, { status: 500 }],
      error: /after 3 attempts: HTTP 500/,
      requests: 3,
    },
    { name: 'a refusal is not retried', answers: [{ status: 403 }], error: /HTTP 403/, requests: 1 },
    {
      name: 'an answer without a value',
      answers: [{ status: 200, body: { count: 1 } }],
      error: /no "value"/,
      requests: 1,
    },
    {
      name: 'an answer that is not JSON',
      answers: [{ status: 200, body: undefined }],
      error: /no "value"/,
      requests: 1,
    },
  ];

  it.each(cases)('$name', async ({ answers, token, error, requests }) => {
    const { fetcher, seen } = tokenService(answers);
    let stdout = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stdout += String(chunk);
      return true;
    });
    const got = ours.getIDToken('sts.amazonaws.com', fetcher, noPause);
    if (token) {
      await expect(got).resolves.toBe(token);
      expect(stdout).toBe(`::add-mask::${token}\n`);
    } else {
      await expect(got).rejects.toThrow(error!);
      expect(stdout).toBe('');
    }
    expect(seen).toHaveLength(requests);
    for (const s of seen) {
      expect(s.url).toBe('http://127.0.0.1:9/token?api-version=2.0&audience=sts.amazonaws.com');
      expect(s.auth).toBe('Bearer request-bearer');
    }
  });

  it('names the missing variable', async () => {
    delete process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
    await expect(ours.getIDToken('x', tokenService([]).fetcher, noPause)).rejects.toThrow(
      /ACTIONS_ID_TOKEN_REQUEST_TOKEN/,
    );
  });
});
