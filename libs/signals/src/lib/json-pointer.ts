/** The value at a JSON pointer (RFC 6901) of a document, or undefined when a step is missing. */
export function readPointer(document: unknown, pointer: string): unknown {
  let node: unknown = document;
  for (const token of pointer.slice(1).split('/')) {
    if (typeof node !== 'object' || node === null) {
      return undefined;
    }
    const key = token.replace(/~1/g, '/').replace(/~0/g, '~');
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
