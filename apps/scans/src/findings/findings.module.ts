import { Module } from '@nestjs/common';
import { DATABASE, EventOutbox } from '@vigil/service-kit';
import { SchemaRegistry, SignalValidator } from '@vigil/signals';
import type { SqlPool } from '@vigil/store';
import { FindingRepository } from '../store/finding.repository';
import { TicketRepository } from '../store/ticket.repository';
import { TicketsModule } from '../tickets/tickets.module';
import { FindingIntake } from './finding-intake';
import { FindingSignalsHandler } from './finding-signals.handler';
import { FindingStatusOutbox } from './finding-status-outbox';
import { FindingsController } from './findings.controller';
import { FindingsService } from './findings.service';

/** Tracked findings: the API, the intake of finding signals, and status signals via the outbox. */
@Module({
  imports: [TicketsModule],
  controllers: [FindingsController, FindingSignalsHandler],
  providers: [
    FindingsService,
    {
      provide: FindingStatusOutbox,
      useFactory: (outbox: EventOutbox, registry: SchemaRegistry) =>
        new FindingStatusOutbox(outbox, new SignalValidator(registry)),
      inject: [EventOutbox, SchemaRegistry],
    },
    {
      provide: FindingIntake,
      useFactory: (pool: SqlPool, findings: FindingRepository, tickets: TicketRepository) =>
        new FindingIntake(pool, findings, tickets),
      inject: [DATABASE, FindingRepository, TicketRepository],
    },
  ],
  exports: [FindingStatusOutbox],
})
export class FindingsModule {}
