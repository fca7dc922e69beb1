import * as core from '@actions/core';

/** Where the deploy reports progress; the Actions log in the action, a list in tests. */
export interface Log {
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
}

export const actionsLog: Log = {
  info: (message) => core.info(message),
  warning: (message) => core.warning(message),
  error: (message) => core.error(message),
};
