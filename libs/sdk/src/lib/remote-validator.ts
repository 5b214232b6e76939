import { SchemaRegistry, SignalValidator } from '@vigil/signals';

/**
 * A validator built from the platform's own registry (`GET /v1/schemas`), so client-side checks
 * use exactly the schemas the platform enforces, tenant-defined ones included. Pass it to
 * `createClient(options, validator)`.
 */
export async function fetchValidator(endpoint: string): Promise<SignalValidator> {
  const response = await fetch(`${endpoint.replace(/\/+$/, '')}/v1/schemas`);
  if (!response.ok) {
    throw new Error(`cannot fetch the schema registry from ${endpoint}: HTTP ${response.status}`);
  }
  const { schemas } = (await response.json()) as {
    schemas: Array<{ id: string; schema: Record<string, unknown> }>;
  };
  const registry = new SchemaRegistry();
  registry.addAll(schemas.map((entry) => ({ file: entry.id, schema: entry.schema })));
  return new SignalValidator(registry);
}
