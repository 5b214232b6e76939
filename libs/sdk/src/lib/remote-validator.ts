import { SchemaRegistry, SignalValidator, type ServedSchema } from '@vigil/signals';

/** Where to fetch the registry from; with an API key, the tenant's own types come too. */
export interface FetchValidatorOptions {
  readonly apiKey?: string;
}

/**
 * A validator built from the platform's own registry (`GET /v1/schemas`), so client-side checks
 * use exactly the schemas the platform enforces — the tenant's own signal types included when
 * `apiKey` is given. Pass it to `createClient(options, validator)`. Fetch it again after
 * registering a new type or version.
 */
export async function fetchValidator(
  endpoint: string,
  options: FetchValidatorOptions = {},
): Promise<SignalValidator> {
  const response = await fetch(`${endpoint.replace(/\/+$/, '')}/v1/schemas`, {
    headers: options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {},
  });
  if (!response.ok) {
    throw new Error(`cannot fetch the schema registry from ${endpoint}: HTTP ${response.status}`);
  }
  const { schemas } = (await response.json()) as { schemas: ServedSchema[] };
  const registry = new SchemaRegistry();
  registry.addAll(
    schemas
      .filter((entry) => entry.origin !== 'tenant')
      .map((entry) => ({ file: entry.id, schema: entry.schema })),
  );
  for (const entry of schemas.filter((e) => e.origin === 'tenant')) {
    const { $id: _id, ...schema } = entry.schema;
    registry.putTenantSchema({
      tenant: 'self',
      type: entry.name,
      version: entry.version,
      schema,
      status: entry.status,
      registeredAt: '',
      updatedAt: '',
    });
  }
  return new SignalValidator(registry);
}
