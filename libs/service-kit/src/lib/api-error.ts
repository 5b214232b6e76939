import { HttpException } from '@nestjs/common';

/**
 * An HTTP error with a stable machine-readable code, a sentence, optionally when to retry, and
 * optionally more fields for the body (e.g. `errors`, the list of validation issues).
 */
export class ApiError extends HttpException {
  constructor(
    status: number,
    readonly code: string,
    message: string,
    /** Sent as `Retry-After` (seconds). */
    readonly retryAfterSeconds?: number,
    details: Readonly<Record<string, unknown>> = {},
  ) {
    super({ ...details, error: code, message }, status);
  }
}
