/**
 * Creates a tenant through a running ingestion service's admin API (operator key) and returns
 * its first API key (every scope). Throws with the service's answer when refused.
 */
export async function createTenant(
  ingestionUrl: string,
  operatorKey: string,
  name: string,
): Promise<string> {
  return issue(`${ingestionUrl}/v1/admin/tenants`, operatorKey, { name });
}

/** Issues an API key through the admin API with a tenant's `admin` key; returns the key. */
export async function issueApiKey(
  ingestionUrl: string,
  adminKey: string,
  request: { scopes: string[]; app?: string },
): Promise<string> {
  return issue(`${ingestionUrl}/v1/admin/keys`, adminKey, request);
}

async function issue(url: string, key: string, body: unknown): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as { apiKey?: string; message?: string };
  if (!answer.apiKey) {
    throw new Error(`POST ${url} answered ${response.status}: ${answer.message ?? ''}`);
  }
  return answer.apiKey;
}
