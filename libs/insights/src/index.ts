/**
 * @vigil/insights — the cross-product index: signal documents and application summaries, one
 * JSON query model, and two stores behind one interface (embedded PostgreSQL, OpenSearch).
 */
export {
  FIELD_CATALOG,
  FIELD_NAMES,
  TEXT_FIELDS,
  type FieldKind,
  type FieldName,
  type FieldSpec,
} from './lib/field-catalog';
export { toSignalDocument, type FieldValue, type SignalDocument } from './lib/signal-document';
export {
  summaryDeltas,
  type AppSummaryDelta,
  type FindingState,
  type HourCounters,
  type RuntimeFacts,
} from './lib/summary-delta';
export {
  APP_SORT_KEYS,
  selectApps,
  summarize,
  type AppSortKey,
  type AppsSelection,
  type AppSummary,
  type AppSummaryState,
} from './lib/app-summary';
export {
  BucketLimitError,
  TOTAL_LIMIT,
  type AggregationResult,
  type CheckedQuery,
  type InsightsQuery,
  type QueryAggregation,
  type QueryFilter,
  type SearchHit,
  type SearchResult,
} from './lib/insights-query';
export {
  DEFAULT_QUERY_LIMITS,
  durationMs,
  QueryChecker,
  type QueryCheck,
  type QueryLimits,
} from './lib/query-checker';
export {
  retentionOf,
  type IndexOutcome,
  type InsightsStore,
  type RetentionPolicy,
} from './lib/insights-store';
export { EmbeddedInsightsStore } from './lib/embedded/embedded-store';
export {
  OpenSearchInsightsStore,
  type OpenSearchStoreOptions,
} from './lib/opensearch/opensearch-store';
export {
  openSearchNames,
  signalsIndexTemplate,
  type OpenSearchNames,
} from './lib/opensearch/opensearch-mappings';
