// Pure: what a preview step does for the event it runs on.

export type PreviewAction =
  | { readonly kind: 'deploy'; readonly pr: number }
  | { readonly kind: 'teardown'; readonly pr: number }
  | { readonly kind: 'refused'; readonly reason: string };

const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target']);

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

/** Pure: `owner/name` of the PR's head repository, `null` when that fork was deleted. */
function headRepository(pr: Record<string, unknown>): string | null | undefined {
  const head = record(pr.head);
  if (!head) return undefined;
  if (head.repo === null) return null;
  const name = record(head.repo)?.full_name;
  return typeof name === 'string' ? name : undefined;
}

/**
 * Pure: `closed` (merged or not), or a PR already closed → teardown; any other pull-request activity →
 * create or update. Building a fork's code, or running on `pull_request_target` (the base's credentials
 * with the PR's code), is refused unless allowed; tearing down runs no PR code and is always allowed.
 */
export function previewAction(options: {
  readonly eventName: string;
  readonly payload: Record<string, unknown>;
  readonly pullRequestNumber: number | undefined;
  readonly repository: string;
  readonly allowForks: boolean;
}): PreviewAction {
  const { eventName, payload, pullRequestNumber: pr, repository, allowForks } = options;
  if (!PULL_REQUEST_EVENTS.has(eventName)) {
    return {
      kind: 'refused',
      reason: `preview: true runs on pull_request events (opened, synchronize, reopened, closed); this run is a ${eventName || 'non-GitHub'} event.`,
    };
  }
  if (pr === undefined) {
    return { kind: 'refused', reason: 'the event payload has no pull request number.' };
  }
  const pull = record(payload.pull_request) ?? {};
  if (payload.action === 'closed' || pull.state === 'closed') return { kind: 'teardown', pr };
  if (!allowForks) {
    if (eventName === 'pull_request_target') {
      return {
        kind: 'refused',
        reason:
          "pull_request_target runs with the base repository's credentials; building the PR's code there lets anyone who opens a PR run code with them. Use the pull_request event, or set allow-fork-previews: true if you trust every PR author.",
      };
    }
    const head = headRepository(pull);
    if (head === null || (head !== undefined && repository !== '' && head !== repository)) {
      return {
        kind: 'refused',
        reason: `PR #${pr} comes from ${head ?? 'a deleted fork'}, not ${repository}: its code would be built and run with this repository's AWS credentials. Set allow-fork-previews: true to allow previews of forks.`,
      };
    }
  }
  return { kind: 'deploy', pr };
}
