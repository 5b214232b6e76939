/** Why a request body as a whole was refused; `status` is the HTTP status to answer with. */
export class BodyError extends Error {
  constructor(
    readonly status: 400 | 408 | 413 | 415,
    /** Stable machine-readable reason, e.g. `body-too-large`. */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'BodyError';
  }
}
