import type { ValidationIssue } from '@vigil/signals';
import { isRetryable, retryDelayMs } from './retry-policy';
import type { RejectedSignal, Transport } from './sdk.types';

/** The outcome of delivering one batch. */
export type DeliveryOutcome =
  | {
      readonly kind: 'delivered';
      readonly sent: number;
      /** Of `sent`, signals the platform already had (a retried or resent batch). */
      readonly duplicates: number;
      readonly rejected: readonly RejectedSignal[];
    }
  | { readonly kind: 'undeliverable'; readonly error: Error };

/** Why the platform answered a batch with an error that retrying cannot fix. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

interface IngestAnswer {
  readonly accepted?: number;
  readonly duplicates?: ReadonlyArray<{ index: number }>;
  readonly rejected?: ReadonlyArray<{ index: number; id?: string; errors: ValidationIssue[] }>;
  readonly message?: string;
}

/** Sends batches with bounded retries, exponential backoff with jitter, and `Retry-After`. */
export class BatchSender {
  constructor(
    private readonly transport: Transport,
    private readonly maxAttempts: number,
    private readonly retryBaseMs: number,
  ) {}

  /** A batch over the platform's size limits is sent as two halves (recursively, down to one signal). */
  private async deliverHalves(
    envelopes: ReadonlyArray<Record<string, unknown>>,
  ): Promise<DeliveryOutcome> {
    const middle = Math.ceil(envelopes.length / 2);
    const first = await this.deliver(envelopes.slice(0, middle));
    const second = await this.deliver(envelopes.slice(middle));
    return merge(first, second);
  }

  /** Delivers a batch (its JSON text, when already serialised, as `body`) or gives up; never throws. */
  async deliver(
    envelopes: ReadonlyArray<Record<string, unknown>>,
    body = JSON.stringify(envelopes),
  ): Promise<DeliveryOutcome> {
    let lastError: Error = new Error('not sent');
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      let retryAfter: number | undefined;
      try {
        const response = await this.transport.send(body);
        const answer = (response.body ?? {}) as IngestAnswer;
        if (response.status === 202 || response.status === 422) {
          return delivered(envelopes, answer);
        }
        if (response.status === 413 && envelopes.length > 1) {
          return await this.deliverHalves(envelopes);
        }
        lastError = new DeliveryError(
          `Vigil answered ${response.status}: ${answer.message ?? 'no message'}`,
          response.status,
        );
        if (!isRetryable(response.status)) {
          return { kind: 'undeliverable', error: lastError };
        }
        retryAfter = response.retryAfterMs;
      } catch (error) {
        lastError = new DeliveryError(`cannot reach Vigil: ${(error as Error).message}`, 0);
      }
      if (attempt < this.maxAttempts) {
        await sleep(retryDelayMs(attempt, this.retryBaseMs, retryAfter));
      }
    }
    return {
      kind: 'undeliverable',
      error: new DeliveryError(
        `gave up after ${this.maxAttempts} attempts: ${lastError.message}`,
        0,
      ),
    };
  }
}

/** Merges the outcomes of the two halves of a batch the platform found too large. */
function merge(first: DeliveryOutcome, second: DeliveryOutcome): DeliveryOutcome {
  if (first.kind === 'undeliverable') {
    return first;
  }
  if (second.kind === 'undeliverable') {
    return second;
  }
  return {
    kind: 'delivered',
    sent: first.sent + second.sent,
    duplicates: first.duplicates + second.duplicates,
    rejected: [...first.rejected, ...second.rejected],
  };
}

function delivered(
  envelopes: ReadonlyArray<Record<string, unknown>>,
  answer: IngestAnswer,
): DeliveryOutcome {
  const rejected = (answer.rejected ?? []).map((item) => ({
    id: item.id,
    envelope: envelopes[item.index] ?? {},
    errors: item.errors,
  }));
  const duplicates = answer.duplicates?.length ?? 0;
  return { kind: 'delivered', sent: envelopes.length - rejected.length, duplicates, rejected };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
