import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from '@opensearch-project/opensearch';
import { oldestHourKept, type AppSummaryState } from '../app-summary';
import type { CheckedQuery, SearchResult } from '../insights-query';
import {
  retentionOf,
  type IndexOutcome,
  type InsightsStore,
  type RetentionPolicy,
} from '../insights-store';
import type { SignalDocument } from '../signal-document';
import {
  summaryDeltas,
  type FindingState,
  type HourCounters,
  type RuntimeFacts,
} from '../summary-delta';
import {
  openSearchNames,
  parseSignalIndex,
  signalIndexOf,
  signalsIndexTemplate,
  summariesIndexBody,
  type OpenSearchNames,
} from './opensearch-mappings';
import { fromSearchResponse, toSearchRequest } from './opensearch-query';
import { summaryUpdate } from './summary-script';

/** Settings of the OpenSearch store. */
export interface OpenSearchStoreOptions {
  /** `OPENSEARCH_URL`, credentials included or given below. */
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  /** Prefix of every index, alias and template; default `vigil`. */
  readonly prefix?: string;
  readonly replicas?: number;
  /** Attempts of a throttled (429) bulk request before the batch fails; default 6. */
  readonly maxAttempts?: number;
  /** First backoff delay (ms), doubled per attempt; default 250. */
  readonly backoffMs?: number;
  /**
   * How long a document's summary stays with the batch that stored it (ms; default 60 000): a
   * concurrent batch delivering the same signal leaves it alone, a redelivery after that time
   * (the first batch failed before summarizing) takes it over. Set it above the consumers' ack wait.
   */
  readonly summaryClaimMs?: number;
  /** Largest bulk request body (bytes; default 8 MiB), well under OpenSearch's 100 MB `http.max_content_length`. */
  readonly maxBulkBytes?: number;
}

const MAX_BULK_BYTES = 8 * 1024 * 1024;

type BulkItem = Record<
  string,
  { status: number; _id: string; error?: { type?: string; reason?: string } }
>;

const DAY_MS = 86_400_000;

/**
 * The OpenSearch store: one index per signal type and month behind one alias, a strict index
 * template, a summaries index updated by scripted upserts, bulk writes retried with backoff on
 * throttling. Idempotence: signal documents are `create`d under `<tenant>:<id>`, so a redelivery
 * conflicts instead of duplicating; a document carries `summarized` until its summary delta is
 * applied, so a batch that failed between the two steps is completed, not double counted.
 */
export class OpenSearchInsightsStore implements InsightsStore {
  readonly kind = 'opensearch';
  private readonly client: Client;
  private readonly names: OpenSearchNames;
  private readonly prefix: string;

  constructor(private readonly options: OpenSearchStoreOptions) {
    this.prefix = options.prefix ?? 'vigil';
    this.names = openSearchNames(this.prefix);
    const auth = options.username
      ? { username: options.username, password: options.password ?? '' }
      : undefined;
    this.client = new Client({ node: options.url, auth, maxRetries: 0 });
  }

  async prepare(): Promise<void> {
    const replicas = this.options.replicas ?? 1;
    await this.client.indices.putIndexTemplate({
      name: this.names.signalsTemplate,
      body: signalsIndexTemplate(this.names, replicas),
    } as never);
    const exists = await this.client.indices.exists({ index: this.names.summariesIndex });
    if (exists.body) {
      return;
    }
    await this.client.indices
      .create({ index: this.names.summariesIndex, body: summariesIndexBody(replicas) } as never)
      .catch((error: unknown) => {
        // Another instance created it in the meantime: that is the outcome we wanted.
        if (
          !JSON.stringify((error as { body?: unknown }).body ?? '').includes(
            'resource_already_exists',
          )
        ) {
          throw error;
        }
      });
  }

  async index(documents: readonly SignalDocument[]): Promise<IndexOutcome> {
    const unique = [...new Map(documents.map((d) => [docId(d), d])).values()];
    const created = await this.createDocuments(unique);
    const conflicting = unique.filter((d) => !created.has(docId(d)));
    const unsummarized = await this.takeOverUnsummarized(conflicting);
    const fresh = unique.filter((d) => created.has(docId(d)) || unsummarized.has(docId(d)));
    if (fresh.length > 0) {
      // Hours are pruned relative to the summary's own events, not the wall clock: the same
      // summary whatever the day it is written (a replay, a backfill), as in the embedded store.
      await this.bulk(
        summaryDeltas(fresh).flatMap((delta) =>
          summaryUpdate(
            this.names.summariesIndex,
            delta,
            oldestHourKept(Date.parse(delta.lastSeen)),
          ),
        ),
      );
      await this.bulk(
        fresh.flatMap((d) => [
          { update: { _index: this.indexOf(d), _id: docId(d) } },
          { doc: { summarized: true } },
        ]),
      );
    }
    return { indexed: fresh.length, duplicates: documents.length - fresh.length };
  }

  async search(tenant: string, query: CheckedQuery): Promise<SearchResult> {
    const request = toSearchRequest(this.names.signalsAlias, tenant, query);
    // Before the first signal, no index stands behind the alias: an empty answer, not an error.
    const response = await this.client.search({
      index: request.index,
      body: request.body,
      ignore_unavailable: true,
      allow_no_indices: true,
    } as never);
    return fromSearchResponse(query, response.body as Record<string, unknown>);
  }

  async summaries(tenant: string, now: number, app?: string): Promise<AppSummaryState[]> {
    const filter: unknown[] = [{ term: { tenant } }];
    if (app !== undefined) {
      filter.push({ term: { app } });
    }
    const response = await this.client.search({
      index: this.names.summariesIndex,
      body: { size: 10_000, query: { bool: { filter } }, sort: [{ app: 'asc' }] },
    } as never);
    const hits =
      (response.body as { hits?: { hits?: Array<{ _source: StoredSummary }> } }).hits?.hits ?? [];
    return hits.map((hit) => toState(hit._source, now));
  }

  async purge(policy: RetentionPolicy, now: number): Promise<number> {
    const response = await this.client.indices.get({ index: this.names.signalsPattern } as never);
    let dropped = 0;
    for (const index of Object.keys(response.body as Record<string, unknown>)) {
      const parsed = parseSignalIndex(this.prefix, index);
      const cutoff = parsed && now - retentionOf(policy, parsed.type);
      if (!parsed || cutoff === undefined || parsed.monthStart >= cutoff) {
        continue;
      }
      dropped +=
        parsed.monthEnd <= cutoff
          ? await this.dropIndex(index)
          : await this.deleteBefore(index, cutoff);
    }
    return dropped;
  }

  /** A month wholly past its retention: the index goes, with every document in it. */
  private async dropIndex(index: string): Promise<number> {
    const count = await this.client.count({ index } as never);
    await this.client.indices.delete({ index } as never);
    return Number((count.body as { count?: number }).count ?? 0);
  }

  /** A month partly past its retention: its older documents go, the index stays. */
  private async deleteBefore(index: string, cutoff: number): Promise<number> {
    const response = await this.client.deleteByQuery({
      index,
      refresh: true,
      conflicts: 'proceed',
      body: { query: { range: { time: { lt: new Date(cutoff).toISOString() } } } },
    } as never);
    return Number((response.body as { deleted?: number }).deleted ?? 0);
  }

  async ping(): Promise<boolean> {
    return this.client.ping().then(
      () => true,
      () => false,
    );
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private indexOf(document: SignalDocument): string {
    return signalIndexOf(this.prefix, document.type, document.time);
  }

  /** Creates the documents; returns the ids stored now (the others existed already). */
  private async createDocuments(documents: readonly SignalDocument[]): Promise<Set<string>> {
    const items = await this.bulk(
      documents.flatMap((d) => [
        { create: { _index: this.indexOf(d), _id: docId(d) } },
        { ...d, summarized: false, claimedAt: Date.now() },
      ]),
      [409],
    );
    const created = new Set<string>();
    for (const item of items) {
      const result = item['create'];
      if (result?.status === 201) {
        created.add(result._id);
      }
    }
    return created;
  }

  /**
   * Of documents that existed already, those whose summary delta was never applied and whose
   * claim has expired (the batch that stored them failed), claimed now for this batch with a
   * conditional write, so two batches never both summarize one document.
   */
  private async takeOverUnsummarized(documents: readonly SignalDocument[]): Promise<Set<string>> {
    if (documents.length === 0) {
      return new Set();
    }
    const response = await this.client.mget({
      body: {
        docs: documents.map((d) => ({
          _index: this.indexOf(d),
          _id: docId(d),
          _source: ['summarized', 'claimedAt'],
        })),
      },
    } as never);
    const docs = ((response.body as { docs?: StoredClaim[] }).docs ?? []).filter(
      (doc) =>
        doc.found &&
        doc._source?.summarized === false &&
        Date.now() - (doc._source.claimedAt ?? 0) >= (this.options.summaryClaimMs ?? 60_000),
    );
    if (docs.length === 0) {
      return new Set();
    }
    const items = await this.bulk(
      docs.flatMap((doc) => [
        {
          update: {
            _index: doc._index,
            _id: doc._id,
            if_seq_no: doc._seq_no,
            if_primary_term: doc._primary_term,
          },
        },
        { doc: { claimedAt: Date.now() } },
      ]),
      [409],
    );
    return new Set(
      items
        .map((item) => item['update'])
        .filter((r) => r?.status === 200)
        .map((r) => r?._id as string),
    );
  }

  /**
   * Sends a bulk request; items throttled (429) are sent again with a growing delay. Returns the
   * items' results; throws when an item fails otherwise (statuses in `accepted` are not failures)
   * or when throttling outlasts the attempts — the caller's batch is then delivered again later.
   */
  private async bulk(
    operations: ReadonlyArray<Record<string, unknown>>,
    accepted: number[] = [],
  ): Promise<BulkItem[]> {
    const results: BulkItem[] = [];
    for (const chunk of bySize(pairs(operations), this.options.maxBulkBytes ?? MAX_BULK_BYTES)) {
      results.push(...(await this.bulkChunk(chunk, accepted)));
    }
    return results;
  }

  /** One bulk request of at most `maxBulkBytes`, throttled items resent (see {@link bulk}). */
  private async bulkChunk(
    operations: Array<[Record<string, unknown>, Record<string, unknown>]>,
    accepted: number[],
  ): Promise<BulkItem[]> {
    const results: BulkItem[] = [];
    let pending = operations;
    const attempts = this.options.maxAttempts ?? 6;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const items = await this.sendBulk(pending.flat());
      const throttled: Array<[Record<string, unknown>, Record<string, unknown>]> = [];
      items.forEach((item, i) => {
        const result = Object.values(item)[0];
        if (result?.status === 429) {
          throttled.push(pending[i] as [Record<string, unknown>, Record<string, unknown>]);
          return;
        }
        if (result && result.status >= 300 && !accepted.includes(result.status)) {
          throw new Error(
            `OpenSearch refused ${result._id}: ${result.status} ${result.error?.type ?? ''} ${result.error?.reason ?? ''}`.trim(),
          );
        }
        results.push(item);
      });
      if (throttled.length > 0 && attempt >= attempts) {
        throw new Error(
          `OpenSearch kept throttling ${throttled.length} operations after ${attempts} attempts`,
        );
      }
      if (throttled.length > 0) {
        await sleep((this.options.backoffMs ?? 250) * 2 ** (attempt - 1));
      }
      pending = throttled;
    }
    return results;
  }

  private async sendBulk(body: ReadonlyArray<Record<string, unknown>>): Promise<BulkItem[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await this.client.bulk({ body } as never);
        return (response.body as { items?: BulkItem[] }).items ?? [];
      } catch (error) {
        const throttled = (error as { statusCode?: number }).statusCode === 429;
        if (!throttled || attempt >= (this.options.maxAttempts ?? 6)) {
          throw error;
        }
        await sleep((this.options.backoffMs ?? 250) * 2 ** (attempt - 1));
      }
    }
  }
}

interface StoredSummary {
  app: string;
  firstSeen: string;
  lastSeen: string;
  signals: number;
  hours?: Record<string, HourCounters>;
  attackers?: Record<string, Record<string, number>>;
  agents?: Record<string, string>;
  runtime?: RuntimeFacts | null;
  findings?: Record<string, FindingState>;
}

function toState(stored: StoredSummary, now: number): AppSummaryState {
  const oldestHour = oldestHourKept(now);
  const firstDay = new Date(now - 7 * DAY_MS).toISOString().slice(0, 10);
  const attacks = new Map<string, number>();
  for (const [day, ips] of Object.entries(stored.attackers ?? {})) {
    if (day < firstDay) {
      continue;
    }
    for (const [ip, count] of Object.entries(ips)) {
      attacks.set(ip, (attacks.get(ip) ?? 0) + count);
    }
  }
  const openFindings: Record<string, number> = {};
  for (const finding of Object.values(stored.findings ?? {})) {
    if (finding.status === 'open') {
      openFindings[finding.severity] = (openFindings[finding.severity] ?? 0) + 1;
    }
  }
  return {
    app: stored.app,
    firstSeen: stored.firstSeen,
    lastSeen: stored.lastSeen,
    signals: stored.signals,
    hours: Object.fromEntries(
      Object.entries(stored.hours ?? {}).filter(([hour]) => hour >= oldestHour),
    ),
    topAttackers: [...attacks]
      .sort(([ipA, a], [ipB, b]) => b - a || (ipA < ipB ? -1 : 1))
      .slice(0, 5)
      .map(([ip, count]) => ({ ip, attacks: count })),
    agents: stored.agents ?? {},
    runtime: stored.runtime ?? undefined,
    openFindings,
  };
}

function docId(document: SignalDocument): string {
  return `${document.tenant}:${document.id}`;
}

/** A stored document's summary state, with what a conditional write needs. */
interface StoredClaim {
  readonly _index: string;
  readonly _id: string;
  readonly _seq_no: number;
  readonly _primary_term: number;
  readonly found?: boolean;
  readonly _source?: { summarized?: boolean; claimedAt?: number };
}

/** Splits operation pairs into runs whose JSON stays within `maxBytes` (a bigger pair goes alone). */
function bySize(
  operations: Array<[Record<string, unknown>, Record<string, unknown>]>,
  maxBytes: number,
): Array<Array<[Record<string, unknown>, Record<string, unknown>]>> {
  const chunks: Array<Array<[Record<string, unknown>, Record<string, unknown>]>> = [];
  let current: Array<[Record<string, unknown>, Record<string, unknown>]> = [];
  let bytes = 0;
  for (const pair of operations) {
    const size =
      Buffer.byteLength(JSON.stringify(pair[0])) + Buffer.byteLength(JSON.stringify(pair[1])) + 2;
    if (current.length > 0 && bytes + size > maxBytes) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(pair);
    bytes += size;
  }
  if (current.length > 0) {
    chunks.push(current);
  }
  return chunks;
}

function pairs(
  operations: ReadonlyArray<Record<string, unknown>>,
): Array<[Record<string, unknown>, Record<string, unknown>]> {
  const result: Array<[Record<string, unknown>, Record<string, unknown>]> = [];
  for (let i = 0; i < operations.length; i += 2) {
    result.push([
      operations[i] as Record<string, unknown>,
      operations[i + 1] as Record<string, unknown>,
    ]);
  }
  return result;
}
