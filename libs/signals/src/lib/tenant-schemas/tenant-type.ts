/**
 * Tenant signal types. A tenant's own type is `x-<namespace>.<name>` (e.g. `x-checkout.order`):
 * the `x-` prefix keeps every tenant type apart from the built-in ones (which never start with
 * it), and the namespace (`x-checkout`) belongs to the first tenant that registers a type in it,
 * so no tenant can shadow another's types.
 */
export const TENANT_TYPE_PATTERN =
  /^x-[a-z][a-z0-9]*(?:-[a-z0-9]+)*(?:\.[a-z][a-z0-9]*(?:[_-][a-z0-9]+)*)+$/;

/** Longest tenant type name (the envelope allows 128; a namespace plus a name fit in 64). */
export const MAX_TENANT_TYPE_LENGTH = 64;

/** True when `type` is in the tenant namespace space (`x-…`), registered or not. */
export function isTenantType(type: string): boolean {
  return type.startsWith('x-');
}

/** The namespace a tenant type belongs to: `x-checkout.order` → `x-checkout`. */
export function namespaceOf(type: string): string {
  const dot = type.indexOf('.');
  return dot === -1 ? type : type.slice(0, dot);
}

/** Why `type` cannot name a tenant type, or `undefined` when it can. */
export function tenantTypeProblem(type: unknown): string | undefined {
  if (typeof type !== 'string' || type.length === 0) {
    return 'must be a string such as "x-checkout.order"';
  }
  if (type.length > MAX_TENANT_TYPE_LENGTH) {
    return `must be at most ${MAX_TENANT_TYPE_LENGTH} characters`;
  }
  if (!TENANT_TYPE_PATTERN.test(type)) {
    return 'must be "x-<namespace>.<name>": lowercase words, the namespace after "x-" and at least one name after a dot (e.g. "x-checkout.order")';
  }
  return undefined;
}
