import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { findSchemasDir } from './find-schemas-dir';
import { SchemaRegistry, type RegisteredSchema } from './schema-registry';
import { SignalValidator } from './signal-validator';
import { toValidationIssues, type ValidationIssue } from './validation-issue';

/**
 * The conformance fixtures: every document in `schemas/**\/examples` must get its expected
 * verdict, and each invalid one must fail for the reason its name and `_expected.json` give.
 */
const schemasDir = findSchemasDir() as string;
const registry = SchemaRegistry.fromDirectory(schemasDir);
const validator = new SignalValidator(registry);

interface Expected {
  readonly pointer: string;
  readonly rule: string;
}

function exampleFolders(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) {
      continue;
    }
    const path = join(dir, entry.name);
    found.push(...(entry.name === 'examples' ? [path] : exampleFolders(path)));
  }
  return found.sort();
}

function jsonFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json') && !name.startsWith('_'))
    .sort();
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

const folders = exampleFolders(schemasDir);

it('finds an examples folder beside every schema', () => {
  expect(folders.length).toBe(registry.list().length);
  expect(folders.length).toBeGreaterThanOrEqual(8);
});

/** Signal and envelope examples are envelopes; a document schema's examples are documents of its own. */
function verdict(schema: RegisteredSchema, doc: unknown): readonly ValidationIssue[] {
  if (schema.kind !== 'document') {
    const result = validator.validate(doc);
    return result.valid ? [] : result.issues;
  }
  return schema.validate(doc) ? [] : toValidationIssues(schema.validate.errors ?? []);
}

function schemaBeside(folder: string): RegisteredSchema {
  const file = join(relative(schemasDir, dirname(folder)), 'schema.json');
  const schema = registry.list().find((entry) => entry.file === file);
  if (!schema) {
    throw new Error(`no schema beside ${folder}`);
  }
  return schema;
}

describe.each(folders.map((folder) => [relative(schemasDir, dirname(folder)), folder]))(
  '%s examples',
  (_name, folder) => {
    const schema = schemaBeside(folder);
    const validDir = join(folder, 'valid');
    const invalidDir = join(folder, 'invalid');
    const expectations = readJson(join(invalidDir, '_expected.json')) as Record<string, Expected>;

    it('has valid and invalid examples, each invalid one with an expectation', () => {
      expect(jsonFiles(validDir).length).toBeGreaterThanOrEqual(2);
      expect(jsonFiles(invalidDir).length).toBeGreaterThanOrEqual(3);
      expect(Object.keys(expectations).sort()).toEqual(jsonFiles(invalidDir));
    });

    it.each(jsonFiles(validDir))('accepts valid/%s', (file) => {
      expect(verdict(schema, readJson(join(validDir, file)))).toEqual([]);
    });

    it.each(jsonFiles(invalidDir))('refuses invalid/%s for the named reason', (file) => {
      const issues = verdict(schema, readJson(join(invalidDir, file)));
      expect(issues.length).toBeGreaterThan(0);
      expect(issues).toContainEqual(expect.objectContaining(expectations[file]));
    });
  },
);
