/** Pointers are few (schemas' and playbooks' fields) and read for every signal: parse each once. */
const parsed = new Map<string, readonly string[]>();
const MAX_PARSED = 4_096;

/** The value at a JSON pointer (RFC 6901) of a document, or undefined when a step is missing. */
export function readPointer(document: unknown, pointer: string): unknown {
  let node: unknown = document;
  for (const key of tokensOf(pointer)) {
    if (typeof node !== 'object' || node === null) {
      return undefined;
    }
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function tokensOf(pointer: string): readonly string[] {
  let tokens = parsed.get(pointer);
  if (!tokens) {
    tokens = pointer
      .slice(1)
      .split('/')
      .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
    // Tenants' playbooks bring pointers of their own: the cache stays bounded whatever they send.
    if (parsed.size >= MAX_PARSED) {
      parsed.clear();
    }
    parsed.set(pointer, tokens);
  }
  return tokens;
}
