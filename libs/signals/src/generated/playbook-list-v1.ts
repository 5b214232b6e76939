/* eslint-disable */
/**
 * GENERATED FILE — DO NOT EDIT.
 * Source: schemas/documents/playbook-list/v1/schema.json. Regenerate with `npm run codegen`; CI fails when this file drifts.
 */

/**
 * A tenant's named list of values that playbook conditions test membership of (`inList`). The name is in the path (`PUT /v1/lists/:name`); a list with the name of a shipped list (`sensitive-paths`, `scanner-paths`, `scanner-user-agents`, `verified-clients`) adds its entries to it and keeps its kind.
 */
export interface PlaybookListV1 {
  /**
   * How entries match a value: `glob` (picomatch, case-insensitive, dot files included), `cidr` (IP addresses and ranges), `exact` (equal text), `contains` (case-insensitive substring). Default: the shipped list's kind for a shipped name, `exact` otherwise.
   */
  kind?: 'glob' | 'cidr' | 'exact' | 'contains';
  /**
   * What the list holds and who keeps it.
   */
  description?: string;
  /**
   * The members (patterns, ranges or values, by kind).
   *
   * @maxItems 5000
   *
   * Items: One member.
   */
  entries: string[];
}
