import { jetstreamManager, type ConsumerInfo, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { DEADLETTER_STREAM, SIGNALS_STREAM } from './subjects';

/** What one pass saw and did, for gauges and logs. */
export interface CompactionPass {
  /** Messages each consumer of the stream has not yet acknowledged (pending + in flight). */
  readonly lag: ReadonlyMap<string, number>;
  /**
   * Messages waiting for delivery, for each consumer that is working (delivered to or
   * acknowledging within the last 30 s, or with a pull waiting): how far behind it is.
   */
  readonly behind: ReadonlyMap<string, number>;
  /** Bytes the stream holds after the pass, and its budget. */
  readonly bytes: number;
  readonly maxBytes: number;
  /** Messages removed by this pass (every consumer had acknowledged them). */
  readonly purged: number;
  /** Messages in the dead-letter stream. */
  readonly deadLetters: number;
}

/** Settings of a {@link StreamCompactor}. */
export interface StreamCompactorOptions {
  readonly stream?: string;
  /** Time between passes (ms); default 2 000. */
  readonly intervalMs?: number;
  /** Usage of the byte budget above which processed messages are removed; default 0.5. */
  readonly compactAbove?: number;
  /** Receives each pass; must not throw. */
  readonly onPass?: (pass: CompactionPass) => void;
  /** Receives a failed pass (the next one retries); must not throw. */
  readonly onError?: (error: unknown) => void;
}

/**
 * Keeps the SIGNALS stream from refusing signals that every consumer has already processed.
 * The stream keeps messages by limits and refuses new ones when full (nothing unread is ever
 * dropped), so on its own a steady load would fill it with acknowledged messages. Each pass
 * finds the highest sequence below which every consumer has acknowledged everything and, once
 * the stream holds more than `compactAbove` of its byte budget, purges the oldest of those — so
 * the budget is spent only on what some consumer still needs, plus recent history that
 * playbooks' state rebuild reads. A purge never goes past a consumer's floor: a consumer that
 * really lags keeps its messages, the stream fills, and ingestion answers 429 — the alarm.
 */
export class StreamCompactor {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private readonly stream: string;

  private constructor(
    private readonly jsm: JetStreamManager,
    private readonly options: StreamCompactorOptions,
  ) {
    this.stream = options.stream ?? SIGNALS_STREAM;
  }

  /** Starts the passes (the first one at once). */
  static async start(
    nc: NatsConnection,
    options: StreamCompactorOptions = {},
  ): Promise<StreamCompactor> {
    const compactor = new StreamCompactor(await jetstreamManager(nc), options);
    compactor.schedule(0);
    return compactor;
  }

  /** Runs one pass now (tests, and each tick). */
  async pass(): Promise<CompactionPass> {
    const info = await this.jsm.streams.info(this.stream);
    const consumers = await this.consumersOf();
    const lag = new Map(consumers.map((c) => [c.name, c.num_pending + c.num_ack_pending]));
    const now = Date.now();
    const behind = new Map(
      consumers.filter((c) => isWorking(c, now)).map((c) => [c.name, c.num_pending]),
    );
    const { bytes, messages, first_seq: first, last_seq: last } = info.state;
    const maxBytes = info.config.max_bytes;
    const target = maxBytes * (this.options.compactAbove ?? 0.5);
    let purged = 0;
    if (maxBytes > 0 && bytes > target && messages > 0) {
      const floor = Math.min(last, ...consumers.map((c) => processedUpTo(c, last)));
      const perMessage = bytes / messages;
      const wanted = first + Math.ceil((bytes - target) / perMessage);
      const upTo = Math.min(floor + 1, wanted);
      if (upTo > first) {
        purged = (await this.jsm.streams.purge(this.stream, { seq: upTo })).purged;
      }
    }
    const deadLetters = await this.jsm.streams.info(DEADLETTER_STREAM).then(
      (dl) => dl.state.messages,
      () => 0,
    );
    const after = purged > 0 ? (await this.jsm.streams.info(this.stream)).state.bytes : bytes;
    return { lag, behind, bytes: after, maxBytes, purged, deadLetters };
  }

  /** Stops the passes after the one in progress. */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.running = this.pass().then(
        (pass) => this.options.onPass?.(pass),
        (error: unknown) => this.options.onError?.(error),
      );
      void this.running.then(() => {
        if (this.timer !== undefined) {
          this.schedule(this.options.intervalMs ?? 2_000);
        }
      });
    }, delayMs);
    this.timer.unref();
  }

  private async consumersOf(): Promise<ConsumerInfo[]> {
    const all: ConsumerInfo[] = [];
    for await (const consumer of this.jsm.consumers.list(this.stream)) {
      all.push(consumer);
    }
    return all;
  }
}

/** How recently a consumer must have been delivered to or have acknowledged to count as working. */
const WORKING_WITHIN_MS = 30_000;

/** True when someone is consuming: a pull is waiting, or messages moved within the last 30 s. */
function isWorking(consumer: ConsumerInfo, now: number): boolean {
  if (consumer.num_waiting > 0) {
    return true;
  }
  // The server reports these as timestamps (absent before the first delivery / ack).
  const moments = [consumer.delivered.last_active, consumer.ack_floor.last_active]
    .map((moment) => Date.parse(String(moment ?? '')))
    .filter((moment) => !Number.isNaN(moment));
  return moments.some((moment) => now - moment < WORKING_WITHIN_MS);
}

/**
 * The highest sequence a consumer needs nothing at or below: its ack floor, or — when nothing
 * is in flight — what it was last given (a filtered consumer's floor stays at its last match),
 * or the stream's end when it has nothing pending at all.
 */
function processedUpTo(consumer: ConsumerInfo, last: number): number {
  if (consumer.num_ack_pending > 0) {
    return consumer.ack_floor.stream_seq;
  }
  return consumer.num_pending === 0 ? last : consumer.delivered.stream_seq;
}
