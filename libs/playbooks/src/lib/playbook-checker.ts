import {
  ipPointers,
  type PlaybookV1,
  type SchemaRegistry,
  type ValidationIssue,
  toValidationIssues,
} from '@vigil/signals';

/** A playbook as tenants write it (the `urn:vigil:document:playbook:1` contract). */
export type PlaybookDefinition = PlaybookV1;

const ENVELOPE_FIELDS = new Set(['/subject', '/source']);
/** Signal types the playbooks product emits itself. */
const OWN_OUTPUT = new Set(['response']);

/**
 * Checks a playbook beyond its schema: the signal type exists, every field it names exists in
 * that type's payload schema, blocks are grouped by application and by their target, and an
 * IP block targets an IP field. Returns every problem with its pointer, or an empty list.
 */
export class PlaybookChecker {
  constructor(private readonly registry: SchemaRegistry) {}

  /**
   * Problems of `document` (schema first; the semantic checks only run on a valid shape). With a
   * `tenant`, another tenant's signal types are unknown.
   */
  check(document: unknown, tenant?: string): ValidationIssue[] {
    const schema = this.registry.get('document', 'playbook', 1);
    if (!schema) {
      throw new Error('the playbook schema (urn:vigil:document:playbook:1) is not registered');
    }
    if (!schema.validate(document)) {
      return toValidationIssues(schema.validate.errors ?? []);
    }
    return this.checkSemantics(document as PlaybookDefinition, tenant);
  }

  private checkSemantics(
    playbook: PlaybookDefinition,
    tenant: string | undefined,
  ): ValidationIssue[] {
    const type = playbook.match.type;
    if (OWN_OUTPUT.has(type)) {
      return [
        problem(
          '/match/type',
          'own-output',
          `playbooks cannot read "${type}" signals: they would feed on their own responses`,
        ),
      ];
    }
    const versions = this.registry.versions('signal', type);
    const latest = versions.at(-1);
    const payload = latest === undefined ? undefined : this.registry.get('signal', type, latest);
    const foreign =
      tenant !== undefined && payload?.owner !== undefined && payload.owner !== tenant;
    if (!payload || foreign) {
      return [
        problem('/match/type', 'unknown-type', `"match.type" names no signal type: "${type}"`),
      ];
    }
    const issues: ValidationIssue[] = [];
    const known = (field: string) => ENVELOPE_FIELDS.has(field) || hasField(payload.schema, field);
    const fields: Array<[string, string]> = [
      ...(playbook.match.where ?? []).map((c, i): [string, string] => [
        `/match/where/${i}/field`,
        c.field,
      ]),
      ...playbook.groupBy.map((field, i): [string, string] => [`/groupBy/${i}`, field]),
    ];
    if (playbook.threshold.distinct) {
      fields.push(['/threshold/distinct', playbook.threshold.distinct]);
    }
    if (playbook.response.target) {
      fields.push(['/response/target', playbook.response.target]);
    }
    for (const [at, field] of fields) {
      if (!known(field)) {
        issues.push(problem(at, 'unknown-field', `"${field}" is not a field of "${type}" signals`));
      }
    }
    issues.push(...checkGrouping(playbook, ipPointers(payload.schema)));
    return issues;
  }
}

function checkGrouping(
  playbook: PlaybookDefinition,
  ipFields: readonly string[],
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const { action, target } = playbook.response;
  const distinct = playbook.threshold.distinct;
  if (distinct && playbook.groupBy.includes(distinct)) {
    issues.push(
      problem(
        '/threshold/distinct',
        'distinct-in-group',
        `"${distinct}" cannot be both counted distinctly and grouped by`,
      ),
    );
  }
  if (!playbook.groupBy.includes('/subject')) {
    // Detection is partitioned by application across instances (ADR 0015): a group spanning
    // applications could be counted in two places.
    issues.push(
      action === 'notify'
        ? problem(
            '/groupBy',
            'needs-application',
            'playbooks count per application: group by "/subject"',
          )
        : problem(
            '/groupBy',
            'block-needs-application',
            'a block goes to one application: group by "/subject"',
          ),
    );
  }
  if (action === 'notify') {
    return issues;
  }
  if (!target) {
    issues.push(
      problem('/response/target', 'required', `"${action}" needs a "target" field to block`),
    );
    return issues;
  }
  if (!playbook.groupBy.includes(target)) {
    issues.push(
      problem(
        '/response/target',
        'target-not-grouped',
        `the target "${target}" must be one of "groupBy"`,
      ),
    );
  }
  if (action === 'block-ip' && !ipFields.includes(target.replace(/^\/data/, ''))) {
    issues.push(
      problem('/response/target', 'target-not-ip', `"${target}" does not hold an IP address`),
    );
  }
  return issues;
}

/** True when the payload schema declares the `/data/...` field. */
function hasField(schema: unknown, field: string): boolean {
  if (!field.startsWith('/data/')) {
    return false;
  }
  let node = schema as Record<string, unknown> | undefined;
  for (const token of field.slice('/data/'.length).split('/')) {
    const properties = node?.['properties'] as Record<string, Record<string, unknown>> | undefined;
    node = properties?.[token];
    if (!node) {
      return false;
    }
  }
  return true;
}

function problem(pointer: string, rule: string, message: string): ValidationIssue {
  return { pointer, rule, message };
}
