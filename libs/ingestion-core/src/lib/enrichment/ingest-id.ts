import { randomBytes } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A ULID (26 characters, Crockford base32): 48 bits of milliseconds then 80 random bits, so ids
 * sort by time and never collide in practice.
 */
export function newIngestId(now: number = Date.now()): string {
  let time = '';
  let remaining = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[remaining % 32] + time;
    remaining = Math.floor(remaining / 32);
  }
  const random = randomBytes(16);
  let tail = '';
  for (let i = 0; i < 16; i++) {
    tail += CROCKFORD[(random[i] as number) % 32];
  }
  return time + tail;
}
