import type { EnvelopeV1, RegisteredSchema, SignalRecordV1 } from '@vigil/signals';

/** What the platform adds to a signal: the `vigil` half of the bus record. */
export type VigilMetadata = SignalRecordV1['vigil'];

/** Who sent the signal, from the credential (never from the body). */
export interface Publisher {
  readonly tenant: string;
  readonly keyId: string;
}

/** Everything an enrichment step may look at. Steps never modify the envelope. */
export interface EnrichmentInput {
  readonly envelope: Readonly<EnvelopeV1>;
  readonly payloadSchema: RegisteredSchema;
  readonly publisher: Publisher;
  readonly receivedAt: Date;
  /** `receivedAt` as RFC 3339 text, formatted once per request (its signals share the time). */
  readonly receivedAtIso: string;
  /** The client's address as the HTTP layer resolved it (trusted proxies honoured). */
  readonly clientIp: string | undefined;
}

/** One small enrichment: reads the input, writes only its own fields of the metadata. */
export type EnrichmentStep = (
  input: EnrichmentInput,
  metadata: Partial<Mutable<VigilMetadata>>,
) => void;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
