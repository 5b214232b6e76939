import { Catch, type ExceptionFilter } from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';

/**
 * Hands a bus handler's error back to the transport unchanged. Nest's default RPC filter turns
 * every error into `{ status: 'error' }`, which would hide a `PermanentFailure` (dead letter)
 * behind a retryable error.
 */
@Catch()
export class BusErrorFilter implements ExceptionFilter {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}
