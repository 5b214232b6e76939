import { InputError } from './cli-errors';
import { readFileSync } from 'node:fs';

/** One document of an input file, or why its line could not be read. */
export type InputDocument =
  | { readonly line: number; readonly value: unknown }
  | { readonly line: number; readonly error: string };

/**
 * Reads envelopes from a file (`-` for stdin): a JSON array, one JSON object, or NDJSON. A
 * malformed NDJSON line is reported with its number while the other lines are still read.
 */
export function readDocuments(path: string): InputDocument[] {
  const text = readInput(path);
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[') || (trimmed.startsWith('{') && isSingleJson(trimmed))) {
    const parsed = JSON.parse(trimmed) as unknown;
    return (Array.isArray(parsed) ? parsed : [parsed]).map((value, index) => ({
      line: index + 1,
      value,
    }));
  }
  return text.split('\n').flatMap((raw, index): InputDocument[] => {
    const line = raw.trim();
    if (line.length === 0) {
      return [];
    }
    try {
      return [{ line: index + 1, value: JSON.parse(line) as unknown }];
    } catch (error) {
      return [
        {
          line: index + 1,
          error: `line ${index + 1} is not valid JSON: ${(error as Error).message.replace(/, .*" is not valid JSON$/s, '')}`,
        },
      ];
    }
  });
}

function readInput(path: string): string {
  try {
    return readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(
      code === 'ENOENT'
        ? `${path}: no such file`
        : `${path}: cannot be read (${code ?? (error as Error).message})`,
    );
  }
}

function isSingleJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
