import type { AppSummaryState } from './app-summary';
import type { CheckedQuery, SearchResult } from './insights-query';
import type { SignalDocument } from './signal-document';

/** What one {@link InsightsStore.index} call did. */
export interface IndexOutcome {
  /** Documents stored for the first time (their summaries were updated). */
  readonly indexed: number;
  /** Documents already stored (a redelivery): nothing changed. */
  readonly duplicates: number;
}

/** How long signals are kept, by signal type. */
export interface RetentionPolicy {
  readonly byType: Readonly<Record<string, number>>;
  /** For types without their own retention (ms). */
  readonly defaultMs: number;
}

/** How long `policy` keeps signals of `type` (ms). */
export function retentionOf(policy: RetentionPolicy, type: string): number {
  return policy.byType[type] ?? policy.defaultMs;
}

/** An index of signal documents and application summaries: the embedded store or OpenSearch. */
export interface InsightsStore {
  /** `embedded` or `opensearch`, for logs and the conformance suite. */
  readonly kind: string;
  /** Creates or updates what the store needs (tables, index templates); idempotent. */
  prepare(): Promise<void>;
  /**
   * Stores documents, idempotent by (tenant, envelope id), and applies the summary deltas of
   * exactly the documents stored for the first time. Throws when the store cannot take them;
   * the caller retries the whole batch later.
   */
  index(documents: readonly SignalDocument[]): Promise<IndexOutcome>;
  /** Answers a checked query over one tenant's documents only. */
  search(tenant: string, query: CheckedQuery): Promise<SearchResult>;
  /** One tenant's application summaries at `now` (one application's when `app` is given). */
  summaries(tenant: string, now: number, app?: string): Promise<AppSummaryState[]>;
  /** Drops signals past their retention and summary counters older than 8 days; returns the signals dropped. */
  purge(policy: RetentionPolicy, now: number): Promise<number>;
  /** True when the store answers. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
