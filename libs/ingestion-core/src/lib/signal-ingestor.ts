import {
  toSignalMessage,
  type SignalRecordV1,
  type SignalValidator,
  type ValidationIssue,
} from '@vigil/signals';
import type { DecodedItem } from './body/body-decoder';
import type { Enricher } from './enrichment/enricher';
import { IngestIncompleteError, type SignalSink, type SinkMessage } from './signal-sink';

/** Who publishes, from the verified credential. */
export interface IngestPublisher {
  readonly tenant: string;
  readonly keyId: string;
  /** When set, only signals whose `subject` is this application are accepted. */
  readonly app: string | null;
}

/** One request's worth of signals. */
export interface IngestRequest {
  readonly items: readonly DecodedItem[];
  readonly publisher: IngestPublisher;
  readonly receivedAt: Date;
  readonly clientIp: string | undefined;
  /** Validate and enrich only; return what would be stored. */
  readonly dryRun: boolean;
}

/** A duplicate: within the batch, or already stored within the duplicate window. */
export interface DuplicateItem {
  readonly index: number;
  readonly id: string;
  readonly reason: 'in-batch' | 'already-stored';
}

/** A refused item and why. */
export interface RejectedItem {
  readonly index: number;
  readonly id?: string;
  readonly errors: readonly ValidationIssue[];
}

/** An accepted item the producer should hear about (a deprecated schema version). */
export interface WarnedItem {
  readonly index: number;
  readonly id: string;
  readonly warning: string;
}

/** The answer to an ingest request. */
export interface IngestResult {
  /** How many signals were newly stored (or, in a dry run, would be). */
  readonly accepted: number;
  readonly duplicates: readonly DuplicateItem[];
  readonly rejected: readonly RejectedItem[];
  /** Present when an accepted signal used a deprecated schema version. */
  readonly warnings?: readonly WarnedItem[];
  /** Dry run only: the records that would be stored. */
  readonly records?: readonly SignalRecordV1[];
}

/** A signal handed to the sink: what its answer needs once the stream has acked. */
interface Sent {
  readonly index: number;
  readonly id: string;
}

interface Prepared extends Sent {
  readonly message: SinkMessage;
  readonly record: SignalRecordV1;
  readonly warning?: string;
}

/** A batch after validation and enrichment: what was sent and its acks, or in a dry run the records. */
interface ProcessedBatch {
  readonly sent: Sent[];
  readonly acks: Promise<{ readonly duplicate: boolean }>[];
  readonly records: SignalRecordV1[];
  readonly duplicates: DuplicateItem[];
  readonly rejected: RejectedItem[];
  readonly warnings: WarnedItem[];
}

/**
 * The write path of every signal: validate (envelope, then payload), check the key's application
 * binding, drop in-batch duplicates, enrich, and store each record, reporting a signal accepted
 * only once the sink has made it durable.
 */
export class SignalIngestor {
  constructor(
    private readonly validator: SignalValidator,
    private readonly enricher: Enricher,
    private readonly sink: SignalSink,
  ) {}

  /**
   * Processes a batch; rejects with {@link IngestIncompleteError} when storage failed for any
   * record. Deliberately not an `async` function: V8 keeps an async function's parameters and
   * locals alive across `await`, so the parsed batch would outlive the round trip to the stream
   * and be promoted to the old heap (major GCs, latency spikes). Only indexes, ids and acks wait.
   */
  ingest(request: IngestRequest): Promise<IngestResult> {
    const batch = this.processBatch(request);
    const warnings = batch.warnings.length > 0 ? { warnings: batch.warnings } : {};
    if (request.dryRun) {
      const { duplicates, rejected, records } = batch;
      return Promise.resolve({
        accepted: records.length,
        duplicates,
        rejected,
        records,
        ...warnings,
      });
    }
    return this.settle(batch.sent, batch.acks, batch.duplicates, batch.rejected).then((result) => ({
      ...result,
      ...warnings,
    }));
  }

  /**
   * Validates and enriches each item and hands it to the sink at once (not after the whole
   * batch): the bus client flushes as its buffer fills, so the stream stores the first signals
   * while the rest are still being validated.
   */
  private processBatch(request: IngestRequest): ProcessedBatch {
    const batch: ProcessedBatch = {
      sent: [],
      acks: [],
      records: [],
      duplicates: [],
      rejected: [],
      warnings: [],
    };
    const seen = new Set<string>();
    // Every signal of a request shares one received time: formatted once, not once per signal.
    const receivedAtIso = request.receivedAt.toISOString();
    request.items.forEach((item, index) => {
      const outcome = this.prepare(item, index, request, receivedAtIso);
      if ('errors' in outcome) {
        batch.rejected.push(outcome);
        return;
      }
      if (seen.has(outcome.message.msgId)) {
        batch.duplicates.push({ index, id: outcome.id, reason: 'in-batch' });
        return;
      }
      seen.add(outcome.message.msgId);
      if (outcome.warning) {
        batch.warnings.push({ index, id: outcome.id, warning: outcome.warning });
      }
      if (request.dryRun) {
        batch.records.push(outcome.record);
        return;
      }
      batch.sent.push({ index, id: outcome.id });
      batch.acks.push(this.sink.store(outcome.message));
    });
    return batch;
  }

  private prepare(
    item: DecodedItem,
    index: number,
    request: IngestRequest,
    receivedAtIso: string,
  ): Prepared | RejectedItem {
    if ('problem' in item) {
      return {
        index,
        errors: [{ pointer: '', rule: item.problem.rule, message: item.problem.message }],
      };
    }
    const result = this.validator.validate(item.value, request.publisher.tenant);
    if (!result.valid) {
      return withId({ index, errors: result.issues }, item.value);
    }
    const envelope = result.envelope;
    const { app } = request.publisher;
    if (app !== null && envelope.subject !== app) {
      const message = `"subject" is "${envelope.subject}" but this API key may only publish signals about "${app}"`;
      return {
        index,
        id: envelope.id,
        errors: [{ pointer: '/subject', rule: 'app-binding', message, limit: app }],
      };
    }
    const vigil = this.enricher.enrich({
      envelope,
      payloadSchema: result.payloadSchema,
      publisher: request.publisher,
      receivedAt: request.receivedAt,
      receivedAtIso,
      clientIp: request.clientIp,
    });
    const record: SignalRecordV1 = { event: envelope as unknown as SignalRecordV1['event'], vigil };
    const message = toSignalMessage(envelope, record);
    return {
      index,
      id: envelope.id,
      record,
      message,
      ...(result.warning && { warning: result.warning }),
    };
  }

  /** Waits for every ack; reports a signal accepted only once the sink has made it durable. */
  private async settle(
    sent: readonly Sent[],
    acks: ReadonlyArray<Promise<{ readonly duplicate: boolean }>>,
    duplicates: DuplicateItem[],
    rejected: readonly RejectedItem[],
  ): Promise<IngestResult> {
    const outcomes = await Promise.allSettled(acks);
    const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failure) {
      const storedCount = outcomes.filter((o) => o.status === 'fulfilled').length;
      throw new IngestIncompleteError(failure.reason, storedCount);
    }
    let accepted = 0;
    outcomes.forEach((outcome, i) => {
      const item = sent[i] as Sent;
      if (outcome.status === 'fulfilled' && outcome.value.duplicate) {
        duplicates.push({ index: item.index, id: item.id, reason: 'already-stored' });
      } else {
        accepted++;
      }
    });
    duplicates.sort((a, b) => a.index - b.index);
    return { accepted, duplicates, rejected };
  }
}

/** Adds the item's `id` to a rejection when the item has a usable one. */
function withId(rejected: RejectedItem, value: unknown): RejectedItem {
  const id = (value as { id?: unknown } | null)?.id;
  return typeof id === 'string' && id.length > 0 && id.length <= 256
    ? { ...rejected, id }
    : rejected;
}
