import { randomFillSync } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Random bytes are drawn in bulk: one system call per 256 ids instead of one per id. */
const POOL_IDS = 256;
const pool = Buffer.alloc(POOL_IDS * 16);
let poolOffset = pool.length;

/** The last id's time, its encoded digits and its random digits, for monotonic ids within a ms. */
let lastTime = -1;
let lastTimeDigits = '';
const lastRandom: number[] = new Array<number>(16).fill(0);

/**
 * A monotonic ULID (26 characters, Crockford base32): 48 bits of milliseconds then 80 random
 * bits. Ids made by one process always sort in creation order — within the same millisecond the
 * random part is incremented (the ULID specification's monotonic mode) — and never collide in
 * practice across processes. Used for envelope ids (SDK) and ingest ids.
 */
export function newUlid(now: number = Date.now()): string {
  if (now <= lastTime) {
    incrementRandom();
  } else {
    lastTime = now;
    lastTimeDigits = encodeTime(now);
    freshRandom();
  }
  let id = lastTimeDigits;
  for (let i = 0; i < 16; i++) {
    id += CROCKFORD[lastRandom[i] as number];
  }
  return id;
}

function encodeTime(time: number): string {
  let text = '';
  let remaining = time;
  for (let i = 0; i < 10; i++) {
    text = CROCKFORD[remaining % 32] + text;
    remaining = Math.floor(remaining / 32);
  }
  return text;
}

function freshRandom(): void {
  if (poolOffset >= pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  for (let i = 0; i < 16; i++) {
    // Keep the first digit below 16 so increments within a millisecond never overflow.
    lastRandom[i] = (pool[poolOffset + i] as number) % (i === 0 ? 16 : 32);
  }
  poolOffset += 16;
}

function incrementRandom(): void {
  for (let i = 15; i >= 0; i--) {
    const digit = (lastRandom[i] as number) + 1;
    if (digit < 32) {
      lastRandom[i] = digit;
      return;
    }
    lastRandom[i] = 0;
  }
}
