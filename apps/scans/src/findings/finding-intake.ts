import { PermanentFailure, signalRecordOf, type ReceivedMessage } from '@vigil/bus';
import type { EnvelopeV1, FindingV1, SignalRecordV1 } from '@vigil/signals';
import type { SqlPool } from '@vigil/store';
import type { FindingRepository } from '../store/finding.repository';
import type { TicketRepository } from '../store/ticket.repository';
import { ticketDue } from '../tickets/ticket-rules';
import { STATUS_SOURCE } from './finding-status-outbox';

/**
 * Turns `finding` signals from the bus (from Vigil's workers or any scanner publishing through
 * ingestion) into tracked findings, and queues a ticket for each finding that opens — in one
 * transaction, so a redelivered signal neither duplicates a finding nor a ticket.
 */
export class FindingIntake {
  constructor(
    private readonly pool: SqlPool,
    private readonly findings: FindingRepository,
    private readonly tickets: TicketRepository,
  ) {}

  /** Handles one message of the SIGNALS stream; returns true when a ticket was queued. */
  async handle(message: ReceivedMessage): Promise<boolean> {
    const record = readRecord(message);
    if (record.event.source === STATUS_SOURCE) {
      return false; // our own status announcements
    }
    const tenant = record.vigil.tenant;
    const event = record.event as unknown as EnvelopeV1;
    const seenAt = new Date(event.time);
    return this.pool.transaction(async (db) => {
      const outcome = await this.findings.intake(
        db,
        tenant,
        event.subject,
        event.data as unknown as FindingV1,
        seenAt,
      );
      if (!outcome.opened) {
        return false; // most signals update a known finding: no ticket, no settings to read
      }
      const settings = await this.tickets.settings(tenant, db);
      if (!ticketDue(settings, outcome.finding)) {
        return false;
      }
      await this.tickets.enqueue(db, tenant, outcome.finding.id, 'open');
      return true;
    });
  }
}

function readRecord(message: ReceivedMessage): SignalRecordV1 {
  const record = signalRecordOf(message);
  const data = record.event.data as Partial<FindingV1> | undefined;
  if (record.event.type !== 'finding' || typeof data?.fingerprint !== 'string') {
    throw new PermanentFailure('the message is not a finding signal record');
  }
  return record;
}
