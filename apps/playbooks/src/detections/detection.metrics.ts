import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry } from 'prom-client';
import type { Detection } from '@vigil/playbooks';
import type { PipelineEvents } from './detection-pipeline';

/** Detection metrics (`vigil_playbooks_*`); the gauges are registered by their owners. */
@Injectable()
export class DetectionMetrics {
  readonly signals: Counter;
  readonly routed: Counter;
  readonly evictions: Counter;
  private readonly skipped: Counter;
  private readonly detections: Counter;
  private readonly latency: Histogram;

  constructor(readonly registry: Registry) {
    this.signals = new Counter({
      name: 'vigil_playbooks_signals_total',
      help: 'Signals read by the engine',
      registers: [registry],
    });
    this.skipped = new Counter({
      name: 'vigil_playbooks_skipped_total',
      help: 'Matching signals not counted, by reason',
      labelNames: ['reason'],
      registers: [registry],
    });
    this.detections = new Counter({
      name: 'vigil_playbooks_detections_total',
      help: 'Detections, by playbook and outcome',
      labelNames: ['playbook', 'outcome'],
      registers: [registry],
    });
    this.evictions = new Counter({
      name: 'vigil_playbooks_group_evictions_total',
      help: 'Groups evicted because a tenant reached its group limit',
      registers: [registry],
    });
    this.routed = new Counter({
      name: 'vigil_playbooks_routed_total',
      help: 'Signals moved into the detection queue',
      registers: [registry],
    });
    this.latency = new Histogram({
      name: 'vigil_playbooks_detection_seconds',
      help: 'From ingestion of the triggering signal to its detection being stored',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
  }

  /** What each partition's pipeline reports. */
  pipelineEvents(): PipelineEvents {
    return {
      skipped: (reason) => this.skipped.inc({ reason }),
      detected: (detection: Detection, outcome) => {
        this.detections.inc({ playbook: detection.playbookId, outcome });
        if (outcome !== 'known') {
          this.latency.observe((Date.now() - Date.parse(detection.lastSeen)) / 1_000);
        }
      },
    };
  }
}
