import { createHmac } from 'node:crypto';
import {
  callTicketApi,
  type TicketFinding,
  type TicketResult,
  type TicketTarget,
} from './ticket-target';

/** Header carrying `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`. */
export const SIGNATURE_HEADER = 'x-vigil-signature';
/** Header carrying the Unix time (seconds) the signature covers: receivers refuse old ones (replays). */
export const TIMESTAMP_HEADER = 'x-vigil-timestamp';

/**
 * A generic webhook: POSTs `{ event, finding }` (events `finding.opened`, `finding.fixed`) signed
 * with the tenant's secret, so the receiver can check that Vigil sent it and that it is recent.
 */
export class WebhookTarget implements TicketTarget {
  constructor(
    private readonly url: string,
    private readonly secret: string,
    private readonly timeoutMs: number,
    private readonly deliveryId: () => string,
  ) {}

  /** Sends `finding.opened`. */
  open(finding: TicketFinding): Promise<TicketResult> {
    return this.send('finding.opened', finding);
  }

  /** Sends `finding.fixed`. */
  close(finding: TicketFinding): Promise<TicketResult> {
    return this.send('finding.fixed', finding);
  }

  private async send(event: string, finding: TicketFinding): Promise<TicketResult> {
    const body = JSON.stringify({ event, finding });
    const timestamp = String(Math.floor(Date.now() / 1_000));
    const { result } = await callTicketApi(
      this.url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'vigil-scans',
          'x-vigil-event': event,
          'x-vigil-delivery': this.deliveryId(),
          [TIMESTAMP_HEADER]: timestamp,
          [SIGNATURE_HEADER]: signWebhook(this.secret, timestamp, body),
        },
        body,
      },
      this.timeoutMs,
    );
    return result;
  }
}

/** The signature of a webhook body: `sha256=` and the hex HMAC-SHA256 of `<timestamp>.<body>`. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}
