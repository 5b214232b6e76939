/* eslint-disable */
/**
 * GENERATED FILE — DO NOT EDIT.
 * Source: schemas/signals/attack/v1/schema.json. Regenerate with `npm run codegen`; CI fails when this file drifts.
 */

/**
 * An application agent saw, or blocked, an attack on the application named by the envelope's `subject`.
 */
export interface AttackV1 {
  /**
   * Attack family.
   */
  category:
    | 'sqli'
    | 'nosqli'
    | 'xss'
    | 'rce'
    | 'command_injection'
    | 'lfi'
    | 'rfi'
    | 'path_traversal'
    | 'ssrf'
    | 'xxe'
    | 'template_injection'
    | 'deserialization'
    | 'ldap_injection'
    | 'open_redirect'
    | 'csrf'
    | 'scanner'
    | 'bot'
    | 'brute_force'
    | 'credential_stuffing'
    | 'protocol'
    | 'other';
  /**
   * What the agent did: only `detected` (monitoring mode) or `blocked` the request.
   */
  action: 'detected' | 'blocked';
  /**
   * Agent's estimate of the attack's severity.
   */
  severity?: 'info' | 'low' | 'medium' | 'high' | 'critical';
  /**
   * The detection rule that matched.
   */
  rule: {
    /**
     * Stable identifier of the rule, e.g. `sqli-001`.
     */
    id: string;
    /**
     * Human-readable rule name.
     */
    name?: string;
    /**
     * Version of the rule set that held the rule.
     */
    version?: string;
  };
  /**
   * Who sent the request.
   */
  actor: {
    /**
     * Client IP address, after the agent resolved trusted proxies.
     */
    ip: string;
    /**
     * Login of the authenticated user who sent the request, if any.
     */
    user?: string;
    /**
     * User-Agent header of the request.
     */
    userAgent?: string;
    /**
     * ISO 3166-1 alpha-2 country of the IP, when the agent knows it.
     */
    country?: string;
  };
  /**
   * The attacking request, as far as the agent may share it.
   */
  request?: {
    /**
     * HTTP method.
     */
    method: string;
    /**
     * Request path without the query string.
     */
    path: string;
    /**
     * Route template that matched, e.g. `/users/:id`.
     */
    route?: string;
    /**
     * Where the malicious input was found.
     */
    parameter?: {
      /**
       * Part of the request that carried the input.
       */
      location: 'query' | 'body' | 'header' | 'cookie' | 'path' | 'other';
      /**
       * Name of the parameter, header or cookie.
       */
      name?: string;
      /**
       * The offending value, truncated by the agent to 1024 characters.
       */
      value?: string;
    };
    /**
     * Selected request headers (names in lowercase). Agents must not send credentials or cookies here.
     */
    headers?: {
      /**
       * Header value.
       */
      [k: string]: string | undefined;
    };
  };
}
