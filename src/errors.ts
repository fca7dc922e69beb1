/** A bad input value. The message names the input and says how to fix it. */
export class InputError extends Error {
  readonly input: string;

  constructor(input: string, message: string) {
    super(`Input "${input}": ${message}`);
    this.name = 'InputError';
    this.input = input;
  }
}

/** Something the environment the action runs in does not provide (event file, git context, tools). */
export class EnvironmentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnvironmentError';
  }
}
