/** An answer of a Vigil API: its status and its JSON body (`{}` when the body is empty). */
export interface ApiAnswer<T> {
  readonly status: number;
  readonly json: T;
}

/**
 * Calls a Vigil API as a tenant's client does: the key as a bearer token, `body` (when given)
 * as JSON.
 */
export async function callApi<T>(
  base: string,
  key: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<ApiAnswer<T>> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: (text ? JSON.parse(text) : {}) as T };
}
