/* eslint-disable */
/**
 * GENERATED FILE — DO NOT EDIT.
 * Source: schemas/documents/insights-query/v1/schema.json. Regenerate with `npm run codegen`; CI fails when this file drifts.
 */

/**
 * A question to the insights product over a tenant's signals: a time range over the signals' event time, filters, free text over chosen text fields, a sort with cursor pagination and aggregations. The tenant is never part of the query: the service takes it from the credential.
 */
export interface InsightsQueryV1 {
  /**
   * The signals' event time: from (inclusive) to (exclusive, default `now`).
   */
  time: {
    /**
     * Start of the range (inclusive).
     */
    from: string;
    /**
     * End of the range (exclusive); default `now`.
     */
    to?: string;
  };
  /**
   * Conditions that all hold.
   *
   * @maxItems 32
   *
   * Items: One condition on one field, with exactly one operator. Exactly one of `equals`, `in`, `range`, `exists`, `prefix`.
   */
  filters?: {
    /**
     * A field of the signal documents (see the insights README for each field's type and source).
     */
    field:
      | 'id'
      | 'time'
      | 'receivedAt'
      | 'type'
      | 'app'
      | 'source'
      | 'severity'
      | 'category'
      | 'action'
      | 'outcome'
      | 'reason'
      | 'method'
      | 'actor.ip'
      | 'actor.country'
      | 'actor.userAgent'
      | 'user.login'
      | 'rule.id'
      | 'rule.name'
      | 'request.method'
      | 'request.path'
      | 'agent.id'
      | 'process.user'
      | 'process.uid'
      | 'runtime.name'
      | 'runtime.version'
      | 'kind'
      | 'fingerprint'
      | 'tool.name'
      | 'title'
      | 'description'
      | 'package.name'
      | 'location.port'
      | 'target.ip'
      | 'target.user'
      | 'playbook.id';
    /**
     * A value of the field.
     */
    equals?: string | number | boolean;
    /**
     * Any of these values.
     *
     * @minItems 1
     * @maxItems 100
     *
     * Items: A value of the field.
     */
    in?: [string | number | boolean, ...(string | number | boolean)[]];
    /**
     * Bounds on a date or number field; dates as in `time`.
     */
    range?: {
      /**
       * Greater than.
       */
      gt?: string | number;
      /**
       * Greater than or equal to.
       */
      gte?: string | number;
      /**
       * Less than.
       */
      lt?: string | number;
      /**
       * Less than or equal to.
       */
      lte?: string | number;
    };
    /**
     * `true`: the field has a value; `false`: it has none.
     */
    exists?: boolean;
    /**
     * The field's value starts with this text (taken literally).
     */
    prefix?: string;
  }[];
  /**
   * Free text: every word must occur in one of the fields. Taken as plain words, never as search syntax.
   */
  text?: {
    /**
     * The words to look for.
     */
    query: string;
    /**
     * Where to look; default every text field.
     *
     * @minItems 1
     * @maxItems 5
     *
     * Items: A text field.
     */
    fields?: [
      'title' | 'description' | 'rule.name' | 'request.path' | 'actor.userAgent',
      ...('title' | 'description' | 'rule.name' | 'request.path' | 'actor.userAgent')[],
    ];
  };
  /**
   * Order of the hits (ties broken by id); default newest first.
   */
  sort?: {
    /**
     * The field to sort on.
     */
    field: 'time' | 'receivedAt' | 'type' | 'app';
    /**
     * `desc` (default) or `asc`.
     */
    order?: 'asc' | 'desc';
  };
  /**
   * Page size and the cursor of the next page.
   */
  page?: {
    /**
     * Hits per page (default 50; 0 for aggregations only).
     */
    size?: number;
    /**
     * `nextCursor` of the previous page of the same query.
     */
    cursor?: string;
  };
  /**
   * Aggregations computed over every matching signal (not only the page).
   *
   * @maxItems 10
   *
   * Items: `countBy`: count per value of a field (refused when the field has more values than the bucket limit); `top`: the `size` most frequent values; `distinct`: the number of distinct values; `histogram`: count per time bucket of `interval`.
   */
  aggregations?: {
    /**
     * Key of this aggregation in the answer.
     */
    name: string;
    /**
     * What to compute.
     */
    type: 'countBy' | 'top' | 'distinct' | 'histogram';
    /**
     * A field of the signal documents (see the insights README for each field's type and source).
     */
    field?:
      | 'id'
      | 'time'
      | 'receivedAt'
      | 'type'
      | 'app'
      | 'source'
      | 'severity'
      | 'category'
      | 'action'
      | 'outcome'
      | 'reason'
      | 'method'
      | 'actor.ip'
      | 'actor.country'
      | 'actor.userAgent'
      | 'user.login'
      | 'rule.id'
      | 'rule.name'
      | 'request.method'
      | 'request.path'
      | 'agent.id'
      | 'process.user'
      | 'process.uid'
      | 'runtime.name'
      | 'runtime.version'
      | 'kind'
      | 'fingerprint'
      | 'tool.name'
      | 'title'
      | 'description'
      | 'package.name'
      | 'location.port'
      | 'target.ip'
      | 'target.user'
      | 'playbook.id';
    /**
     * `top` only: how many values (default 10).
     */
    size?: number;
    /**
     * `histogram` only: the bucket width.
     */
    interval?: '1m' | '5m' | '15m' | '1h' | '6h' | '1d' | '7d';
  }[];
}
