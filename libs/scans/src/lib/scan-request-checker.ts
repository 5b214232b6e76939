import {
  toValidationIssues,
  validationIssue,
  type ScanRequestedV1,
  type SchemaRegistry,
  type ValidationIssue,
} from '@vigil/signals';

/** A scan request as CI sends it (the `scan.requested` signal payload). */
export type ScanRequest = ScanRequestedV1;

/** What a kind's jobs work on: files of an artifact, or network targets. */
type KindInput = 'artifact' | 'network';

const BUILT_IN_INPUTS: Readonly<Record<string, KindInput>> = {
  dependencies: 'artifact',
  secrets: 'artifact',
  ports: 'network',
  'http-headers': 'network',
};

const FILE_ARTIFACTS = new Set(['directory', 'archive']);

/**
 * Checks a scan request: its schema (`urn:vigil:signal:scan.requested:1`), then that every kind
 * is one this platform runs and that each kind has what it works on. Returns every problem with
 * its pointer, or an empty list.
 */
export class ScanRequestChecker {
  constructor(
    private readonly registry: SchemaRegistry,
    private readonly kinds: readonly string[],
  ) {}

  /** Problems of `body` (the schema first; the kind checks run on a valid shape only). */
  check(body: unknown): ValidationIssue[] {
    const schema = this.registry.get('signal', 'scan.requested', 1);
    if (!schema) {
      throw new Error('the scan.requested schema (urn:vigil:signal:scan.requested:1) is missing');
    }
    if (!schema.validate(body)) {
      return toValidationIssues(schema.validate.errors ?? []);
    }
    return this.checkKinds(body as ScanRequest);
  }

  private checkKinds(request: ScanRequest): ValidationIssue[] {
    const issues: ValidationIssue[] = [];
    request.kinds.forEach((kind, index) => {
      const problem = this.problemOf(request, kind);
      if (problem) {
        issues.push(validationIssue(`/kinds/${index}`, problem.rule, problem.message));
      }
    });
    return issues;
  }

  private problemOf(
    request: ScanRequest,
    kind: string,
  ): { rule: string; message: string } | undefined {
    if (!this.kinds.includes(kind)) {
      return {
        rule: 'unknown-kind',
        message: `is "${kind}", not a scan kind this platform runs (${this.kinds.join(', ')})`,
      };
    }
    const needs = BUILT_IN_INPUTS[kind];
    if (needs === 'artifact' && !FILE_ARTIFACTS.has(request.artifact.kind)) {
      return {
        rule: 'artifact-kind',
        message: `is "${kind}", which scans files: the artifact must be a directory or an archive, not "${request.artifact.kind}"`,
      };
    }
    if (needs === 'network' && networkTargets(request).hosts.length === 0) {
      return {
        rule: 'targets',
        message: `is "${kind}", which probes hosts: give "targets.hosts" (or an artifact of kind "host")`,
      };
    }
    if (needs === 'network' && networkTargets(request).ports.length === 0) {
      return { rule: 'targets', message: `is "${kind}", which probes ports: give "targets.ports"` };
    }
    return undefined;
  }
}

/** The hosts and ports a request names: `targets`, or the artifact when it is a host. */
export function networkTargets(request: ScanRequest): { hosts: string[]; ports: number[] } {
  const hosts = request.targets?.hosts ?? [];
  const fromArtifact = request.artifact.kind === 'host' ? [request.artifact.ref] : [];
  return {
    hosts: hosts.length > 0 ? [...hosts] : fromArtifact,
    ports: [...(request.targets?.ports ?? [])],
  };
}
