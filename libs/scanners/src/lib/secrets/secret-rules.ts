import type { Severity } from '@vigil/scans';

/** One kind of secret the `secrets` scan recognises. */
export interface SecretRule {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  /** Global regular expression; the secret is group 1 when the pattern has one, else the match. */
  readonly pattern: RegExp;
  /** When set, the secret must be at least this random (Shannon entropy, bits per character). */
  readonly minEntropy?: number;
}

/**
 * The documented rule set (see `libs/scanners/README.md`). Patterns are anchored on the
 * formats issuers publish, so they rarely fire on ordinary text; the generic rule needs both an
 * assignment to a secret-looking name and a random-looking value.
 */
export const SECRET_RULES: readonly SecretRule[] = [
  {
    id: 'private-key',
    title: 'Private key',
    severity: 'critical',
    pattern: /-----BEGIN ((?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?)-----/g,
  },
  {
    id: 'aws-access-key-id',
    title: 'AWS access key id',
    severity: 'high',
    pattern: /\b((?:AKIA|ASIA)[0-9A-Z]{16})\b/g,
  },
  {
    id: 'aws-secret-access-key',
    title: 'AWS secret access key',
    severity: 'critical',
    pattern: /aws_?secret_?access_?key["']?\s*[:=]\s*["']?([A-Za-z0-9/+=]{40})\b/gi,
  },
  {
    id: 'github-token',
    title: 'GitHub token',
    severity: 'high',
    pattern: /\b(gh[pousr]_[A-Za-z0-9]{36,255})\b/g,
  },
  {
    id: 'slack-token',
    title: 'Slack token',
    severity: 'high',
    pattern: /\b(xox[abprs]-[A-Za-z0-9-]{10,200})\b/g,
  },
  {
    id: 'google-api-key',
    title: 'Google API key',
    severity: 'high',
    pattern: /\b(AIza[0-9A-Za-z_-]{35})\b/g,
  },
  {
    id: 'stripe-secret-key',
    title: 'Stripe secret key',
    severity: 'critical',
    pattern: /\b((?:sk|rk)_live_[0-9A-Za-z]{24,99})\b/g,
  },
  {
    id: 'generic-secret',
    title: 'High-entropy secret',
    severity: 'medium',
    pattern:
      /(?:secret|token|passw(?:or)?d|api[_-]?key|access[_-]?key|auth)[A-Za-z0-9_-]*["']?\s*[:=]\s*["']?([A-Za-z0-9+/_=.-]{20,200})/gi,
    minEntropy: 4,
  },
];

/** Shannon entropy of `text` in bits per character. */
export function shannonEntropy(text: string): number {
  const counts = new Map<string, number>();
  for (const char of text) {
    counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}
