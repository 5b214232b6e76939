import picomatch from 'picomatch';
import { RE2JS } from 're2js';
import { readPointer } from '@vigil/signals';
import type { PlaybookV2 } from '@vigil/signals';
import type { ListMatcher } from './lists/list-matcher';

/** One condition of a version 2 playbook's `match.where`. */
export type Condition = NonNullable<PlaybookV2['match']['where']>[number];

/** The operators of a condition; exactly one per condition. */
export const OPERATORS = [
  'equals',
  'in',
  'prefix',
  'suffix',
  'glob',
  'range',
  'inList',
  'pattern',
  'exists',
] as const;

/** A compiled condition over an envelope. */
export type EventPredicate = (event: Readonly<Record<string, unknown>>) => boolean;

/** Finds a list by name for a condition; undefined when the tenant has no such list. */
export type ListResolver = (name: string) => ListMatcher | undefined;

/**
 * Compiles a condition once (globs and patterns included), so matching a signal costs a field
 * read and a comparison. Text operators never match a non-text value, `range` never a
 * non-number; `not` inverts the whole condition, an absent field included. Lists are resolved
 * at match time, so a tenant's list change applies without recompiling its playbooks.
 */
export function compileCondition(condition: Condition, lists: ListResolver): EventPredicate {
  const test = valueTest(condition, lists);
  const { field } = condition;
  if (condition.not === true) {
    return (event) => !test(readPointer(event, field));
  }
  return (event) => test(readPointer(event, field));
}

function valueTest(condition: Condition, lists: ListResolver): (value: unknown) => boolean {
  if (condition.exists !== undefined) {
    const wanted = condition.exists;
    return (value) => (value !== undefined) === wanted;
  }
  if (condition.in !== undefined) {
    const members = new Set<unknown>(condition.in);
    return (value) => members.has(value);
  }
  if (condition.prefix !== undefined) {
    const prefixes = asList(condition.prefix);
    return text((value) => prefixes.some((p) => value.startsWith(p)));
  }
  if (condition.suffix !== undefined) {
    const suffixes = asList(condition.suffix);
    return text((value) => suffixes.some((s) => value.endsWith(s)));
  }
  if (condition.glob !== undefined) {
    return text(picomatch(asList(condition.glob), { dot: true }));
  }
  if (condition.range !== undefined) {
    const { min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY } = condition.range;
    return (value) => typeof value === 'number' && value >= min && value <= max;
  }
  if (condition.inList !== undefined) {
    const name = condition.inList;
    return text((value) => lists(name)?.(value) ?? false);
  }
  if (condition.pattern !== undefined) {
    const pattern = RE2JS.compile(condition.pattern);
    return text((value) => pattern.matcher(value).find());
  }
  const expected = condition.equals;
  return (value) => value === expected;
}

function text(test: (value: string) => boolean): (value: unknown) => boolean {
  return (value) => typeof value === 'string' && test(value);
}

function asList(value: string | readonly string[]): string[] {
  return typeof value === 'string' ? [value] : [...value];
}
