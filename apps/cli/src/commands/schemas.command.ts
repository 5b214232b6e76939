import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import {
  checkCompatibility,
  findSchemasDir,
  SchemaRegistry,
  SignalValidator,
  type RegisteredSchema,
  type ServedSchema,
} from '@vigil/signals';
import type { ApiClient, ClientSettings } from '../api-client';
import { CheckFailed, InputError } from '../cli-errors';
import { readDocuments } from '../read-documents';
import { printResult, type CliIo } from '../output';
import {
  compareWithRegistered,
  latestRegistered,
  platformSchemas,
  registrationBody,
  reportRefusal,
  type RegistrationFlags,
} from './schema-registration';

function loadRegistry(dir: string | undefined): SchemaRegistry {
  const schemasDir = dir ?? findSchemasDir(process.cwd()) ?? findSchemasDir();
  if (!schemasDir) {
    throw new InputError('cannot find a schemas/ folder; pass --schemas <dir>');
  }
  return SchemaRegistry.fromDirectory(schemasDir);
}

function readJsonFile(path: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(
      code === 'ENOENT'
        ? `${path}: no such file`
        : `${path}: not a JSON schema (${(error as Error).message})`,
    );
  }
}

/**
 * `vigil schemas list | show | validate | check | register | status` — the platform's registry
 * (the tenant's own types) with an API key, the schemas folder offline.
 */
export function schemasCommand(
  client: () => ApiClient,
  settings: () => ClientSettings,
  io: CliIo,
): Command {
  const schemas = new Command('schemas').description(
    'register and list your signal types, inspect contracts, validate envelopes, gate schema changes',
  );
  schemas.option('--schemas <dir>', 'schemas folder (default: the workspace schemas/)');
  const dirOf = () => schemas.opts<{ schemas?: string }>().schemas;

  schemas
    .command('list')
    .description(
      'list every schema: kind, name, version, origin (built-in or yours), status, $id — from the platform with an API key, else from the schemas folder',
    )
    .option('--offline', 'list the schemas folder even when an API key is set')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean; offline?: boolean }) => {
      const online = !options.offline && dirOf() === undefined && settings().apiKey !== undefined;
      const entries = online
        ? (await platformSchemas(client())).map(describePlatform)
        : loadRegistry(dirOf()).list().map(describe);
      printResult(io, options.json === true, entries, () =>
        entries.map(
          (e) =>
            `${e.kind.padEnd(8)} ${e.name.padEnd(24)} v${String(e.version).padEnd(3)} ${e.origin.padEnd(8)} ${e.status.padEnd(10)} ${e.id}`,
        ),
      );
    });

  schemas
    .command('register <file>')
    .description(
      'register a version of your own signal type (x-<namespace>.<name>) from a JSON Schema of its data, or a registration document',
    )
    .option('--type <type>', 'the type, e.g. x-checkout.order (else "type" in the file)')
    .option('--version <n>', 'the version (default: the next one)')
    .option('--title <text>', 'a short name for the type')
    .option('--description <text>', 'what one signal of this type reports')
    .option('--json', 'print JSON')
    .action(async (file: string, options: RegistrationFlags & { json?: boolean }) => {
      const body = registrationBody(readJsonFile(file), options);
      const entry = await client()
        .asTenant<ServedSchema>('POST', '/v1/schemas', body)
        .catch((error: unknown) => reportRefusal(error, io));
      printResult(io, options.json === true, entry, () => [
        `${entry.name} v${entry.version} registered (${entry.status}): ${entry.id}`,
      ]);
    });

  schemas
    .command('status <type> <version> <status>')
    .description('deprecate (accepted with a warning), disable (refused) or re-activate a version')
    .option('--json', 'print JSON')
    .action(async (type: string, version: string, status: string, options: { json?: boolean }) => {
      const path = `/v1/schemas/${encodeURIComponent(type)}/${encodeURIComponent(version)}`;
      const entry = await client().asTenant<ServedSchema>('PATCH', path, { status });
      printResult(io, options.json === true, entry, () => [
        `${entry.name} v${entry.version} is ${entry.status}`,
      ]);
    });

  schemas
    .command('show <type> [version]')
    .description('print a signal schema (latest version unless given; "envelope" for the envelope)')
    .action((type: string, version?: string) => {
      const registry = loadRegistry(dirOf());
      const kind = type === 'envelope' ? 'envelope' : 'signal';
      const versions = registry.versions(kind, type);
      const wanted =
        version === undefined ? versions[versions.length - 1] : Number(version.replace(/^v/, ''));
      const entry = wanted === undefined ? undefined : registry.get(kind, type, wanted);
      if (!entry) {
        throw new InputError(
          `no schema for "${type}"${version ? ` version ${version}` : ''} (known versions: ${versions.join(', ') || 'none'})`,
        );
      }
      io.stdout.write(`${JSON.stringify(entry.schema, null, 2)}\n`);
    });

  schemas
    .command('validate <file>')
    .description('validate envelopes in a JSON array, JSON object or NDJSON file (- for stdin)')
    .option('--json', 'print JSON')
    .action((file: string, options: { json?: boolean }) => {
      const validator = new SignalValidator(loadRegistry(dirOf()));
      const results = readDocuments(file).map((doc) => {
        if ('error' in doc) {
          return {
            line: doc.line,
            valid: false,
            errors: [{ pointer: '', rule: 'invalid-json', message: doc.error }],
          };
        }
        const result = validator.validate(doc.value);
        return result.valid
          ? { line: doc.line, valid: true, errors: [] }
          : { line: doc.line, valid: false, errors: result.issues };
      });
      const invalid = results.filter((r) => !r.valid);
      printResult(
        io,
        options.json === true,
        { valid: results.length - invalid.length, invalid: invalid.length, results: invalid },
        () => [
          ...invalid.flatMap((r) =>
            r.errors.map((e) => `line ${r.line}: ${e.message} [${e.rule}]`),
          ),
          `${results.length - invalid.length} valid, ${invalid.length} invalid`,
        ],
      );
      if (invalid.length > 0) {
        throw new CheckFailed();
      }
    });

  schemas
    .command('check <old-or-new> [new]')
    .description(
      'list what a new schema version breaks for documents valid under the old one (exit 1 if anything); with one file, against the latest version registered on the platform',
    )
    .option('--type <type>', 'with one file: the registered type to check against')
    .option('--json', 'print JSON')
    .action(
      async (
        first: string,
        second: string | undefined,
        options: { json?: boolean; type?: string },
      ) => {
        const report =
          second === undefined
            ? await checkAgainstPlatform(client(), readJsonFile(first), options.type, io)
            : checkCompatibility(readJsonFile(first), readJsonFile(second));
        printResult(io, options.json === true, report, () =>
          report.compatible
            ? ['compatible: every document valid under the old schema stays valid']
            : report.breaking.map((c) => `breaking (${c.kind}): ${c.message}`),
        );
        if (!report.compatible) {
          throw new CheckFailed();
        }
      },
    );
  return schemas;
}

/** One line of `schemas list`. */
interface ListedSchema {
  readonly kind: string;
  readonly name: string;
  readonly version: number;
  readonly origin: string;
  readonly status: string;
  readonly id: string;
}

function describe(entry: RegisteredSchema): ListedSchema {
  const { kind, name, version, id, status } = entry;
  return { kind, name, version, origin: 'built-in', status, id };
}

function describePlatform(entry: ServedSchema): ListedSchema {
  const { kind, name, version, id, status, origin } = entry;
  return { kind, name, version, origin, status, id };
}

/** A schema (bare, or a registration document) against the latest registered version of its type. */
async function checkAgainstPlatform(
  client: ApiClient,
  document: Record<string, unknown>,
  type: string | undefined,
  io: CliIo,
) {
  const body = registrationBody(document, { type });
  const previous = await latestRegistered(client, body['type'] as string);
  if (!previous) {
    io.stderr.write(
      `no version of "${String(body['type'])}" is registered yet: nothing to break\n`,
    );
    return { compatible: true, breaking: [] };
  }
  return compareWithRegistered(previous, body['schema'] as Record<string, unknown>);
}
