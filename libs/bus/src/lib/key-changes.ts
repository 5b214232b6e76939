import { KEY_DIRECTORY_SUBJECTS } from '@vigil/topology';
import type { NatsConnection, Subscription } from '@nats-io/nats-core';

/** Core NATS subject on which a revoked or changed API key is announced to every service. */
export const KEY_CHANGES_SUBJECT = KEY_DIRECTORY_SUBJECTS.changed;

/**
 * Tells every instance of every service that an API key changed (revoked, for now), so each
 * drops it from its credential cache within a round trip instead of after the cache's TTL.
 * Plain NATS publish/subscribe: an instance that is disconnected at that moment misses the
 * announcement and falls back to the TTL (`VIGIL_KEY_CACHE_TTL`), which stays the bound.
 */
export class KeyChanges {
  constructor(private readonly nc: NatsConnection) {}

  /** Announces that `keyId` changed; never throws (the TTL is the fallback). */
  announce(keyId: string): void {
    try {
      this.nc.publish(KEY_CHANGES_SUBJECT, keyId);
    } catch {
      // A closed connection: the other instances learn it from their cache TTL.
    }
  }

  /** Calls `onChange` with each announced key id until the connection closes. */
  follow(onChange: (keyId: string) => void): Subscription {
    return this.nc.subscribe(KEY_CHANGES_SUBJECT, {
      callback: (error, message) => {
        if (!error && message.data.length > 0 && message.data.length <= 64) {
          onChange(message.string());
        }
      },
    });
  }
}
