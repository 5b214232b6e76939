/**
 * Generates the TypeScript types of every contract in `schemas/` with json-schema-to-typescript.
 *
 *   npm run codegen         writes libs/signals/src/generated/
 *   npm run codegen:check   exits 1, listing the files, when the committed types drift from the schemas
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { renderGeneratedTypes } from './render-types';

const workspaceRoot = join(__dirname, '..', '..');
const schemasDir = join(workspaceRoot, 'schemas');
const outDir = join(workspaceRoot, 'libs', 'signals', 'src', 'generated');

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const files = await renderGeneratedTypes(schemasDir);
  const drift = findDrift(files);
  if (check) {
    report(drift);
    return;
  }
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  for (const [name, content] of files) {
    writeFileSync(join(outDir, name), content);
  }
  console.log(`codegen: wrote ${files.size} files to ${relative(workspaceRoot, outDir)}`);
}

/** Files whose committed content differs from what the schemas generate, or that should not exist. */
function findDrift(files: Map<string, string>): string[] {
  const existing = safeList(outDir);
  const drift = [...files]
    .filter(([name, content]) => readOrEmpty(join(outDir, name)) !== content)
    .map(([name]) => name);
  const stale = existing.filter((name) => !files.has(name));
  return [...drift, ...stale.map((name) => `${name} (no longer generated)`)];
}

function report(drift: string[]): void {
  if (drift.length === 0) {
    console.log('codegen:check: generated types match schemas/');
    return;
  }
  console.error(
    `codegen:check: generated types drift from schemas/ in ${relative(workspaceRoot, outDir)}:`,
  );
  for (const name of drift) {
    console.error(`  - ${name}`);
  }
  console.error('Run `npm run codegen` and commit the result.');
  process.exitCode = 1;
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
