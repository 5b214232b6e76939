/**
 * @vigil/signals/testing — sample documents for tests of any project (never imported by
 * production code).
 */

/** A valid `attack` payload (v1): a blocked SQL injection from 203.0.113.9. */
export const sampleAttackData = {
  category: 'sqli',
  action: 'blocked',
  rule: { id: 'sqli-001' },
  actor: { ip: '203.0.113.9' },
} as const;

/**
 * A valid `attack` envelope (v1) about application `shop`. `overrides` replace envelope
 * attributes (use `undefined` to drop one); `data` replaces payload fields.
 */
export function sampleAttackEnvelope(
  id: string,
  overrides: Record<string, unknown> = {},
  data: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    specversion: '1.0',
    id,
    source: 'agent://shop/pod-1',
    type: 'attack',
    time: '2026-11-21T10:00:00Z',
    subject: 'shop',
    data: { ...sampleAttackData, ...data },
    ...overrides,
  };
}
