import { describePointer } from '../validation-issue';
import type { BreakingChange, BreakingChangeKind } from './compatibility.types';
import { jsonEqual } from './json-equal';

type Schema = Readonly<Record<string, unknown>>;

/** Keywords whose new value must not be smaller than the old one (or appear from nowhere). */
const UPPER_BOUNDS = ['maxLength', 'maxItems', 'maxProperties', 'maximum', 'exclusiveMaximum'];
/** Keywords whose new value must not be larger than the old one (or appear from nowhere). */
const LOWER_BOUNDS = ['minLength', 'minItems', 'minProperties', 'minimum', 'exclusiveMinimum'];
/** Keywords that cannot be compared by value: any change may refuse an old document. */
const OPAQUE_CONSTRAINTS = ['pattern', 'format', 'multipleOf'];
/** Composition keywords: a change cannot be proved safe without a full subschema analysis. */
const COMPOSITION = ['anyOf', 'oneOf', 'allOf', 'not', 'if', 'then', 'else', 'dependencies'];

/** Checks the keywords that constrain a value itself (not its fields or items). */
export function compareValueKeywords(
  older: Schema,
  newer: Schema,
  pointer: string,
): BreakingChange[] {
  return [
    ...compareTypes(older, newer, pointer),
    ...compareEnums(older, newer, pointer),
    ...compareBounds(older, newer, pointer),
    ...compareOpaque(older, newer, pointer),
  ];
}

function change(pointer: string, kind: BreakingChangeKind, problem: string): BreakingChange {
  return { pointer, kind, message: `${describePointer(pointer)} ${problem}` };
}

function typesOf(schema: Schema): string[] | undefined {
  const type = schema['type'];
  if (type === undefined) {
    return undefined;
  }
  return Array.isArray(type) ? (type as string[]) : [type as string];
}

function compareTypes(older: Schema, newer: Schema, pointer: string): BreakingChange[] {
  const newTypes = typesOf(newer);
  if (!newTypes) {
    return [];
  }
  const oldTypes = typesOf(older) ?? ['any'];
  const lost = oldTypes.filter(
    (t) => !newTypes.includes(t) && !(t === 'integer' && newTypes.includes('number')),
  );
  if (lost.length === 0) {
    return [];
  }
  return [
    change(
      pointer,
      'narrowed-type',
      `no longer accepts ${lost.join(', ')} (now ${newTypes.join(', ')})`,
    ),
  ];
}

/** The values a schema restricts to, from `enum` or `const`; undefined when unrestricted. */
function allowedValues(schema: Schema): unknown[] | undefined {
  if ('const' in schema) {
    return [schema['const']];
  }
  return Array.isArray(schema['enum']) ? (schema['enum'] as unknown[]) : undefined;
}

function compareEnums(older: Schema, newer: Schema, pointer: string): BreakingChange[] {
  const newValues = allowedValues(newer);
  if (!newValues) {
    return [];
  }
  const oldValues = allowedValues(older);
  if (!oldValues) {
    return [
      change(
        pointer,
        'narrowed-enum',
        `is now restricted to ${newValues.map((v) => JSON.stringify(v)).join(', ')}`,
      ),
    ];
  }
  const removed = oldValues.filter((v) => !newValues.some((n) => jsonEqual(n, v)));
  if (removed.length === 0) {
    return [];
  }
  return [
    change(
      pointer,
      'narrowed-enum',
      `no longer accepts ${removed.map((v) => JSON.stringify(v)).join(', ')}`,
    ),
  ];
}

function compareBounds(older: Schema, newer: Schema, pointer: string): BreakingChange[] {
  const changes: BreakingChange[] = [];
  for (const keyword of [...UPPER_BOUNDS, ...LOWER_BOUNDS]) {
    const after = newer[keyword];
    if (typeof after !== 'number') {
      continue;
    }
    const before = older[keyword];
    const upper = UPPER_BOUNDS.includes(keyword);
    const narrowed = typeof before !== 'number' || (upper ? after < before : after > before);
    if (narrowed) {
      const was = typeof before === 'number' ? `was ${before}` : 'was unbounded';
      changes.push(
        change(pointer, 'narrowed-bound', `has a narrower ${keyword}: ${after} (${was})`),
      );
    }
  }
  return changes;
}

function compareOpaque(older: Schema, newer: Schema, pointer: string): BreakingChange[] {
  const changes: BreakingChange[] = [];
  for (const keyword of OPAQUE_CONSTRAINTS) {
    if (keyword in newer && !jsonEqual(older[keyword], newer[keyword])) {
      changes.push(
        change(
          pointer,
          'new-constraint',
          `has a new or changed ${keyword}: ${JSON.stringify(newer[keyword])}`,
        ),
      );
    }
  }
  if (newer['uniqueItems'] === true && older['uniqueItems'] !== true) {
    changes.push(change(pointer, 'new-constraint', 'now requires unique items'));
  }
  for (const keyword of COMPOSITION) {
    if (keyword in newer && !jsonEqual(older[keyword], newer[keyword])) {
      changes.push(
        change(
          pointer,
          'unprovable',
          `changed "${keyword}"; compatibility cannot be proved automatically`,
        ),
      );
    }
  }
  return changes;
}
