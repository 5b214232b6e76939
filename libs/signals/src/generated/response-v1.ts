/* eslint-disable */
/**
 * GENERATED FILE — DO NOT EDIT.
 * Source: schemas/signals/response/v1/schema.json. Regenerate with `npm run codegen`; CI fails when this file drifts.
 */

/**
 * The platform's answer to the agents of the application named by the envelope's `subject`: block or unblock an IP address or a user until a given time.
 */
export interface ResponseV1 {
  /**
   * What agents must do.
   */
  action: 'block' | 'unblock';
  /**
   * Whom the response is about: exactly one of `ip` or `user`.
   */
  target: {
    /**
     * IP address to block or unblock.
     */
    ip?: string;
    /**
     * User login to block or unblock.
     */
    user?: string;
  };
  /**
   * When a block ends; agents stop applying it then. Required for `block`.
   */
  until?: string;
  /**
   * Why, in a sentence, for the agents' logs.
   */
  reason: string;
  /**
   * The playbook that decided the response, if one did.
   */
  playbook?: {
    /**
     * Playbook id.
     */
    id: string;
    /**
     * Playbook name.
     */
    name?: string;
  };
  /**
   * Id of the detection that caused the response.
   */
  detectionId?: string;
}
