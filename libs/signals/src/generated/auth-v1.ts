/* eslint-disable */
/**
 * GENERATED FILE — DO NOT EDIT.
 * Source: schemas/signals/auth/v1/schema.json. Regenerate with `npm run codegen`; CI fails when this file drifts.
 */

/**
 * A login attempt on the application named by the envelope's `subject`, successful or not. Playbooks use failures to detect credential stuffing and account takeover attempts.
 */
export interface AuthV1 {
  /**
   * Whether the login succeeded.
   */
  outcome: 'success' | 'failure';
  /**
   * Why a failed login failed. Absent on success.
   */
  reason?:
    | 'invalid_password'
    | 'unknown_user'
    | 'locked'
    | 'mfa_failed'
    | 'expired'
    | 'disabled'
    | 'other';
  /**
   * How the user tried to authenticate.
   */
  method?: 'password' | 'sso' | 'mfa' | 'api_key' | 'token' | 'magic_link' | 'other';
  /**
   * The account the attempt was for.
   */
  user: {
    /**
     * Login name as typed by the user.
     */
    login: string;
    /**
     * Application's internal id of the account, when it exists.
     */
    id?: string;
    /**
     * E-mail address of the account.
     */
    email?: string;
  };
  /**
   * Who attempted the login.
   */
  actor: {
    /**
     * Client IP address.
     */
    ip: string;
    /**
     * User-Agent header of the login request.
     */
    userAgent?: string;
  };
}
