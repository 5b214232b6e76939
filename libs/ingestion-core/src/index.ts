/**
 * @vigil/ingestion-core — the write path of every signal, free of HTTP and bus frameworks:
 * reading and decoding request bodies within limits, the enrichment chain, the ingestor that
 * validates, enriches and stores through a {@link SignalSink} port, and the per-tenant rate limit.
 */
export { BodyError } from './lib/body/body-error';
export { readBody, type BodyLimits } from './lib/body/read-body';
export {
  ACCEPTED_CONTENT_TYPES,
  decodeBody,
  type DecodedItem,
  type DecodeLimits,
} from './lib/body/body-decoder';
export { Enricher } from './lib/enrichment/enricher';
export type {
  EnrichmentInput,
  EnrichmentStep,
  VigilMetadata,
} from './lib/enrichment/enrichment.types';
export { ThreatIntelLists } from './lib/enrichment/threat-intel-lists';
export {
  SignalIngestor,
  type DuplicateItem,
  type IngestPublisher,
  type IngestRequest,
  type IngestResult,
  type RejectedItem,
} from './lib/signal-ingestor';
export { IngestIncompleteError, type SignalSink, type SinkMessage } from './lib/signal-sink';
export { TenantRateLimiter, type RateVerdict } from './lib/tenant-rate-limiter';
export { ConsumerBackpressure, type BackpressureVerdict } from './lib/consumer-backpressure';
export {
  SchemaRegistration,
  type Registered,
  type SchemaRegistrationLimits,
  type TenantSchemaStore,
} from './lib/schemas/schema-registration';
export {
  SchemaRegistrationError,
  type SchemaRegistrationRefusal,
} from './lib/schemas/schema-registration-error';
export {
  compileOnTrial,
  TRIAL_BUDGET,
  type TrialBudget,
  type TrialVerdict,
} from './lib/schemas/schema-trial';
