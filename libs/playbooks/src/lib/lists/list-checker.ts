import picomatch from 'picomatch';
import {
  type PlaybookListV1,
  type SchemaRegistry,
  type ValidationIssue,
  toValidationIssues,
} from '@vigil/signals';
import { isRange } from './list-matcher';
import { SHIPPED_LISTS, type NamedList } from './shipped-lists';

/** List names: what `inList` and `PUT /v1/lists/:name` accept. */
export const LIST_NAME_PATTERN = /^[a-z][a-z0-9-]{0,63}$/;

/**
 * Checks a tenant's list (`urn:vigil:document:playbook-list:1`) under a name: the schema, then
 * each entry against the list's kind (an address or range for `cidr`, a pattern picomatch
 * compiles for `glob`), and a shipped name keeps its kind. Returns the list, or every problem.
 */
export function checkList(
  registry: SchemaRegistry,
  name: string,
  document: unknown,
): { list: NamedList } | { issues: ValidationIssue[] } {
  const schema = registry.get('document', 'playbook-list', 1);
  if (!schema) {
    throw new Error(
      'the playbook-list schema (urn:vigil:document:playbook-list:1) is not registered',
    );
  }
  if (!LIST_NAME_PATTERN.test(name)) {
    return {
      issues: [issue('', 'list-name', `"${name}" is not a list name (a-z, 0-9, -; 64 at most)`)],
    };
  }
  if (!schema.validate(document)) {
    return { issues: toValidationIssues(schema.validate.errors ?? []) };
  }
  const body = document as PlaybookListV1;
  const shipped = SHIPPED_LISTS.find((list) => list.name === name);
  const kind = body.kind ?? shipped?.kind ?? 'exact';
  if (shipped && kind !== shipped.kind) {
    return {
      issues: [
        issue(
          '/kind',
          'shipped-kind',
          `"${name}" extends a shipped list of kind "${shipped.kind}"`,
        ),
      ],
    };
  }
  const issues = body.entries.flatMap((entry, i) => entryIssues(kind, entry, `/entries/${i}`));
  if (issues.length > 0) {
    return { issues };
  }
  return { list: { name, kind, description: body.description ?? '', entries: body.entries } };
}

function entryIssues(kind: NamedList['kind'], entry: string, at: string): ValidationIssue[] {
  if (kind === 'cidr' && !isRange(entry)) {
    return [issue(at, 'not-a-range', `"${entry}" is not an IP address or CIDR range`)];
  }
  if (kind === 'glob') {
    try {
      picomatch.makeRe(entry);
    } catch (error) {
      return [issue(at, 'invalid-glob', `"${entry}" is not a glob: ${(error as Error).message}`)];
    }
  }
  return [];
}

function issue(pointer: string, rule: string, message: string): ValidationIssue {
  return { pointer, rule, message };
}
