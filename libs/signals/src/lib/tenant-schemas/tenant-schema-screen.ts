import { RE2JS } from 're2js';
import safeRegex from 'safe-regex2';
import { PII_KEYWORD } from '../ajv-factory';
import { appendPointer, issue, MAX_ISSUES, type ValidationIssue } from '../validation-issue';
import { auditSchemaBounds } from './schema-bounds';
import { TENANT_SCHEMA_LIMITS, type TenantSchemaLimits } from './tenant-schema-limits';

/** Keywords a tenant schema may use: JSON Schema's validation vocabulary, without references. */
const ALLOWED_KEYWORDS = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'minItems',
  'maxItems',
  'uniqueItems',
  'enum',
  'const',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minProperties',
  'maxProperties',
  'propertyNames',
  'anyOf',
  'oneOf',
  'allOf',
  'not',
  'title',
  'description',
  '$comment',
  'examples',
  'default',
  'deprecated',
  PII_KEYWORD,
]);

/** Keywords whose value is one sub-schema, and those whose value is a list of them. */
const SCHEMA_KEYWORDS = ['additionalProperties', 'items', 'propertyNames', 'not'];
const SCHEMA_LIST_KEYWORDS = ['anyOf', 'oneOf', 'allOf'];

/** Why a keyword outside the vocabulary is refused, where a reason helps more than "unknown". */
const REFUSED_BECAUSE: Record<string, string> = {
  $ref: 'references are not allowed: a tenant schema is one self-contained document (no remote, file or local $ref)',
  $dynamicRef: 'references are not allowed: a tenant schema is one self-contained document',
  $recursiveRef: 'references are not allowed: a tenant schema is one self-contained document',
  $data: '$data references are not allowed: every bound must be a literal',
  $id: 'must not be set: the platform names the schema urn:vigil:signal:<type>:<version>',
  $schema: 'must not be set: tenant schemas use the platform’s JSON Schema dialect (draft-07)',
  $defs: 'definitions are not allowed (they are only reachable through $ref)',
  definitions: 'definitions are not allowed (they are only reachable through $ref)',
  patternProperties: 'is not supported: name the properties, or use an open map with propertyNames',
  if: 'conditionals are not supported in tenant schemas',
  dependencies: 'is not supported in tenant schemas',
};

/** Walk state: issues so far and schema objects seen. */
interface Screening {
  readonly limits: TenantSchemaLimits;
  readonly issues: ValidationIssue[];
  nodes: number;
}

/**
 * Screens a tenant's payload schema before anything compiles it: its size, depth and number of
 * schema objects, the keywords it uses (no `$ref`, `$data` or unknown keywords), `enum` and branch
 * counts, each `pattern` (must be safe from catastrophic backtracking and valid for the RE2 engine
 * that runs tenant patterns), and the house bounds on every string, array and map. Cheap and
 * linear in the size of the document; stops descending at the depth limit. Pointers are relative
 * to the schema.
 */
export function screenTenantSchema(
  schema: unknown,
  limits: TenantSchemaLimits = TENANT_SCHEMA_LIMITS,
): ValidationIssue[] {
  if (!isObject(schema) || schema['type'] !== 'object') {
    return [
      issue('', 'type', 'must be a schema of "type": "object" (the signal’s data is an object)'),
    ];
  }
  const screening: Screening = { limits, issues: [], nodes: 0 };
  screenNode(schema, '', 1, screening);
  if (screening.issues.length > 0) {
    return screening.issues.slice(0, MAX_ISSUES);
  }
  const bytes = Buffer.byteLength(JSON.stringify(schema) ?? '');
  if (bytes > limits.maxBytes) {
    return [
      issue(
        '',
        'schema-too-large',
        `is ${bytes} bytes; at most ${limits.maxBytes}`,
        limits.maxBytes,
      ),
    ];
  }
  return auditSchemaBounds(schema)
    .slice(0, MAX_ISSUES)
    .map((finding) => issue(finding.pointer, 'unbounded', finding.problem));
}

function screenNode(node: unknown, at: string, depth: number, s: Screening): void {
  if (s.issues.length >= MAX_ISSUES || typeof node === 'boolean') {
    return;
  }
  if (!isObject(node)) {
    s.issues.push(issue(at, 'schema', 'must be a schema object or a boolean'));
    return;
  }
  s.nodes += 1;
  if (s.nodes > s.limits.maxNodes) {
    s.issues.push(
      issue(
        at,
        'too-many-nodes',
        `the schema has more than ${s.limits.maxNodes} schema objects`,
        s.limits.maxNodes,
      ),
    );
    return;
  }
  if (depth > s.limits.maxDepth) {
    s.issues.push(
      issue(at, 'too-deep', `nests more than ${s.limits.maxDepth} levels`, s.limits.maxDepth),
    );
    return;
  }
  for (const keyword of Object.keys(node)) {
    checkKeyword(node, keyword, at, s);
  }
  const properties = node['properties'];
  if (isObject(properties)) {
    for (const [name, sub] of Object.entries(properties)) {
      screenNode(sub, appendPointer(at, name), depth + 1, s);
    }
  }
  for (const keyword of SCHEMA_KEYWORDS) {
    if (node[keyword] !== undefined) {
      screenNode(node[keyword], `${at}/*`, depth + 1, s);
    }
  }
  for (const keyword of SCHEMA_LIST_KEYWORDS) {
    const branches = node[keyword];
    if (Array.isArray(branches)) {
      branches.forEach((branch) => screenNode(branch, at, depth + 1, s));
    }
  }
}

function checkKeyword(
  node: Record<string, unknown>,
  keyword: string,
  at: string,
  s: Screening,
): void {
  const value = node[keyword];
  const where = appendPointer(at, keyword);
  if (!ALLOWED_KEYWORDS.has(keyword)) {
    const reason =
      REFUSED_BECAUSE[keyword] ??
      'is not a keyword tenant schemas may use (unknown keywords are refused, not ignored)';
    s.issues.push(issue(where, 'keyword', reason));
    return;
  }
  if (isObject(value) && '$data' in value) {
    s.issues.push(issue(where, 'keyword', REFUSED_BECAUSE['$data'] as string));
    return;
  }
  const problem = keywordProblem(keyword, value, s.limits);
  if (problem) {
    s.issues.push(issue(where, problem.rule, problem.message, problem.limit));
  }
}

/** A refusal of one keyword's value. */
interface KeywordProblem {
  readonly rule: string;
  readonly message: string;
  readonly limit?: number;
}

/** A problem when `amount` passes `limit`. */
function over(
  amount: number,
  limit: number,
  rule: string,
  say: (limit: number) => string,
): KeywordProblem | undefined {
  return amount > limit ? { rule, message: say(limit), limit } : undefined;
}

const sizeOf = (value: unknown) =>
  Array.isArray(value) ? value.length : isObject(value) ? Object.keys(value).length : 0;
const numberOf = (value: unknown) => (typeof value === 'number' ? value : 0);

function keywordProblem(
  keyword: string,
  value: unknown,
  limits: TenantSchemaLimits,
): KeywordProblem | undefined {
  switch (keyword) {
    case 'properties':
      return over(
        sizeOf(value),
        limits.maxProperties,
        'too-many-properties',
        (n) => `declares more than ${n} properties`,
      );
    case 'enum':
      return over(
        sizeOf(value),
        limits.maxEnumValues,
        'enum-too-large',
        (n) => `lists more than ${n} values`,
      );
    case 'anyOf':
    case 'oneOf':
    case 'allOf':
      return over(
        sizeOf(value),
        limits.maxBranches,
        'too-many-branches',
        (n) => `has more than ${n} branches`,
      );
    case 'maxLength':
      return over(
        numberOf(value),
        limits.maxStringLength,
        'bound-too-large',
        (n) => `must be at most ${n}`,
      );
    case 'maxItems':
      return over(
        numberOf(value),
        limits.maxItems,
        'bound-too-large',
        (n) => `must be at most ${n}`,
      );
    case 'pattern':
      return patternProblem(value, limits);
    default:
      return undefined;
  }
}

/**
 * A pattern must be short, free of nested quantifiers (which backtracking engines take
 * exponential time over), and valid for RE2, the linear-time engine tenant patterns run on.
 */
function patternProblem(value: unknown, limits: TenantSchemaLimits): KeywordProblem | undefined {
  if (typeof value !== 'string') {
    return { rule: 'pattern', message: 'must be a string' };
  }
  if (value.length > limits.maxPatternLength) {
    return {
      rule: 'pattern',
      message: `is longer than ${limits.maxPatternLength} characters`,
      limit: limits.maxPatternLength,
    };
  }
  if (!safeRegex(value)) {
    return {
      rule: 'unsafe-pattern',
      message:
        'may take exponential time to match (nested or overlapping quantifiers such as (a+)+); rewrite it without them',
    };
  }
  try {
    RE2JS.compile(value);
  } catch (error) {
    return {
      rule: 'pattern',
      message: `is not a pattern the RE2 engine accepts (no backreferences or lookarounds): ${(error as Error).message}`,
    };
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
