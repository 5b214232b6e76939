import { randomFillSync } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Random bytes are drawn in bulk: one system call per 256 ids instead of one per id. */
const POOL_IDS = 256;
const pool = Buffer.alloc(POOL_IDS * 16);
let poolOffset = pool.length;

/**
 * A ULID (26 characters, Crockford base32): 48 bits of milliseconds then 80 random bits, so ids
 * sort by time and never collide in practice. Used for envelope ids (SDK) and ingest ids.
 */
export function newUlid(now: number = Date.now()): string {
  let time = '';
  let remaining = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[remaining % 32] + time;
    remaining = Math.floor(remaining / 32);
  }
  if (poolOffset >= pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  let tail = '';
  for (let i = 0; i < 16; i++) {
    tail += CROCKFORD[(pool[poolOffset + i] as number) % 32];
  }
  poolOffset += 16;
  return time + tail;
}
