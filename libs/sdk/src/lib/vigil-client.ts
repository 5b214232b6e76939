import {
  newUlid,
  type BuiltInSignalType,
  type SignalPayloadMap,
  type SignalValidator,
} from '@vigil/signals';
import { BatchSender, DeliveryError } from './batch-sender';
import { Fifo } from './fifo';
import { HttpTransport } from './http-transport';
import {
  ResponseSubscription,
  type ResponseChange,
  type SubscribeOptions,
} from './response-subscription';
import type { ClientCounters, ClientOptions, PublishOptions } from './sdk.types';
import { Spool } from './spool';

/** A signal refused at the call site by client-side validation. */
export class SignalRejectedError extends Error {
  constructor(readonly issues: ReadonlyArray<{ pointer: string; rule: string; message: string }>) {
    super(`invalid signal: ${issues.map((i) => i.message).join('; ')}`);
    this.name = 'SignalRejectedError';
  }
}

interface Queued {
  readonly envelope: Record<string, unknown>;
  /** The envelope serialised once: its size decides batching and it is reused in the request body. */
  readonly json: string;
}

type Required<T> = { readonly [K in keyof T]-?: T[K] };
type Settings = Required<
  Pick<
    ClientOptions,
    'maxBatchSize' | 'maxBatchBytes' | 'flushIntervalMs' | 'concurrency' | 'maxQueued' | 'overflow'
  >
>;

/**
 * Publishes signals to Vigil: builds CloudEvents envelopes with sortable unique ids, batches them
 * by count, bytes and time, sends with bounded concurrency and retries, reports refused signals to
 * `onRejected`, and — with a spool — keeps undeliverable batches on disk until they can be sent.
 * Call `close()` before the process exits.
 */
export class VigilClient {
  private readonly queue = new Fifo<Queued>();
  private queuedBytes = 0;
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private readonly sender: BatchSender;
  private readonly spool: Spool | undefined;
  private readonly settings: Settings;
  private closed = false;
  private spoolDraining = false;
  private readonly count = { sent: 0, duplicates: 0, rejected: 0, dropped: 0, spooled: 0 };
  private readonly subscriptions = new Set<ResponseSubscription>();

  /** Security responses for agents: `client.responses.subscribe(app, handler)`. */
  readonly responses = {
    /**
     * Follows the active responses (blocks) of an application: `handler` gets each new and
     * revoked one; the returned subscription answers `isBlocked(ipOrUser)` from memory.
     */
    subscribe: (
      app: string,
      handler: (change: ResponseChange) => void | Promise<void> = () => undefined,
      options?: SubscribeOptions,
    ): ResponseSubscription => {
      const endpoint = this.options.responsesEndpoint ?? this.options.endpoint;
      const subscription = new ResponseSubscription(
        { endpoint, apiKey: this.options.apiKey },
        app,
        handler,
        options,
      );
      this.subscriptions.add(subscription);
      return subscription;
    },
  };

  constructor(
    private readonly options: ClientOptions,
    private readonly validator?: Pick<SignalValidator, 'validate'>,
  ) {
    this.settings = {
      maxBatchSize: options.maxBatchSize ?? 100,
      maxBatchBytes: options.maxBatchBytes ?? 512 * 1024,
      flushIntervalMs: options.flushIntervalMs ?? 1_000,
      concurrency: options.concurrency ?? 2,
      maxQueued: options.maxQueued ?? 10_000,
      overflow: options.overflow ?? 'drop-oldest',
    };
    const transport =
      options.transport ??
      new HttpTransport(options.endpoint, options.apiKey, options.gzip ?? true);
    this.sender = new BatchSender(transport, options.maxAttempts ?? 6, options.retryBaseMs ?? 250);
    this.spool = options.spoolDir ? new Spool(options.spoolDir) : undefined;
    this.count.spooled =
      this.spool?.load().reduce((n, batch) => n + batch.envelopes.length, 0) ?? 0;
    this.track(this.drainSpool());
  }

  /** Publishes a built-in signal (version 1); returns its envelope id. */
  publish<T extends BuiltInSignalType>(
    type: T,
    data: SignalPayloadMap[T][1],
    options?: PublishOptions,
  ): string;
  /**
   * Publishes a signal of any registered type and version — a tenant's own type such as
   * `x-checkout.order` — typed by its payload: `publish<OrderV1>('x-checkout.order', 1, order)`.
   * Returns its id.
   */
  publish<D extends object = Record<string, unknown>>(
    type: string,
    version: number,
    data: D,
    options?: PublishOptions,
  ): string;
  publish(type: string, ...rest: unknown[]): string {
    const [version, data, options] =
      typeof rest[0] === 'number'
        ? (rest as [number, Record<string, unknown>, PublishOptions?])
        : ([1, rest[0], rest[1]] as [number, Record<string, unknown>, PublishOptions?]);
    if (this.closed) {
      throw new Error('the Vigil client is closed');
    }
    const envelope = this.envelope(type, version, data, options ?? {});
    if (this.validator) {
      const result = this.validator.validate(envelope);
      if (!result.valid) {
        throw new SignalRejectedError(result.issues);
      }
    }
    this.enqueue(envelope);
    return envelope['id'] as string;
  }

  /**
   * Publishes a complete envelope as given (e.g. read from a file): its id, source and time are
   * kept, so publishing the same file twice stores each signal once. Returns the id.
   */
  publishEnvelope(envelope: Readonly<Record<string, unknown>>): string {
    if (this.closed) {
      throw new Error('the Vigil client is closed');
    }
    if (this.validator) {
      const result = this.validator.validate(envelope);
      if (!result.valid) {
        throw new SignalRejectedError(result.issues);
      }
    }
    this.enqueue({ ...envelope });
    return String(envelope['id']);
  }

  /** Sends everything queued now and resolves when every batch has been delivered, spooled or dropped. */
  async flush(): Promise<void> {
    this.pump(true);
    while (this.inFlight.size > 0 || this.queue.length > 0) {
      await Promise.all([...this.inFlight]);
      this.pump(true);
    }
  }

  /** Flushes, then stops; later `publish` calls throw. */
  async close(): Promise<void> {
    this.closed = true;
    for (const subscription of this.subscriptions) {
      subscription.close();
    }
    await this.flush();
    clearTimeout(this.timer);
  }

  /** Current counters. */
  counters(): ClientCounters {
    return { queued: this.queue.length, ...this.count };
  }

  private envelope(
    type: string,
    version: number,
    data: Record<string, unknown>,
    options: PublishOptions,
  ): Record<string, unknown> {
    const subject = options.subject ?? this.options.subject;
    if (!subject) {
      throw new TypeError(
        'a subject (the application) is required: pass it to publish() or set it on createClient()',
      );
    }
    return {
      ...options.extensions,
      specversion: '1.0',
      id: options.id ?? newUlid(),
      source: this.options.source,
      type,
      time: (options.time ?? new Date()).toISOString(),
      subject,
      datacontenttype: 'application/json',
      dataversion: version,
      data,
    };
  }

  private enqueue(envelope: Record<string, unknown>): void {
    if (this.queue.length >= this.settings.maxQueued) {
      if (this.settings.overflow === 'throw') {
        throw new Error(`the Vigil client queue is full (${this.settings.maxQueued} signals)`);
      }
      this.count.dropped++;
      if (this.settings.overflow === 'drop-newest') {
        return;
      }
      const oldest = this.queue.shift();
      this.queuedBytes -= oldest ? oldest.json.length + 1 : 0;
    }
    const json = JSON.stringify(envelope);
    this.queue.push({ envelope, json });
    this.queuedBytes += json.length + 1;
    this.pump(false);
    if (this.queue.length > 0 && !this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.pump(true);
      }, this.settings.flushIntervalMs);
      this.timer.unref();
    }
  }

  /** Starts batches while there is room: full batches always, partial ones when `force`. */
  private pump(force: boolean): void {
    while (this.inFlight.size < this.settings.concurrency && this.queue.length > 0) {
      const full =
        this.queue.length >= this.settings.maxBatchSize ||
        this.queuedBytes >= this.settings.maxBatchBytes;
      if (!full && !force) {
        return;
      }
      const { envelopes, body } = this.takeBatch();
      this.track(this.send(envelopes, undefined, body));
    }
  }

  private takeBatch(): { envelopes: Array<Record<string, unknown>>; body: string } {
    const envelopes: Array<Record<string, unknown>> = [];
    const texts: string[] = [];
    let bytes = 0;
    while (this.queue.length > 0 && envelopes.length < this.settings.maxBatchSize) {
      const next = this.queue.peek() as Queued;
      if (envelopes.length > 0 && bytes + next.json.length + 1 > this.settings.maxBatchBytes) {
        break;
      }
      this.queue.shift();
      this.queuedBytes -= next.json.length + 1;
      bytes += next.json.length + 1;
      envelopes.push(next.envelope);
      texts.push(next.json);
    }
    return { envelopes, body: `[${texts.join(',')}]` };
  }

  private async send(
    batch: Array<Record<string, unknown>>,
    spoolFile?: string,
    body?: string,
  ): Promise<void> {
    const outcome = await this.sender.deliver(batch, body);
    if (outcome.kind === 'delivered') {
      this.count.sent += outcome.sent;
      this.count.duplicates += outcome.duplicates;
      this.count.rejected += outcome.rejected.length;
      outcome.rejected.forEach((rejected) => this.options.onRejected?.(rejected));
      if (spoolFile) {
        this.spool?.remove(spoolFile);
        this.count.spooled -= batch.length;
      } else if (this.count.spooled > 0) {
        // The platform answers again: send what the spool kept.
        this.track(this.drainSpool());
      }
      return;
    }
    this.options.onError?.(outcome.error);
    if (spoolFile) {
      return;
    }
    this.keep(batch, outcome.error);
  }

  /** An undeliverable batch goes to the spool when there is one; otherwise it is lost (and counted). */
  private keep(batch: Array<Record<string, unknown>>, error: Error): void {
    const wrongKey =
      error instanceof DeliveryError && (error.status === 401 || error.status === 403);
    if (
      !this.spool ||
      (error instanceof DeliveryError && error.status >= 400 && error.status < 500 && !wrongKey)
    ) {
      this.count.dropped += batch.length;
      return;
    }
    try {
      this.spool.save(batch);
      this.count.spooled += batch.length;
    } catch (spoolError) {
      this.count.dropped += batch.length;
      this.options.onError?.(spoolError as Error);
    }
  }

  /** Sends spooled batches, oldest first; a batch that fails again stays spooled. */
  private async drainSpool(): Promise<void> {
    if (this.spoolDraining) {
      return;
    }
    this.spoolDraining = true;
    try {
      for (const batch of this.spool?.load() ?? []) {
        await this.send(batch.envelopes, batch.file);
      }
    } finally {
      this.spoolDraining = false;
    }
  }

  private track(work: Promise<void>): void {
    const tracked = work.finally(() => {
      this.inFlight.delete(tracked);
      if (!this.closed || this.queue.length > 0) {
        this.pump(false);
      }
    });
    this.inFlight.add(tracked);
  }
}

/** Creates a client; pass a `SignalValidator` to refuse invalid signals at the call site. */
export function createClient(
  options: ClientOptions,
  validator?: Pick<SignalValidator, 'validate'>,
): VigilClient {
  return new VigilClient(options, validator);
}
