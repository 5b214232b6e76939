import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { SchemaLoadError } from './schema-load-error';

/** One schema document read from disk, before compilation. */
export interface SchemaSource {
  /** Path of the file, relative to the schemas folder (used in error messages). */
  readonly file: string;
  readonly schema: Record<string, unknown>;
}

/** Schema files are named `schema.json`; everything under an `examples/` folder is skipped. */
const SCHEMA_FILE = 'schema.json';
const SKIPPED_FOLDERS = new Set(['examples', 'node_modules']);

/**
 * Reads every `schema.json` below `dir`, in a stable (sorted) order.
 * Throws {@link SchemaLoadError} naming the file when one is not a JSON object.
 */
export function readSchemaSources(dir: string): SchemaSource[] {
  return listSchemaFiles(dir).map((path) => readSchemaSource(path, relative(dir, path)));
}

function listSchemaFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry)) {
        found.push(...listSchemaFiles(path));
      }
    } else if (entry === SCHEMA_FILE) {
      found.push(path);
    }
  }
  return found;
}

function readSchemaSource(path: string, file: string): SchemaSource {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new SchemaLoadError(file, `not valid JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SchemaLoadError(file, 'a schema file must hold one JSON object');
  }
  return { file, schema: parsed as Record<string, unknown> };
}
