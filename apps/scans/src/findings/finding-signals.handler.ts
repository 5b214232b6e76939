import { Controller, Inject } from '@nestjs/common';
import { FINDINGS_CONSUMER, SCANS_DURABLE } from '@vigil/topology';
import type { ReceivedMessage } from '@vigil/bus';
import { OnBusMessage } from '@vigil/service-kit';
import { SCANS_METRICS, type ScansMetrics } from '../scans-metrics';
import { TicketDeliverer } from '../tickets/ticket-deliverer';
import { FindingIntake } from './finding-intake';

/** Finding signals from the SIGNALS stream (and their replays) become tracked findings. */
@Controller()
export class FindingSignalsHandler {
  constructor(
    private readonly intake: FindingIntake,
    private readonly deliverer: TicketDeliverer,
    @Inject(SCANS_METRICS) private readonly metrics: ScansMetrics,
  ) {}

  @OnBusMessage(SCANS_DURABLE, { ...FINDINGS_CONSUMER, readReplays: true })
  async onFinding(message: ReceivedMessage): Promise<void> {
    this.metrics.findings.inc();
    if (await this.intake.handle(message)) {
      void this.deliverer.tick();
    }
  }
}
