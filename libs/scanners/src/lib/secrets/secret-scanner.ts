import { createHash } from 'node:crypto';
import {
  fingerprintOf,
  JobFailure,
  type FindingDraft,
  type JobInput,
  type ToolResult,
} from '@vigil/scans';
import type { ArtifactFile, ArtifactSource } from '../artifact/artifact-source';
import { SECRET_RULES, shannonEntropy, type SecretRule } from './secret-rules';

/** Tool identity on the findings it publishes. */
export const SECRET_TOOL = { name: 'vigil-secrets', version: '1.0.0' };

/** A line holding this marker is never reported (a documented test value, say). */
export const ALLOW_MARKER = 'vigil:allow-secret';

/**
 * The `secrets` scan: every text file of the artifact (binary files and `node_modules` skipped)
 * checked against {@link SECRET_RULES}. Findings never carry the secret: the title names the
 * rule and the file, the description a masked preview, the fingerprint a hash of the value.
 */
export class SecretScanner {
  constructor(
    private readonly artifacts: ArtifactSource,
    private readonly rules: readonly SecretRule[] = SECRET_RULES,
  ) {}

  /** Scans the job's artifact; a missing artifact fails the job with the reason. */
  async scan(tenant: string, input: JobInput): Promise<ToolResult> {
    if (!input.artifact) {
      throw new JobFailure('a secrets scan needs an artifact');
    }
    const findings = new Map<string, FindingDraft>();
    const stats = await this.artifacts.read(
      tenant,
      input.artifact,
      () => true,
      (file) => {
        for (const finding of this.scanFile(file)) {
          findings.set(finding.fingerprint, finding);
        }
      },
    );
    return {
      findings: [...findings.values()],
      observations: stats.truncated ? [{ type: 'artifact-truncated' }] : [],
    };
  }

  /** The secrets of one file. */
  scanFile(file: ArtifactFile): FindingDraft[] {
    if (file.content.includes(0)) {
      return []; // binary
    }
    const findings: FindingDraft[] = [];
    file.content
      .toString('utf8')
      .split('\n')
      .forEach((line, index) => {
        if (line.includes(ALLOW_MARKER)) {
          return;
        }
        // Rules go from specific to generic: a value one rule reported is not reported again.
        const reported = new Set<string>();
        for (const rule of this.rules) {
          for (const secret of matches(rule, line).filter((value) => !reported.has(value))) {
            reported.add(secret);
            findings.push(toFinding(rule, file.path, index + 1, secret));
          }
        }
      });
    return findings;
  }
}

function matches(rule: SecretRule, line: string): string[] {
  const found: string[] = [];
  for (const match of line.matchAll(rule.pattern)) {
    const secret = match[1] ?? match[0];
    if (rule.minEntropy === undefined || shannonEntropy(secret) >= rule.minEntropy) {
      found.push(secret);
    }
  }
  return found;
}

function toFinding(rule: SecretRule, path: string, line: number, secret: string): FindingDraft {
  const valueHash = createHash('sha256').update(secret).digest('hex');
  return {
    fingerprint: fingerprintOf('secrets', rule.id, path, valueHash),
    tool: SECRET_TOOL,
    kind: 'secrets',
    severity: rule.severity,
    title: `${rule.title} committed in ${path}`.slice(0, 256),
    description: `Rule ${rule.id} matched ${mask(secret)} at line ${line}. Revoke the secret, remove it from the repository history, and load it from the environment or a vault instead.`,
    location: { file: path.slice(0, 1024), line },
    identifiers: [{ type: 'cwe', value: 'CWE-798' }],
  };
}

/** A preview that cannot be used: the first and last 2 characters at most. */
function mask(secret: string): string {
  if (secret.length <= 8) {
    return '"****"';
  }
  return `"${secret.slice(0, 2)}${'*'.repeat(8)}${secret.slice(-2)}"`;
}
