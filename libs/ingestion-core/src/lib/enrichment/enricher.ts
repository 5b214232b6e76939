import type { EnrichmentInput, EnrichmentStep, VigilMetadata } from './enrichment.types';
import {
  clientAddressStep,
  piiHashStep,
  publisherStep,
  receiptStep,
  threatIntelStep,
} from './enrichment-steps';
import type { ThreatIntelLists } from './threat-intel-lists';

/** Runs enrichment steps in order and returns the `vigil` metadata of a signal. */
export class Enricher {
  constructor(private readonly steps: readonly EnrichmentStep[]) {}

  /** The standard chain: publisher, receipt, client address, threat intel, PII hashes. */
  static standard(options: {
    readonly threatIntel: ThreatIntelLists;
    readonly piiKey: Buffer;
  }): Enricher {
    return new Enricher([
      publisherStep,
      receiptStep,
      clientAddressStep,
      threatIntelStep(options.threatIntel),
      piiHashStep(options.piiKey),
    ]);
  }

  /** Builds the metadata; the envelope is never modified. */
  enrich(input: EnrichmentInput): VigilMetadata {
    const metadata: Partial<VigilMetadata> = {};
    for (const step of this.steps) {
      step(input, metadata);
    }
    return metadata as VigilMetadata;
  }
}
