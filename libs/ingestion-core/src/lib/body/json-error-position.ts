/**
 * Finds where a JSON text stops being valid JSON (RFC 8259), as an offset (-1 when unknown). Only used on the error
 * path: V8's messages give a position for some errors and a quoted snippet for others, and a
 * producer needs the position to find the fault in a large batch.
 */
export function jsonErrorOffset(text: string): number {
  const scanner = new Scanner(text);
  try {
    scanner.skipSpace();
    scanner.value();
    scanner.skipSpace();
    return scanner.offset < text.length ? scanner.offset : text.length;
  } catch (error) {
    // A RangeError means nesting deeper than the stack: the position is unknown, not a crash.
    return error instanceof SyntaxFault ? error.offset : -1;
  }
}

/** Line and column (both from 1) of an offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

class SyntaxFault {
  constructor(readonly offset: number) {}
}

const LITERALS = ['true', 'false', 'null'];
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// eslint-disable-next-line no-control-regex -- permanent: RFC 8259 forbids raw control characters in strings, and finding them is the point.
const STRING_BODY = /(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

class Scanner {
  offset = 0;

  constructor(private readonly text: string) {}

  skipSpace(): void {
    while (' \t\n\r'.includes(this.text[this.offset] ?? 'x')) {
      this.offset++;
    }
  }

  value(): void {
    const char = this.text[this.offset];
    if (char === '{') {
      return this.container('}', () => {
        this.string();
        this.skipSpace();
        this.expect(':');
        this.skipSpace();
        this.value();
      });
    }
    if (char === '[') {
      return this.container(']', () => this.value());
    }
    if (char === '"') {
      return this.string();
    }
    const literal = LITERALS.find((word) => this.text.startsWith(word, this.offset));
    if (literal) {
      this.offset += literal.length;
      return;
    }
    this.match(NUMBER);
  }

  private container(close: string, member: () => void): void {
    this.offset++;
    this.skipSpace();
    if (this.text[this.offset] === close) {
      this.offset++;
      return;
    }
    for (;;) {
      this.skipSpace();
      member();
      this.skipSpace();
      if (this.text[this.offset] === close) {
        this.offset++;
        return;
      }
      this.expect(',');
    }
  }

  private string(): void {
    this.expect('"');
    this.match(STRING_BODY);
  }

  private expect(char: string): void {
    if (this.text[this.offset] !== char) {
      throw new SyntaxFault(this.offset);
    }
    this.offset++;
  }

  private match(pattern: RegExp): void {
    pattern.lastIndex = this.offset;
    if (!pattern.test(this.text)) {
      throw new SyntaxFault(this.offset);
    }
    this.offset = pattern.lastIndex;
  }
}
