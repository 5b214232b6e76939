import { ApiError } from '@vigil/service-kit';

/** A `limit` query parameter: a whole number from 1 to `max`, `fallback` when absent. */
export function listLimit(value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) {
    return fallback;
  }
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw new ApiError(400, 'invalid-request', `"limit" must be a whole number from 1 to ${max}`);
  }
  return limit;
}

/** A query parameter restricted to a set of words. */
export function oneOf<T extends string>(
  value: string | undefined,
  name: string,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ApiError(400, 'invalid-request', `"${name}" must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}
