/* eslint-disable */
/**
 * GENERATED FILE — DO NOT EDIT.
 * Source: schemas/records/signal-record/v1/schema.json. Regenerate with `npm run codegen`; CI fails when this file drifts.
 */

/**
 * What ingestion stores in the SIGNALS stream for each accepted signal: the producer's envelope exactly as sent, and beside it, under the reserved name `vigil`, what the platform added. Products read this record.
 */
export interface SignalRecordV1 {
  /**
   * The producer's envelope, unchanged (it passed the envelope and payload schemas).
   */
  event: {
    [k: string]: unknown | undefined;
  };
  /**
   * What the platform added at ingestion.
   */
  vigil: {
    /**
     * Tenant of the credential that published the signal (never taken from the body).
     */
    tenant: string;
    /**
     * Id of the API key that published the signal.
     */
    keyId: string;
    /**
     * When ingestion received the request.
     */
    receivedAt: string;
    /**
     * Unique id of this ingestion of the signal (differs on a redelivery of the same envelope).
     */
    ingestId: string;
    /**
     * `$id` of the payload schema the signal satisfied, e.g. `urn:vigil:signal:attack:1`.
     */
    schema: string;
    /**
     * Address of the client that sent the request (after trusted proxies).
     */
    clientIp?: string;
    /**
     * IP addresses of the payload found in configured threat-intelligence lists.
     *
     * @maxItems 64
     *
     * Items: One listed address.
     */
    threatIntel?: {
      /**
       * JSON pointer of the address in the envelope, e.g. `/data/actor/ip`.
       */
      pointer: string;
      /**
       * The address.
       */
      ip: string;
      /**
       * Names of the lists that contain it.
       *
       * @maxItems 32
       *
       * Items: List name.
       */
      lists: string[];
    }[];
    /**
     * Keyed hashes of the personal-data fields of the payload (HMAC-SHA256 with a per-tenant secret), by JSON pointer: products that must not see raw personal data use these.
     */
    pii?: {
      /**
       * `hmac-sha256:<hex>` of the field's value.
       */
      [k: string]: string | undefined;
    };
  };
}
