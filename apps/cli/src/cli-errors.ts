/** The input cannot be used (missing file, unreadable stdin, bad option value): exit code 2. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/** The command ran and its verdict is negative (invalid documents, a breaking change, refused signals): exit code 1. */
export class CheckFailed extends Error {
  constructor() {
    super('check failed');
    this.name = 'CheckFailed';
  }
}

/** The user stopped the command (Ctrl-C) after it saved where it stood: exit code 130. */
export class Interrupted extends Error {
  constructor() {
    super('interrupted');
    this.name = 'Interrupted';
  }
}
