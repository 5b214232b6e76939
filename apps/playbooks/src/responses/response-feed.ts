import type { NatsConnection, Subscription } from '@vigil/bus';
import { responseChangesSubject } from '@vigil/topology';

/**
 * Fans out "a tenant's responses changed" to this instance's event streams. Every instance
 * subscribes to the same core NATS subject, so a change made by any instance reaches every
 * connected agent; the streams then read the change log themselves, in order.
 */
export class ResponseFeed {
  private readonly listeners = new Map<string, Set<() => void>>();
  private readonly closers = new Set<() => void>();
  private readonly subscription: Subscription;

  constructor(nc: NatsConnection) {
    this.subscription = nc.subscribe(responseChangesSubject('*'), {
      callback: (_error, message) => this.notify(message.subject.split('.').at(-1) ?? ''),
    });
  }

  /** Calls `listener` on each change of the tenant's responses; returns the unsubscribe. */
  onChange(tenant: string, listener: () => void): () => void {
    let set = this.listeners.get(tenant);
    if (!set) {
      set = new Set();
      this.listeners.set(tenant, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) {
        this.listeners.delete(tenant);
      }
    };
  }

  /** Calls `closer` when the service shuts down (streams end so the server can stop); returns the unsubscribe. */
  onClose(closer: () => void): () => void {
    this.closers.add(closer);
    return () => this.closers.delete(closer);
  }

  /** Open event streams, for the metrics. */
  connections(): number {
    let total = 0;
    for (const set of this.listeners.values()) {
      total += set.size;
    }
    return total;
  }

  /** Stops listening and ends every open stream (clients reconnect to another instance and resume). */
  close(): void {
    this.subscription.unsubscribe();
    for (const closer of [...this.closers]) {
      closer();
    }
  }

  private notify(tenant: string): void {
    for (const listener of this.listeners.get(tenant) ?? []) {
      listener();
    }
  }
}
