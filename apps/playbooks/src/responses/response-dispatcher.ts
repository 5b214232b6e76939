import type { Detection } from '@vigil/playbooks';
import type { SqlClient, SqlPool } from '@vigil/store';
import type { AllowlistRepository } from '../store/allowlist.repository';
import type { DetectionOutcome, DetectionRepository } from '../store/detection.repository';
import type { NewResponse, ResponseRepository } from '../store/response.repository';
import type { ResponsePublisher } from './response-publisher';

/**
 * How a detection was handled: `known` when it had been handled before, `revised` when a
 * revision updated a stored detection's evidence.
 */
export type DispatchOutcome = DetectionOutcome | 'known' | 'revised';

interface Decision {
  readonly outcome: DetectionOutcome;
  readonly response?: NewResponse;
}

/**
 * Turns detections into responses under the guardrails: a block whose lifetime (counted from
 * the attack's event time) is already over is only recorded (`expired`), allowlisted IPs and
 * users are never blocked, simulated playbooks only record, a target already blocked is not blocked twice, and
 * at most `capPerMinute` responses go to one application per minute (the excess is recorded as
 * capped). Decisions for one application are serialized by a transaction-scoped lock, so the
 * "already blocked?" and "cap reached?" reads hold until the insert commits, whatever the number
 * of instances; a unique index is the last line for the first (migration 0002). The detection,
 * its response and the change-log entry are stored in one transaction;
 * the response is then published — and published again after a crash in between, because a
 * redelivered detection finds its response unpublished.
 */
export class ResponseDispatcher {
  constructor(
    private readonly pool: SqlPool,
    private readonly detections: DetectionRepository,
    private readonly responses: ResponseRepository,
    private readonly allowlist: AllowlistRepository,
    private readonly publisher: ResponsePublisher,
    private readonly capPerMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Stores and acts on one detection; idempotent by detection id. A revision of a stored
   * detection only updates its evidence: the response it caused stands (its block may end up
   * to the lateness of the revising signals later than a fresh one would).
   */
  async dispatch(detection: Detection): Promise<DispatchOutcome> {
    if (detection.revised && (await this.detections.revise(this.pool, detection))) {
      return 'revised';
    }
    const decision = await this.pool.transaction(async (client) => {
      if (await this.detections.exists(client, detection.id)) {
        return undefined;
      }
      const decided = await this.decide(client, detection);
      await this.detections.record(
        client,
        detection,
        decided.outcome,
        decided.response?.id ?? null,
      );
      if (decided.response) {
        await this.responses.insert(client, decided.response);
      }
      if (decided.response?.status === 'active') {
        await this.responses.appendEvent(
          client,
          detection.tenant,
          decided.response.app,
          decided.response.id,
          'issued',
        );
      }
      return decided;
    });
    if (!decision) {
      await this.publishIfPending(detection.id);
      return 'known';
    }
    if (decision.response?.status === 'active') {
      await this.publishStored(detection.tenant, decision.response.id);
    }
    return decision.outcome;
  }

  private async decide(client: SqlClient, detection: Detection): Promise<Decision> {
    const { response, app } = detection;
    if (response.action === 'notify' || !app) {
      return { outcome: 'notified' };
    }
    // A block whose event-time lifetime is over (replayed or long-delayed signals) is recorded, not sent.
    if (Date.parse(response.until) <= this.now()) {
      return { outcome: 'expired' };
    }
    const target: NewResponse['target'] =
      response.action === 'block-ip' ? { ip: response.ip } : { user: response.user };
    await this.responses.lockApplication(client, detection.tenant, app);
    const allowlist = await this.allowlist.matcher(detection.tenant, client);
    if ('ip' in target ? allowlist.allowsIp(target.ip) : allowlist.allowsUser(target.user)) {
      return { outcome: 'allowlisted' };
    }
    const draft = newResponse(detection, app, target, response.until);
    if (detection.simulated) {
      return { outcome: 'simulated', response: { ...draft, status: 'simulated' } };
    }
    if (await this.responses.activeFor(client, detection.tenant, app, target)) {
      return { outcome: 'already-blocked' };
    }
    if ((await this.responses.sentLastMinute(client, detection.tenant, app)) >= this.capPerMinute) {
      return { outcome: 'capped', response: { ...draft, status: 'capped' } };
    }
    return { outcome: 'responded', response: draft };
  }

  private async publishIfPending(detectionId: string): Promise<void> {
    const pending = await this.responses.unpublishedOf(detectionId);
    if (pending) {
      await this.publishStored(pending.tenant, pending.id);
    }
  }

  private async publishStored(tenant: string, id: string): Promise<void> {
    const stored = await this.responses.get(tenant, id);
    if (!stored) {
      return;
    }
    this.publisher.poke(tenant);
    await this.publisher.publish(tenant, stored, 'block');
    await this.responses.markPublished(id);
  }
}

function newResponse(
  detection: Detection,
  app: string,
  target: NewResponse['target'],
  until: string,
): NewResponse {
  return {
    id: `rsp_${detection.id.slice('det_'.length)}`,
    tenant: detection.tenant,
    app,
    target,
    until,
    reason: `${detection.playbookName}: ${detection.count} within ${detection.windowSeconds}s (threshold ${detection.threshold})`,
    playbook: {
      id: detection.playbookId,
      name: detection.playbookName,
      version: detection.playbookVersion,
    },
    detectionId: detection.id,
    detectedAt: detection.detectedAt,
    simulated: detection.simulated,
    status: 'active',
  };
}
