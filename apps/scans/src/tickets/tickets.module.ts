import { Module, type OnApplicationBootstrap } from '@nestjs/common';
import { Inject } from '@nestjs/common';
import { SecretBox } from '@vigil/scans';
import { BackgroundJobs, PRODUCT_CONFIG } from '@vigil/service-kit';
import type { ScansConfig } from '../config/scans.config';
import { SCANS_METRICS, type ScansMetrics } from '../scans-metrics';
import { FindingRepository } from '../store/finding.repository';
import { TicketRepository } from '../store/ticket.repository';
import { TicketDeliverer } from './ticket-deliverer';
import { TicketSettingsService } from './ticket-settings.service';
import { TicketsController } from './tickets.controller';

/** Ticket integrations: settings, the delivery log, and the deliverer that sends what is due. */
@Module({
  controllers: [TicketsController],
  providers: [
    TicketSettingsService,
    {
      provide: TicketDeliverer,
      useFactory: (
        tickets: TicketRepository,
        findings: FindingRepository,
        box: SecretBox,
        config: ScansConfig,
        metrics: ScansMetrics,
      ) =>
        new TicketDeliverer(tickets, findings, box, config.tickets, (outcome) =>
          metrics.deliveries.inc({ outcome }),
        ),
      inject: [TicketRepository, FindingRepository, SecretBox, PRODUCT_CONFIG, SCANS_METRICS],
    },
  ],
  exports: [TicketDeliverer],
})
export class TicketsModule implements OnApplicationBootstrap {
  constructor(
    private readonly deliverer: TicketDeliverer,
    private readonly jobs: BackgroundJobs,
    @Inject(PRODUCT_CONFIG) private readonly config: ScansConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.jobs.every('ticket delivery', this.config.tickets.pollIntervalMs, () =>
      this.deliverer.tick(),
    );
  }
}
