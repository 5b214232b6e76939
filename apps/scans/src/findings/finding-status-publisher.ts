import { SignalPublisher, type NatsConnection } from '@vigil/bus';
import { platformSignalMessage } from '@vigil/ingestion-core';
import type { SignalValidator } from '@vigil/signals';
import type { FindingView } from '../store/finding.repository';

/** `source` of the finding signals the scans product republishes with a new status. */
export const STATUS_SOURCE = 'vigil://scans';

/**
 * Announces a finding's new status (fixed, accepted, false positive, reopened) as a `finding`
 * signal with `status`, so the archive and insights see the workflow, not only the scans.
 */
export class FindingStatusPublisher {
  private readonly publisher: SignalPublisher;

  constructor(
    nc: NatsConnection,
    private readonly validator: SignalValidator,
  ) {
    this.publisher = new SignalPublisher(nc);
  }

  /** Publishes the finding as it stands now. */
  async publish(tenant: string, finding: FindingView): Promise<void> {
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
    await this.publisher.publish(platformSignalMessage(this.validator, tenant, 'scans', event));
  }
}
