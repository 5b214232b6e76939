import {
  checkCompatibility,
  type CompatibilityReport,
  type JsonSchema,
  type ServedSchema,
} from '@vigil/signals';
import { ApiCallError, type ApiClient } from '../api-client';
import { InputError } from '../cli-errors';
import type { CliIo } from '../output';

/** What `--type`, `--version`, `--title`, `--description` say on top of the file. */
export interface RegistrationFlags {
  readonly type?: string;
  readonly version?: string;
  readonly title?: string;
  readonly description?: string;
}

/**
 * The registration body from a file: either a whole registration document (`type`, `schema`,
 * optional `version`, `title`, `description`) or a bare JSON Schema of the data; flags win.
 */
export function registrationBody(
  document: Record<string, unknown>,
  flags: RegistrationFlags,
): Record<string, unknown> {
  const isRegistration =
    typeof document['type'] === 'string' &&
    document['type'] !== 'object' &&
    typeof document['schema'] === 'object';
  const body: Record<string, unknown> = isRegistration ? { ...document } : { schema: document };
  if (flags.type !== undefined) body['type'] = flags.type;
  if (flags.title !== undefined) body['title'] = flags.title;
  if (flags.description !== undefined) body['description'] = flags.description;
  if (flags.version !== undefined) {
    const version = Number(flags.version.replace(/^v/, ''));
    if (!Number.isInteger(version) || version < 1) {
      throw new InputError(`--version must be a positive whole number, not "${flags.version}"`);
    }
    body['version'] = version;
  }
  if (typeof body['type'] !== 'string') {
    throw new InputError('name the type: --type x-<namespace>.<name> (or "type" in the file)');
  }
  return body;
}

/** The tenant's view of the registry: built-in schemas and its own types. */
export async function platformSchemas(client: ApiClient): Promise<ServedSchema[]> {
  return (await client.asTenant<{ schemas: ServedSchema[] }>('GET', '/v1/schemas')).schemas;
}

/** The latest registered version of one of the tenant's types, if any. */
export async function latestRegistered(
  client: ApiClient,
  type: string,
): Promise<ServedSchema | undefined> {
  const versions = (await platformSchemas(client)).filter(
    (entry) => entry.kind === 'signal' && entry.name === type,
  );
  return versions.sort((a, b) => a.version - b.version).at(-1);
}

/** Compares a schema with the registered previous version the platform would check it against. */
export function compareWithRegistered(
  previous: ServedSchema,
  schema: JsonSchema,
): CompatibilityReport {
  const { $id: _id, ...registered } = previous.schema;
  return checkCompatibility(registered, schema);
}

/** Prints the issues or breaking changes of a refused registration, then fails with it. */
export function reportRefusal(error: unknown, io: CliIo): never {
  if (error instanceof ApiCallError) {
    const breaking = (error.body['breaking'] ?? []) as Array<{ kind: string; message: string }>;
    const issues = (error.body['errors'] ?? []) as Array<{ rule: string; message: string }>;
    for (const change of breaking) {
      io.stderr.write(`breaking (${change.kind}): ${change.message}\n`);
    }
    for (const issue of issues) {
      io.stderr.write(`${issue.message} [${issue.rule}]\n`);
    }
  }
  throw error;
}
