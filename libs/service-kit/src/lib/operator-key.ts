import { createHash, timingSafeEqual } from 'node:crypto';

/** Checks the operator key without keeping it in memory: only its SHA-256 is held. */
export class OperatorKey {
  private readonly hash: Buffer;

  constructor(key: string) {
    this.hash = digest(key);
  }

  /** True when `candidate` is the operator key (constant-time comparison). */
  matches(candidate: string): boolean {
    return timingSafeEqual(this.hash, digest(candidate));
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
