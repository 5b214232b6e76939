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
