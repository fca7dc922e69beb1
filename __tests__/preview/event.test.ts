import { describe, expect, it } from 'vitest';
import { previewAction } from '../../src/preview/event.ts';

const own = { full_name: 'acme/shop' };
const fork = { full_name: 'someone/shop' };

function payload(action: string, head: unknown = own, state = action === 'closed' ? 'closed' : 'open') {
  return { action, number: 42, pull_request: { number: 42, state, head: { repo: head } } };
}

describe('previewAction', () => {
  it.each([
    ['pull_request', payload('opened'), false, { kind: 'deploy', pr: 42 }],
    ['pull_request', payload('synchronize'), false, { kind: 'deploy', pr: 42 }],
    ['pull_request', payload('reopened'), false, { kind: 'deploy', pr: 42 }],
    ['pull_request', payload('labeled'), false, { kind: 'deploy', pr: 42 }],
    ['pull_request', payload('closed'), false, { kind: 'teardown', pr: 42 }],
    [
      'pull_request',
      { ...payload('closed'), pull_request: { number: 42, merged: true, state: 'closed' } },
      false,
      { kind: 'teardown', pr: 42 },
    ],
    ['pull_request', payload('labeled', own, 'closed'), false, { kind: 'teardown', pr: 42 }],
    ['pull_request', payload('opened', fork), true, { kind: 'deploy', pr: 42 }],
    ['pull_request', payload('closed', fork), false, { kind: 'teardown', pr: 42 }],
    ['pull_request_target', payload('opened'), true, { kind: 'deploy', pr: 42 }],
    ['pull_request_target', payload('closed'), false, { kind: 'teardown', pr: 42 }],
  ])('%s %j (forks allowed: %s) → %j', (eventName, p, allowForks, expected) => {
    expect(
      previewAction({ eventName, payload: p, pullRequestNumber: 42, repository: 'acme/shop', allowForks }),
    ).toEqual(expected);
  });

  it.each([
    ['push', payload('opened'), 42, /runs on pull_request events.*push event/],
    [
      'pull_request',
      payload('opened', fork),
      42,
      /comes from someone\/shop, not acme\/shop.*allow-fork-previews/,
    ],
    ['pull_request', payload('opened', null), 42, /deleted fork/],
    [
      'pull_request_target',
      payload('opened'),
      42,
      /pull_request_target runs with the base repository's credentials/,
    ],
    ['pull_request', payload('opened'), undefined, /no pull request number/],
  ])('refuses %s %j', (eventName, p, pr, reason) => {
    const action = previewAction({
      eventName,
      payload: p,
      pullRequestNumber: pr,
      repository: 'acme/shop',
      allowForks: false,
    });
    expect(action.kind).toBe('refused');
    expect(action.kind === 'refused' ? action.reason : '').toMatch(reason);
  });
});
