/** Called with each concrete pointer a pattern matches, and the value there. */
export type PointerVisitor = (pointer: string, value: unknown) => void;

/** A JSON pointer pattern parsed once, then matched against many documents. */
export type CompiledPointer = (document: unknown, visit: PointerVisitor) => void;

/**
 * Parses a JSON pointer pattern in which `*` matches every array item or object entry. The
 * result walks a document and calls `visit` for each match (missing paths yield nothing). It is
 * compiled once per schema field because the enrichment steps match it against every signal.
 */
export function compilePointer(pattern: string): CompiledPointer {
  const tokens = pattern === '' ? [] : pattern.slice(1).split('/');
  const keys = tokens.map((token) => (token === '*' ? null : unescape(token)));
  return (document, visit) => walk(document, '', 0, tokens, keys, visit);
}

function walk(
  value: unknown,
  pointer: string,
  depth: number,
  tokens: readonly string[],
  keys: readonly (string | null)[],
  visit: PointerVisitor,
): void {
  if (depth === tokens.length) {
    visit(pointer, value);
    return;
  }
  if (typeof value !== 'object' || value === null) {
    return;
  }
  const key = keys[depth];
  if (key === null) {
    for (const [childKey, child] of Object.entries(value)) {
      walk(child, `${pointer}/${escape(childKey)}`, depth + 1, tokens, keys, visit);
    }
    return;
  }
  if (Object.prototype.hasOwnProperty.call(value, key as string)) {
    const child = (value as Record<string, unknown>)[key as string];
    walk(child, `${pointer}/${tokens[depth]}`, depth + 1, tokens, keys, visit);
  }
}

function unescape(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

function escape(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
