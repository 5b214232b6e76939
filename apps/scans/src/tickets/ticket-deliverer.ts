import {
  JiraTarget,
  ticketUrlProblem,
  type TicketNetworks,
  WebhookTarget,
  type SecretBox,
  type TicketResult,
  type TicketTarget,
} from '@vigil/scans';
import type { FindingRepository, FindingView } from '../store/finding.repository';
import type { ClaimedDelivery, TicketRepository, TicketSettings } from '../store/ticket.repository';

/** Delivery settings. */
export interface DeliveryPolicy {
  readonly maxAttempts: number;
  readonly retryBaseMs: number;
  readonly timeoutMs: number;
  readonly networks: TicketNetworks;
}

/** Counts what happened to deliveries (for metrics). */
export type DeliveryObserver = (outcome: 'delivered' | 'retry' | 'failed') => void;

/**
 * Sends queued ticket deliveries: opens a ticket for a new finding, closes it once fixed. A
 * failed call is retried with exponential backoff up to `maxAttempts`, then the delivery is
 * `failed` and shows in the delivery log; the finding itself is stored either way. Credentials
 * are unsealed only for the call and never logged.
 */
export class TicketDeliverer {
  private busy = false;

  constructor(
    private readonly tickets: TicketRepository,
    private readonly findings: FindingRepository,
    private readonly box: SecretBox,
    private readonly policy: DeliveryPolicy,
    private readonly observe: DeliveryObserver,
  ) {}

  /** Sends what is due now (one run at a time). */
  async tick(): Promise<void> {
    if (this.busy) {
      return;
    }
    this.busy = true;
    try {
      for (const delivery of await this.tickets.claimDue(20)) {
        await this.deliver(delivery);
      }
    } finally {
      this.busy = false;
    }
  }

  private async deliver(delivery: ClaimedDelivery): Promise<void> {
    const settings = await this.tickets.settings(delivery.tenant);
    const finding = await this.findings.get(delivery.tenant, delivery.findingId);
    if (!settings || !finding) {
      await this.tickets.attemptFailed(
        delivery.id,
        'no ticket integration is configured any more',
        null,
        undefined,
      );
      this.observe('failed');
      return;
    }
    const blocked = await ticketUrlProblem(settings.url, this.policy.networks);
    if (blocked) {
      await this.tickets.attemptFailed(delivery.id, blocked, null, undefined);
      this.observe('failed');
      return;
    }
    const result = await this.send(delivery, settings, finding);
    if (result.ok) {
      if (result.ref) {
        await this.findings.setTicket(finding.id, result.ref);
      }
      await this.tickets.delivered(delivery.id, result.status);
      this.observe('delivered');
      return;
    }
    const last = delivery.attempts >= this.policy.maxAttempts;
    const retryIn = last ? undefined : this.policy.retryBaseMs * 2 ** (delivery.attempts - 1);
    await this.tickets.attemptFailed(delivery.id, result.error, result.status, retryIn);
    this.observe(last ? 'failed' : 'retry');
  }

  private send(
    delivery: ClaimedDelivery,
    settings: TicketSettings,
    finding: FindingView,
  ): Promise<TicketResult> {
    const target = this.target(settings, delivery.id);
    return delivery.action === 'open' ? target.open(finding) : target.close(finding);
  }

  private target(settings: TicketSettings, deliveryId: number): TicketTarget {
    const secret = this.box.open(settings.sealedSecret);
    if (settings.kind === 'webhook') {
      return new WebhookTarget(settings.url, secret, this.policy.timeoutMs, () =>
        String(deliveryId),
      );
    }
    return new JiraTarget({
      url: settings.url,
      user: settings.options['user'] ?? '',
      token: secret,
      project: settings.options['project'] ?? '',
      issueType: settings.options['issueType'],
      doneTransition: settings.options['doneTransition'],
      timeoutMs: this.policy.timeoutMs,
    });
  }
}
