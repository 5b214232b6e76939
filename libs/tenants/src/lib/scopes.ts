/** What an API key may do. */
export type Scope = 'signals:write' | 'read' | 'admin' | 'schemas:write';

/**
 * Every scope, in a stable order; a tenant's first key has them all. `schemas:write` registers
 * and retires the tenant's own signal types (admin keys may too).
 */
export const ALL_SCOPES: readonly Scope[] = ['signals:write', 'read', 'admin', 'schemas:write'];

/** Narrows a string to a {@link Scope}. */
export function isScope(value: unknown): value is Scope {
  return typeof value === 'string' && (ALL_SCOPES as readonly string[]).includes(value);
}
