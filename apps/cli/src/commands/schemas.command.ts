import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import {
  checkCompatibility,
  findSchemasDir,
  SchemaRegistry,
  SignalValidator,
  type RegisteredSchema,
} from '@vigil/signals';
import { CheckFailed, InputError } from '../cli-errors';
import { readDocuments } from '../read-documents';
import { printResult, type CliIo } from '../output';

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

/** `vigil schemas list | show | validate | check` — over the schemas folder (offline). */
export function schemasCommand(io: CliIo): Command {
  const schemas = new Command('schemas').description(
    'inspect contracts, validate envelopes, gate schema changes (offline)',
  );
  schemas.option('--schemas <dir>', 'schemas folder (default: the workspace schemas/)');
  const dirOf = () => schemas.opts<{ schemas?: string }>().schemas;

  schemas
    .command('list')
    .description('list every schema: kind, name, version, $id')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) => {
      const entries = loadRegistry(dirOf()).list().map(describe);
      printResult(io, options.json === true, entries, () =>
        entries.map((e) => `${e.kind.padEnd(8)} ${e.name.padEnd(16)} v${e.version}  ${e.id}`),
      );
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
    .command('check <old> <new>')
    .description(
      'list what a new schema version breaks for documents valid under the old one (exit 1 if anything)',
    )
    .option('--json', 'print JSON')
    .action((oldPath: string, newPath: string, options: { json?: boolean }) => {
      const report = checkCompatibility(readJsonFile(oldPath), readJsonFile(newPath));
      printResult(io, options.json === true, report, () =>
        report.compatible
          ? ['compatible: every document valid under the old schema stays valid']
          : report.breaking.map((c) => `breaking (${c.kind}): ${c.message}`),
      );
      if (!report.compatible) {
        throw new CheckFailed();
      }
    });
  return schemas;
}

function describe(entry: RegisteredSchema): {
  kind: string;
  name: string;
  version: number;
  id: string;
} {
  return { kind: entry.kind, name: entry.name, version: entry.version, id: entry.id };
}
