import * as core from '@actions/core';
import { State } from './contract.ts';
import { InputErrors } from './errors.ts';

export type Step = () => Promise<void>;

/**
 * The one place an error becomes `setFailed`. The runner calls the same bundle for `main` and `post`; saved
 * state tells them apart. Each step's module is loaded only when that step runs.
 */
export async function runAction(steps: {
  main: () => Promise<Step>;
  post: () => Promise<Step>;
}): Promise<void> {
  const isPost = core.getState(State.IsPost) === 'true';
  try {
    if (isPost) {
      await (
        await steps.post()
      )();
    } else {
      core.saveState(State.IsPost, 'true');
      await (
        await steps.main()
      )();
    }
  } catch (error) {
    const err = error instanceof Error ? error : new Error(String(error));
    if (err.stack) core.debug(err.stack);
    // One annotation per bad input; the last one fails the step.
    const messages = err instanceof InputErrors ? err.errors.map((e) => e.message) : [err.message];
    for (const m of messages.slice(0, -1)) core.error(m);
    core.setFailed(messages.at(-1) ?? err.message);
  }
}
