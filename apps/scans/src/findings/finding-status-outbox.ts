import { platformSignalMessage, type SignalValidator } from '@vigil/signals';
import type { EventOutbox } from '@vigil/service-kit';
import type { SqlClient } from '@vigil/store';
import type { FindingView } from '../store/finding.repository';

/** `source` of the finding signals the scans product republishes with a new status. */
export const STATUS_SOURCE = 'vigil://scans';

/**
 * Announces a finding's new status (fixed, accepted, false positive, reopened) as a `finding`
 * signal with `status`, so the archive and insights see the workflow, not only the scans. The
 * signal is written to the outbox in the transaction that changed the status: it is published
 * once that commits, whenever the bus takes it, and never for a change that rolled back.
 */
export class FindingStatusOutbox {
  constructor(
    private readonly outbox: EventOutbox,
    private readonly validator: SignalValidator,
  ) {}

  /** Queues the finding as it stands now, in `db`'s transaction. */
  async add(db: SqlClient, tenant: string, finding: FindingView): Promise<void> {
    const event = {
      specversion: '1.0',
      id: `status-${finding.id}-${finding.status}-${Date.now()}`,
      source: STATUS_SOURCE,
      type: 'finding',
      time: new Date().toISOString(),
      subject: finding.app,
      datacontenttype: 'application/json',
      data: {
        fingerprint: finding.fingerprint,
        tool: finding.tool,
        kind: finding.kind,
        severity: finding.severity,
        status: finding.status,
        title: finding.title,
        ...(finding.description ? { description: finding.description } : {}),
        ...(finding.location ? { location: finding.location } : {}),
        ...(finding.identifiers ? { identifiers: finding.identifiers } : {}),
        ...(finding.lastScanId ? { scanId: finding.lastScanId } : {}),
      },
    };
    await this.outbox.add(db, platformSignalMessage(this.validator, tenant, 'scans', event));
  }
}
