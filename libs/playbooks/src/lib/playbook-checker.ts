import { RE2JS } from 're2js';
import safeRegex from 'safe-regex2';
import {
  ipPointers,
  type PlaybookV2,
  type SchemaRegistry,
  type ValidationIssue,
  toValidationIssues,
} from '@vigil/signals';
import { toLanguageV2, type PlaybookDefinition } from './compiled-playbook';
import { OPERATORS, type Condition } from './conditions';
import { SHIPPED_LISTS } from './lists/shipped-lists';

const ENVELOPE_FIELDS = new Set(['/subject', '/source', '/type']);
/** Signal types the playbooks product emits itself. */
const OWN_OUTPUT = new Set(['response']);

/**
 * Checks a playbook (language version 1, or 2 when it says `"language": 2`) beyond its schema:
 * the signal type exists, every field it names exists in that type's payload schema, each
 * condition has one operator, names a known list and a safe pattern, thresholds are named once
 * and overrides name them, blocks are grouped by application and by their target, and an IP
 * block targets an IP field. Returns every problem with its pointer, or an empty list.
 */
export class PlaybookChecker {
  constructor(private readonly registry: SchemaRegistry) {}

  /**
   * Problems of `document` (schema first; the semantic checks only run on a valid shape). With a
   * `tenant`, another tenant's signal types are unknown; `lists` names the tenant's own lists.
   */
  check(document: unknown, tenant?: string, lists: readonly string[] = []): ValidationIssue[] {
    const version = isObject(document) && 'language' in document ? 2 : 1;
    const schema = this.registry.get('document', 'playbook', version);
    if (!schema) {
      throw new Error(
        `the playbook schema (urn:vigil:document:playbook:${version}) is not registered`,
      );
    }
    if (!schema.validate(document)) {
      return toValidationIssues(schema.validate.errors ?? []);
    }
    const definition = document as PlaybookDefinition;
    const at = version === 1 ? V1_POINTERS : V2_POINTERS;
    const known = new Set([...SHIPPED_LISTS.map((l) => l.name), ...lists]);
    return [
      ...checkConditions(toLanguageV2(definition), known),
      ...checkThresholds(toLanguageV2(definition), at),
      ...this.checkSemantics(toLanguageV2(definition), tenant, at),
    ];
  }

  private checkSemantics(
    playbook: PlaybookV2,
    tenant: string | undefined,
    at: Pointers,
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
    playbook.thresholds.forEach((threshold, i) => {
      if (threshold.distinct) {
        fields.push([at.distinct(i), threshold.distinct]);
      }
    });
    if (playbook.response.target) {
      fields.push(['/response/target', playbook.response.target]);
    }
    for (const [at, field] of fields) {
      if (!known(field)) {
        issues.push(problem(at, 'unknown-field', `"${field}" is not a field of "${type}" signals`));
      }
    }
    issues.push(...checkGrouping(playbook, ipPointers(payload.schema), at));
    return issues;
  }
}

/** Where a version 1 or 2 document holds what the checks report on. */
interface Pointers {
  distinct(threshold: number): string;
  override(app: string, threshold: string): string;
}

const V1_POINTERS: Pointers = {
  distinct: () => '/threshold/distinct',
  override: (app) => `/overrides/${escape(app)}`,
};

const V2_POINTERS: Pointers = {
  distinct: (i) => `/thresholds/${i}/distinct`,
  override: (app, threshold) => `/overrides/${escape(app)}/${escape(threshold)}`,
};

/** One operator per condition, known lists, safe and valid patterns, ordered ranges. */
function checkConditions(playbook: PlaybookV2, lists: ReadonlySet<string>): ValidationIssue[] {
  return (playbook.match.where ?? []).flatMap((condition, i) => {
    const at = `/match/where/${i}`;
    const operators = OPERATORS.filter((operator) => condition[operator] !== undefined);
    if (operators.length !== 1) {
      return [
        problem(
          at,
          'one-operator',
          `a condition has exactly one operator (${OPERATORS.join(', ')}); this one has ${operators.length === 0 ? 'none' : operators.join(' and ')}`,
        ),
      ];
    }
    return checkOperator(condition, at, lists);
  });
}

function checkOperator(
  condition: Condition,
  at: string,
  lists: ReadonlySet<string>,
): ValidationIssue[] {
  const { range, inList, pattern } = condition;
  if (range?.min !== undefined && range.max !== undefined && range.min > range.max) {
    return [
      problem(`${at}/range`, 'range-order', `"min" (${range.min}) is above "max" (${range.max})`),
    ];
  }
  if (inList !== undefined && !lists.has(inList)) {
    return [
      problem(
        `${at}/inList`,
        'unknown-list',
        `no list "${inList}": use a shipped list (${SHIPPED_LISTS.map((l) => l.name).join(', ')}) or save the tenant's own first`,
      ),
    ];
  }
  if (pattern !== undefined) {
    return checkPattern(pattern, `${at}/pattern`);
  }
  return [];
}

function checkPattern(pattern: string, at: string): ValidationIssue[] {
  try {
    RE2JS.compile(pattern);
  } catch (error) {
    return [problem(at, 'invalid-pattern', `not a valid RE2 pattern: ${(error as Error).message}`)];
  }
  if (!safeRegex(pattern)) {
    return [
      problem(
        at,
        'unsafe-pattern',
        'the pattern could backtrack catastrophically (nested or overlapping repetition): use prefix, suffix, glob or a list',
      ),
    ];
  }
  return [];
}

/** Threshold names are unique; overrides name thresholds the playbook has. */
function checkThresholds(playbook: PlaybookV2, at: Pointers): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const names = playbook.thresholds.map((t) => t.name);
  names.forEach((name, i) => {
    if (names.indexOf(name) !== i) {
      issues.push(
        problem(
          `/thresholds/${i}/name`,
          'duplicate-threshold',
          `two thresholds are named "${name}"`,
        ),
      );
    }
  });
  for (const [app, tuning] of Object.entries(playbook.overrides ?? {})) {
    for (const name of Object.keys(tuning ?? {})) {
      if (!names.includes(name)) {
        issues.push(
          problem(
            at.override(app, name),
            'unknown-threshold',
            `no threshold "${name}" to override: ${names.join(', ')}`,
          ),
        );
      }
    }
  }
  return issues;
}

function checkGrouping(
  playbook: PlaybookV2,
  ipFields: readonly string[],
  at: Pointers,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const { action, target } = playbook.response;
  playbook.thresholds.forEach(({ distinct }, i) => {
    if (distinct && playbook.groupBy.includes(distinct)) {
      issues.push(
        problem(
          at.distinct(i),
          'distinct-in-group',
          `"${distinct}" cannot be both counted distinctly and grouped by`,
        ),
      );
    }
  });
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

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON pointer token (RFC 6901). */
function escape(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}

function problem(pointer: string, rule: string, message: string): ValidationIssue {
  return { pointer, rule, message };
}
