import { DurableConsumer, signalRecordOf, type NatsConnection } from '@vigil/bus';
import type { DetectionEngine, PastDetection } from '@vigil/playbooks';
import type { SignalRecordV1 } from '@vigil/signals';
import { partitionConsumerSettings } from '@vigil/topology';
import type { DetectionPipeline } from '../detections/detection-pipeline';
import type { PlaybookCatalog } from '../playbooks/playbook-catalog';
import { partitionOfApp } from './detection-partition';
import { rebuildRecentState } from './state-rebuild';

/** What the partitions need from the rest of the service. */
export interface DetectionPartitionsDeps {
  readonly nc: NatsConnection;
  readonly engine: DetectionEngine;
  readonly catalog: PlaybookCatalog;
  readonly partitions: number;
  /** A pipeline of its own for each partition (its pending detections are its own). */
  readonly pipeline: () => DetectionPipeline;
  /** How far back counting state reaches (longest window + late allowance), in ms. */
  readonly lookBackMs: () => Promise<number>;
  /** Detections stored recently enough to still be quiet (any instance's). */
  readonly pastDetections: () => Promise<PastDetection[]>;
  readonly announce: (message: string) => void;
  /** Called for each signal a partition reads (for a metric). */
  readonly onSignal?: () => void;
}

/**
 * The detection partitions this instance holds: taking one restores its state (stored
 * detections as quiet periods, then the recent signals of its applications from SIGNALS) and
 * then reads its queue; giving one up stops its reader and forgets its counters.
 */
export class DetectionPartitions {
  private readonly readers = new Map<number, DurableConsumer>();

  constructor(private readonly deps: DetectionPartitionsDeps) {}

  /** Partitions being read now. */
  held(): number[] {
    return [...this.readers.keys()].sort((a, b) => a - b);
  }

  /** Restores the state of `partitions`, then starts reading their queues. */
  async take(partitions: readonly number[]): Promise<void> {
    const taking = new Set(partitions);
    const pipelines = new Map(partitions.map((p) => [p, this.deps.pipeline()]));
    try {
      await this.restore(taking, pipelines);
      await this.startReaders(partitions, pipelines);
    } catch (error) {
      // Not taken after all: nothing of them may keep running once their leases are given up.
      await this.release(partitions);
      throw error;
    }
  }

  private async startReaders(
    partitions: readonly number[],
    pipelines: ReadonlyMap<number, DetectionPipeline>,
  ): Promise<void> {
    for (const partition of partitions) {
      const pipeline = pipelines.get(partition) as DetectionPipeline;
      this.readers.set(
        partition,
        await DurableConsumer.start(
          this.deps.nc,
          partitionConsumerSettings(partition),
          async (message) => {
            this.deps.onSignal?.();
            await pipeline.process(signalRecordOf(message));
          },
        ),
      );
    }
  }

  /** Stops reading `partitions` (a signal in hand finishes) and forgets their counters. */
  async release(partitions: readonly number[]): Promise<void> {
    const releasing = new Set(partitions);
    await Promise.all(
      partitions.map(async (partition) => {
        await this.readers.get(partition)?.stop();
        this.readers.delete(partition);
      }),
    );
    this.deps.engine.forget((tenant, app) =>
      releasing.has(partitionOfApp(tenant, app, this.deps.partitions)),
    );
  }

  /** Stops every reader. */
  async stop(): Promise<void> {
    await this.release(this.held());
  }

  private async restore(
    taking: ReadonlySet<number>,
    pipelines: ReadonlyMap<number, DetectionPipeline>,
  ): Promise<void> {
    const { engine, catalog, partitions } = this.deps;
    const lookBackMs = await this.deps.lookBackMs();
    const past = await this.deps.pastDetections();
    for (const detection of past) {
      const app = detection.group['/subject'] ?? '';
      if (taking.has(partitionOfApp(detection.tenant, app, partitions))) {
        await catalog.ensure(detection.tenant);
        engine.restoreQuiet(detection);
      }
    }
    const rebuild = await rebuildRecentState(
      this.deps.nc,
      lookBackMs,
      { partitions, held: taking },
      (record: SignalRecordV1) =>
        (
          pipelines.get(
            partitionOfApp(record.vigil.tenant, String(record.event.subject), partitions),
          ) as DetectionPipeline
        ).process(record),
    );
    this.deps.announce(
      `took partitions ${[...taking].join(', ')} of ${partitions}; state rebuilt from ${rebuild.reread} recent signals and ${past.length} recent detections`,
    );
    if (rebuild.skipped > 0) {
      this.deps.announce(
        `${rebuild.skipped} recent messages are not signal records and were left out of the state rebuild (see vigil dlq list)`,
      );
    }
  }
}
