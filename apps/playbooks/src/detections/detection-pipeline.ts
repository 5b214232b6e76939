import type { Detection, DetectionEngine } from '@vigil/playbooks';
import type { SignalRecordV1 } from '@vigil/signals';
import type { PlaybookCatalog } from '../playbooks/playbook-catalog';
import type { DispatchOutcome, ResponseDispatcher } from '../responses/response-dispatcher';

/** What the pipeline reports, for metrics and logs. */
export interface PipelineEvents {
  skipped?(reason: string): void;
  detected?(detection: Detection, outcome: DispatchOutcome): void;
}

/**
 * One signal through detection: the tenant's playbooks, the engine, then the dispatcher for
 * each detection. The engine's state moves before a detection is stored, so a detection whose
 * storage failed is kept and retried before anything else — the signal that caused it is
 * acknowledged only once it is stored.
 */
export class DetectionPipeline {
  private readonly pending = new Map<string, Detection>();

  constructor(
    private readonly engine: DetectionEngine,
    private readonly catalog: PlaybookCatalog,
    private readonly dispatcher: ResponseDispatcher,
    private readonly events: PipelineEvents = {},
  ) {}

  /** Feeds one signal record; throws (to be redelivered) while a detection cannot be stored. */
  async process(record: SignalRecordV1): Promise<void> {
    await this.flushPending();
    const tenant = record.vigil.tenant;
    await this.catalog.ensure(tenant);
    const outcome = this.engine.observe({
      tenant,
      event: record.event as unknown as Record<string, unknown>,
      receivedAt: Date.parse(record.vigil.receivedAt),
    });
    for (const skip of outcome.skipped) {
      this.events.skipped?.(skip.reason);
    }
    for (const detection of outcome.detections) {
      this.pending.set(detection.id, detection);
    }
    await this.flushPending();
  }

  private async flushPending(): Promise<void> {
    for (const [id, detection] of this.pending) {
      const outcome = await this.dispatcher.dispatch(detection);
      this.pending.delete(id);
      this.events.detected?.(detection, outcome);
    }
  }
}
