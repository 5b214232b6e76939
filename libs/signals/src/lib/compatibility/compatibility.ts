import { appendPointer, describePointer } from '../validation-issue';
import type { BreakingChange, CompatibilityReport, JsonSchema } from './compatibility.types';
import { compareValueKeywords } from './keyword-rules';

type Schema = Readonly<Record<string, unknown>>;

/** The two roots, so local `$ref`s (`#/definitions/…`, `#/$defs/…`) resolve in their own schema. */
interface Roots {
  readonly older: Schema;
  readonly newer: Schema;
  /** Pairs already compared or being compared: a recursive `$ref` meets them again; each pair is reported once. */
  readonly visiting: Map<object, Set<object>>;
}

/**
 * Backward-compatibility check between two versions of one schema: is every document valid
 * under `older` still valid under `newer`? Lists what breaks — removed fields, new required
 * fields, narrowed types, enums and bounds, new constraints. Conservative: a change it cannot
 * prove safe (e.g. an edited `anyOf`) is reported as `unprovable`.
 *
 * @example
 * const report = checkCompatibility(attackV1, attackV2);
 * if (!report.compatible) console.log(report.breaking.map((c) => c.message).join('\n'));
 */
export function checkCompatibility(older: JsonSchema, newer: JsonSchema): CompatibilityReport {
  const roots: Roots = { older: asObject(older), newer: asObject(newer), visiting: new Map() };
  const breaking = compare(roots, older, newer, '');
  return { compatible: breaking.length === 0, breaking };
}

/** A last guard against pathological nesting; recursive `$ref`s are caught by `visiting`. */
const MAX_DEPTH = 64;

function compare(
  roots: Roots,
  olderIn: JsonSchema,
  newerIn: JsonSchema,
  pointer: string,
): BreakingChange[] {
  if (pointer.split('/').length > MAX_DEPTH) {
    return [
      {
        pointer,
        kind: 'unprovable',
        message: `${describePointer(pointer)} is nested too deeply to compare`,
      },
    ];
  }
  const older = resolve(olderIn, roots.older);
  const newer = resolve(newerIn, roots.newer);
  if (older === false || newer === true) {
    return [];
  }
  if (newer === false) {
    return [
      {
        pointer,
        kind: 'removed-field',
        message: `${describePointer(pointer)} is no longer allowed`,
      },
    ];
  }
  if (typeof older === 'object' && alreadyVisiting(roots, older, newer)) {
    return [];
  }
  const olderObject = older === true ? {} : older;
  return [
    ...compareValueKeywords(olderObject, newer, pointer),
    ...compareObjects(roots, olderObject, newer, pointer),
    ...compareArrays(roots, olderObject, newer, pointer),
  ];
}

function compareObjects(
  roots: Roots,
  older: Schema,
  newer: Schema,
  pointer: string,
): BreakingChange[] {
  const changes: BreakingChange[] = [];
  const oldProps = propertiesOf(older);
  const newProps = propertiesOf(newer);
  const names = new Set([...Object.keys(oldProps), ...Object.keys(newProps)]);
  for (const name of names) {
    // A field's schema in each version: its own, or whatever the catch-all rules allowed.
    const before = oldProps[name] ?? schemaForUnlisted(older, name);
    const after = newProps[name] ?? schemaForUnlisted(newer, name);
    changes.push(...compare(roots, before, after, appendPointer(pointer, name)));
  }
  const oldRequired = requiredOf(older);
  for (const name of requiredOf(newer).filter((n) => !oldRequired.includes(n))) {
    const at = appendPointer(pointer, name);
    changes.push({
      pointer: at,
      kind: 'new-required-field',
      message: `${describePointer(at)} is now required`,
    });
  }
  changes.push(...compareCatchAll(roots, older, newer, pointer));
  return changes;
}

/** `additionalProperties` and `propertyNames` govern fields no version lists by name. */
function compareCatchAll(
  roots: Roots,
  older: Schema,
  newer: Schema,
  pointer: string,
): BreakingChange[] {
  const at = appendPointer(pointer, '*');
  const changes: BreakingChange[] = [];
  const before = (older['additionalProperties'] as JsonSchema | undefined) ?? true;
  const after = (newer['additionalProperties'] as JsonSchema | undefined) ?? true;
  if (after === false && before !== false) {
    changes.push({
      pointer,
      kind: 'closed-object',
      message: `${describePointer(pointer)} no longer accepts fields it does not list`,
    });
  } else {
    changes.push(...compare(roots, before, after, at));
  }
  if ('propertyNames' in newer) {
    const oldNames = (older['propertyNames'] as JsonSchema | undefined) ?? true;
    changes.push(
      ...compare(
        roots,
        oldNames,
        newer['propertyNames'] as JsonSchema,
        appendPointer(pointer, '(name)'),
      ),
    );
  }
  return changes;
}

function compareArrays(
  roots: Roots,
  older: Schema,
  newer: Schema,
  pointer: string,
): BreakingChange[] {
  if (!('items' in newer)) {
    return [];
  }
  const before = (older['items'] as JsonSchema | undefined) ?? true;
  const after = newer['items'] as JsonSchema;
  if (Array.isArray(before) || Array.isArray(after)) {
    return [
      {
        pointer,
        kind: 'unprovable',
        message: `${describePointer(pointer)} uses tuple "items"; compatibility cannot be proved automatically`,
      },
    ];
  }
  return compare(roots, before, after, appendPointer(pointer, '*'));
}

function alreadyVisiting(roots: Roots, older: object, newer: object): boolean {
  const partners = roots.visiting.get(older) ?? new Set<object>();
  if (partners.has(newer)) {
    return true;
  }
  roots.visiting.set(older, partners.add(newer));
  return false;
}

function schemaForUnlisted(schema: Schema, name: string): JsonSchema {
  const patterns = (schema['patternProperties'] ?? {}) as Record<string, JsonSchema>;
  for (const [pattern, sub] of Object.entries(patterns)) {
    if (new RegExp(pattern, 'u').test(name)) {
      return sub;
    }
  }
  return (schema['additionalProperties'] as JsonSchema | undefined) ?? true;
}

function propertiesOf(schema: Schema): Record<string, JsonSchema> {
  return (schema['properties'] ?? {}) as Record<string, JsonSchema>;
}

function requiredOf(schema: Schema): string[] {
  return Array.isArray(schema['required']) ? (schema['required'] as string[]) : [];
}

function asObject(schema: JsonSchema): Schema {
  return typeof schema === 'boolean' ? {} : schema;
}

/** Follows local `$ref`s (`#/…` JSON pointers) within the schema's own root. */
function resolve(schema: JsonSchema, root: Schema, depth = 0): JsonSchema {
  if (typeof schema === 'boolean' || typeof schema['$ref'] !== 'string' || depth > 32) {
    return schema;
  }
  const ref = schema['$ref'];
  if (!ref.startsWith('#')) {
    return schema;
  }
  let target: unknown = root;
  for (const token of ref
    .slice(2)
    .split('/')
    .filter((t) => t.length > 0)) {
    const key = token.replace(/~1/g, '/').replace(/~0/g, '~');
    target = (target as Record<string, unknown> | undefined)?.[key];
  }
  return target === undefined ? schema : resolve(target as JsonSchema, root, depth + 1);
}
