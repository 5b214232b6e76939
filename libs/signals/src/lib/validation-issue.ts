import type { ErrorObject } from 'ajv';

/** One reason a document was refused, precise enough for a producer to fix it. */
export interface ValidationIssue {
  /** JSON pointer (RFC 6901) of the offending field in the submitted document; `""` is the document. */
  readonly pointer: string;
  /** The rule broken: a JSON Schema keyword (`required`, `maxLength`…) or a Vigil rule (`unknown-type`…). */
  readonly rule: string;
  /** A sentence a person can act on. */
  readonly message: string;
  /** The bound or allowed values, where the rule has one (e.g. `128` for `maxLength`). */
  readonly limit?: number | string | readonly unknown[];
}

/** At most this many issues are reported for one document; the first ones are the useful ones. */
export const MAX_ISSUES = 20;

/** Builds an issue whose message starts with the field it is about. */
export function issue(
  pointer: string,
  rule: string,
  problem: string,
  limit?: ValidationIssue['limit'],
): ValidationIssue {
  const message = `${describePointer(pointer)} ${problem}`;
  return limit === undefined ? { pointer, rule, message } : { pointer, rule, message, limit };
}

/** `"/data/actor/ip"` → `"data.actor.ip"`; the document itself is "the document". */
export function describePointer(pointer: string): string {
  if (pointer === '') {
    return 'the document';
  }
  const tokens = pointer.slice(1).split('/').map(unescapeToken);
  return `"${tokens.join('.')}"`;
}

/** Appends one reference token to a JSON pointer, escaping `~` and `/` (RFC 6901 section 3). */
export function appendPointer(pointer: string, token: string | number): string {
  return `${pointer}/${String(token).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

function unescapeToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/**
 * Turns ajv's errors into issues. `prefix` is the pointer of the validated value inside the
 * submitted document (e.g. `/data` for a payload), so pointers always refer to what was sent.
 */
export function toValidationIssues(errors: readonly ErrorObject[], prefix = ''): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const error of withoutBranchNoise(errors)) {
    const converted = convertError(error, prefix);
    if (converted) {
      issues.push(converted);
    }
  }
  return issues.slice(0, MAX_ISSUES);
}

/**
 * Some failures come with sub-errors that only repeat them: each failed branch of an `anyOf`,
 * the `if` of an `if`/`then`, the inner rule of a `propertyNames`. Only the summary helps.
 */
function withoutBranchNoise(errors: readonly ErrorObject[]): ErrorObject[] {
  const summaries = errors
    .filter((e) => e.keyword === 'anyOf' || e.keyword === 'propertyNames')
    .map((e) => `${e.schemaPath}/`);
  return errors.filter(
    (e) => e.keyword !== 'if' && !summaries.some((path) => e.schemaPath.startsWith(path)),
  );
}

function convertError(error: ErrorObject, prefix: string): ValidationIssue | undefined {
  const at = prefix + error.instancePath;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return issue(
        appendPointer(at, String(params.missingProperty)),
        'required',
        'is required but missing',
      );
    case 'additionalProperties':
      return issue(
        appendPointer(at, String(params.additionalProperty)),
        'additionalProperties',
        'is not a known field here; remove it or check its spelling',
      );
    case 'propertyNames':
      return issue(
        appendPointer(at, String(params.propertyName)),
        'propertyNames',
        'is not an allowed field name here',
        patternOf(error),
      );
    case 'false schema':
      return issue(at, 'reserved', 'is reserved for the platform and must not be sent');
    case 'type':
      return issue(at, 'type', `must be ${article(String(params.type))}`, String(params.type));
    case 'enum':
      return issue(
        at,
        'enum',
        `must be one of: ${listValues(params.allowedValues)}`,
        params.allowedValues as unknown[],
      );
    case 'const':
      return issue(
        at,
        'const',
        `must be ${JSON.stringify(params.allowedValue)}`,
        String(params.allowedValue),
      );
    case 'format':
      return issue(
        at,
        'format',
        `must be ${formatName(String(params.format))}`,
        String(params.format),
      );
    case 'anyOf':
      return issue(at, 'anyOf', anyOfProblem(error), anyOfFormats(error));
    case 'pattern':
      return issue(
        at,
        'pattern',
        `does not match the expected form ${String(params.pattern)}`,
        String(params.pattern),
      );
    default:
      return boundIssue(error, at) ?? issue(at, error.keyword, error.message ?? 'is invalid');
  }
}

const BOUNDS: Record<string, (limit: number) => string> = {
  maxLength: (n) => `must be at most ${n} characters long`,
  minLength: (n) => `must be at least ${n} characters long`,
  maxItems: (n) => `must have at most ${n} items`,
  minItems: (n) => `must have at least ${n} item${n === 1 ? '' : 's'}`,
  maxProperties: (n) => `must have at most ${n} field${n === 1 ? '' : 's'}`,
  minProperties: (n) => `must have at least ${n} field${n === 1 ? '' : 's'}`,
  maximum: (n) => `must be at most ${n}`,
  minimum: (n) => `must be at least ${n}`,
  exclusiveMaximum: (n) => `must be less than ${n}`,
  exclusiveMinimum: (n) => `must be greater than ${n}`,
};

function boundIssue(error: ErrorObject, at: string): ValidationIssue | undefined {
  const sentence = BOUNDS[error.keyword];
  const limit = (error.params as { limit?: unknown }).limit;
  if (!sentence || typeof limit !== 'number') {
    return undefined;
  }
  return issue(at, error.keyword, sentence(limit), limit);
}

function patternOf(error: ErrorObject): string | undefined {
  const schema = error.parentSchema as { propertyNames?: { pattern?: string } } | undefined;
  return schema?.propertyNames?.pattern;
}

function anyOfFormats(error: ErrorObject): string[] | undefined {
  const branches = error.schema as Array<{ format?: string }> | undefined;
  const formats = (branches ?? []).map((branch) => branch.format);
  return formats.every((f): f is string => typeof f === 'string') && formats.length > 0
    ? formats
    : undefined;
}

function anyOfProblem(error: ErrorObject): string {
  const formats = anyOfFormats(error);
  return formats
    ? `must be ${formats.map(formatName).join(' or ')}`
    : 'does not match any allowed form';
}

const FORMAT_NAMES: Record<string, string> = {
  'date-time': 'an RFC 3339 date-time with a time zone, e.g. 2026-11-21T14:03:07Z',
  ipv4: 'an IPv4 address',
  ipv6: 'an IPv6 address',
  email: 'an e-mail address',
  uri: 'an absolute URI',
  'uri-reference': 'a URI reference',
};

function formatName(format: string): string {
  return FORMAT_NAMES[format] ?? `a valid ${format}`;
}

function article(type: string): string {
  const names = type.split(',');
  return names
    .map((t) => (t === 'object' || t === 'array' || t === 'integer' ? `an ${t}` : `a ${t}`))
    .join(' or ');
}

function listValues(values: unknown): string {
  const list = Array.isArray(values) ? values : [];
  const shown = list.slice(0, 25).map((v) => JSON.stringify(v));
  return list.length > shown.length ? `${shown.join(', ')}, …` : shown.join(', ');
}
