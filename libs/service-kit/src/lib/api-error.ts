import { HttpException } from '@nestjs/common';

/** An HTTP error with a stable machine-readable code, a sentence, and optionally when to retry. */
export class ApiError extends HttpException {
  constructor(
    status: number,
    readonly code: string,
    message: string,
    /** Sent as `Retry-After` (seconds). */
    readonly retryAfterSeconds?: number,
  ) {
    super({ error: code, message }, status);
  }
}
