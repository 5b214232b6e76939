/* eslint-disable */
/**
 * GENERATED FILE — DO NOT EDIT.
 * Source: schemas/envelope/v1/schema.json. Regenerate with `npm run codegen`; CI fails when this file drifts.
 */

/**
 * One security signal in CloudEvents 1.0 structured JSON mode. The envelope attributes say who sent what, about which application and when; `data` holds the payload, validated against the schema selected by `type` and `dataschema`/`dataversion`. The platform never changes these attributes: what it adds (tenant, received time, enrichment) travels beside the event under the reserved name `vigil`.
 */
export interface EnvelopeV1 {
  /**
   * CloudEvents specification version (CloudEvents 1.0, section 3.1.1). Always "1.0".
   */
  specversion: '1.0';
  /**
   * Producer-chosen event identifier, unique for its `source` (CloudEvents 1.0, section 3.1.1). Together with the tenant and `source` it is the platform's deduplication key, so a retried publish with the same id is stored once. Printable ASCII without spaces.
   */
  id: string;
  /**
   * Who produced the event, as a URI reference (CloudEvents 1.0, section 3.1.1), e.g. `agent://checkout-api/pod-7` or `ci://github/acme/shop`.
   */
  source: string;
  /**
   * Signal type: selects the payload schema, e.g. `attack`, `auth`, `scan.requested`. Lowercase words separated by `.`, `_` or `-`.
   */
  type: string;
  /**
   * When the event happened, RFC 3339 with a time zone (CloudEvents 1.0, section 3.1.2). Detection windows use this event time.
   */
  time: string;
  /**
   * The application or asset the signal is about (CloudEvents 1.0, section 3.1.2), e.g. `checkout-api`. Playbooks group and answer per subject.
   */
  subject: string;
  /**
   * Media type of `data` (CloudEvents 1.0, section 3.1.2). Only JSON payloads are accepted.
   */
  datacontenttype?: 'application/json';
  /**
   * URI of the payload schema (CloudEvents 1.0, section 3.1.2): the `$id` of a registered schema for this `type`, e.g. `urn:vigil:signal:attack:1`. Selects the payload version; when absent `dataversion` does, and when both are absent version 1 is used.
   */
  dataschema?: string;
  /**
   * Vigil extension attribute: the payload schema version for this `type`. Used when `dataschema` is absent; must agree with it when both are given.
   */
  dataversion?: number;
  /**
   * The payload: a JSON object validated against the payload schema selected by `type` and version.
   */
  data: {
    [k: string]: unknown | undefined;
  };
  vigil?: never;
  tenant?: never;
  tenantid?: never;
  keyid?: never;
  ingestid?: never;
  receivedat?: never;
  clientip?: never;
  isadmin?: never;
  scopes?: never;
  /**
   * CloudEvents extension attribute (CloudEvents 1.0, section 3.3): a primitive value only.
   */
  [k: string]:
    | string
    | number
    | boolean
    | '1.0'
    | 'application/json'
    | {
        [k: string]: unknown | undefined;
      }
    | undefined;
}
