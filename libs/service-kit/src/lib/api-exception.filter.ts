import {
  Catch,
  HttpException,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { throwError, type Observable } from 'rxjs';
import { ApiError } from './api-error';

/**
 * Every error leaves as JSON `{ "error": "<code>", "message": "<sentence>" }` — the API's own,
 * and Fastify's (body parsing, timeouts), which Nest routes here too. Unexpected errors are
 * logged and answered with a generic 500 — never a stack trace or an internal message.
 * A bus handler's error goes back to the bus transport unchanged: Nest's default would turn a
 * `PermanentFailure` (dead letter) into an anonymous, retryable `{ status: 'error' }`.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void | Observable<never> {
    if (host.getType() === 'rpc') {
      return throwError(() => exception);
    }
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (exception instanceof ApiError && exception.retryAfterSeconds !== undefined) {
      void reply.header('retry-after', String(exception.retryAfterSeconds));
    }
    if (exception instanceof ApiError) {
      // The API's own errors are already `{ error, message, ...details }`.
      void reply.code(exception.getStatus()).send(exception.getResponse());
      return;
    }
    if (exception instanceof HttpException) {
      void reply.code(exception.getStatus()).send(toBody(exception));
      return;
    }
    const fastifyStatus = (exception as { statusCode?: unknown }).statusCode;
    if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
      const { code, message } = exception as { code?: string; message?: string };
      void reply.code(fastifyStatus).send({
        error: (code ?? `http-${fastifyStatus}`).toLowerCase(),
        message: message ?? 'bad request',
      });
      return;
    }
    this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    void reply
      .code(500)
      .send({ error: 'internal', message: 'an internal error occurred; it has been logged' });
  }
}

function toBody(exception: HttpException): { error: string; message: string } {
  const response = exception.getResponse();
  if (
    typeof response === 'object' &&
    response !== null &&
    'error' in response &&
    'message' in response
  ) {
    const { error, message } = response as { error: unknown; message: unknown };
    return {
      error: String(error).toLowerCase().replace(/\s+/g, '-'),
      message: Array.isArray(message) ? message.join('; ') : String(message),
    };
  }
  return { error: `http-${exception.getStatus()}`, message: exception.message };
}
