import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { PlaybookDefinition, PlaybookTestCase } from '@vigil/playbooks';
import { InputError } from '../cli-errors';

/** A playbook kept as a file: the document, and the test cases it carries (`tests`). */
export interface PlaybookFile {
  readonly file: string;
  readonly playbook: PlaybookDefinition;
  readonly tests: readonly PlaybookTestCase[];
}

const MAX_FILES = 500;

/** Reads every `*.json` playbook file of a folder (not its subfolders), sorted by name. */
export function readPlaybookFolder(dir: string): PlaybookFile[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new InputError(`${dir} is not a folder of playbook files (*.json)`);
  }
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort();
  if (files.length === 0) {
    throw new InputError(`${dir} holds no playbook files (*.json)`);
  }
  if (files.length > MAX_FILES) {
    throw new InputError(`${dir} holds ${files.length} files; at most ${MAX_FILES} are read`);
  }
  return files.map((name) => readPlaybookFile(join(dir, name)));
}

/** Reads one playbook file; its `tests` are taken off the document sent to the API. */
export function readPlaybookFile(path: string): PlaybookFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new InputError(`${path}: not readable JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InputError(`${path}: a playbook file holds one JSON object`);
  }
  const { tests = [], ...playbook } = parsed as Record<string, unknown>;
  if (!Array.isArray(tests)) {
    throw new InputError(`${path}: "tests" must be an array of test cases`);
  }
  return {
    file: basename(path),
    playbook: playbook as unknown as PlaybookDefinition,
    tests: tests as PlaybookTestCase[],
  };
}
