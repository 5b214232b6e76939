import { SignalPublisher, type NatsConnection } from '@vigil/bus';
import { platformSignalMessage, type SignalMessage, type SignalValidator } from '@vigil/signals';
import type { ResponseView } from '../store/response.repository';
import { responseChangesSubject } from '@vigil/topology';

const SOURCE = 'vigil://playbooks';

/**
 * Publishes responses as `response` signals on the bus (so the archive, insights and any
 * product see them like every other signal), and pokes the instances' event streams.
 */
export class ResponsePublisher {
  private readonly publisher: SignalPublisher;

  constructor(
    private readonly nc: NatsConnection,
    private readonly validator: SignalValidator,
  ) {
    this.publisher = new SignalPublisher(nc);
  }

  /** Publishes the block (or, once ended, the unblock) of a response; idempotent by id. */
  async publish(
    tenant: string,
    response: ResponseView,
    action: 'block' | 'unblock',
  ): Promise<void> {
    await this.publisher.publish(this.message(tenant, response, action));
  }

  /** The `response` signal of a block or unblock (its id makes a republished one a duplicate). */
  message(tenant: string, response: ResponseView, action: 'block' | 'unblock'): SignalMessage {
    const id = action === 'block' ? response.id : `${response.id}-unblock`;
    const now = new Date().toISOString();
    const event = {
      specversion: '1.0',
      id,
      source: SOURCE,
      type: 'response',
      time: now,
      subject: response.app,
      datacontenttype: 'application/json',
      data: {
        action,
        target: response.target,
        ...(action === 'block' ? { until: response.until } : {}),
        reason: response.reason,
        playbook: { id: response.playbook.id, name: response.playbook.name },
        detectionId: response.detectionId,
      },
    };
    return platformSignalMessage(this.validator, tenant, 'playbooks', event);
  }

  /** Tells every instance that a tenant's responses changed. */
  poke(tenant: string): void {
    this.nc.publish(responseChangesSubject(tenant));
  }
}
