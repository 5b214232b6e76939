/**
 * Tenant names: lowercase letters, digits and inner dashes, 2–63 characters. A tenant name is
 * one token of every bus subject (`signals.<tenant>.<type>`), so it can never hold `.`, `*`,
 * `>` or whitespace.
 */
export const TENANT_NAME_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])$/;

/** True when `name` is a valid tenant name (see {@link TENANT_NAME_PATTERN}). */
export function isValidTenantName(name: string): boolean {
  return TENANT_NAME_PATTERN.test(name);
}
