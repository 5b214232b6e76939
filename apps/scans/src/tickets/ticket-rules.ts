import { severityAtLeast } from '@vigil/scans';
import type { FindingView } from '../store/finding.repository';
import type { TicketSettings } from '../store/ticket.repository';

/** True when the tenant has an integration and the finding is severe enough for a ticket. */
export function ticketDue(
  settings: TicketSettings | undefined,
  finding: Pick<FindingView, 'severity'>,
): settings is TicketSettings {
  return settings !== undefined && severityAtLeast(finding.severity, settings.minSeverity);
}
