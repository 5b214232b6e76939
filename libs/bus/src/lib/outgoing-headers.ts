import { MsgHdrsImpl } from '@nats-io/nats-core';

const LINE_BREAK = /[\r\n]/;

/**
 * The headers of one outgoing message, built for publish rates. The stock `headers().append()`
 * canonicalises each name character by character and searches the names already set, and the
 * stock `encode()` goes through `TextEncoder`, which allocates an unpooled buffer per call (an
 * external allocation that also hastens major GCs); this sets the map directly and encodes with
 * Node's pooled `Buffer.from`. Values are still checked: a line break would inject a header.
 */
export class OutgoingHeaders extends MsgHdrsImpl {
  /** Headers from name → value; throws on a value with a line break. */
  constructor(values: Readonly<Record<string, string>>) {
    super();
    for (const name in values) {
      const value = values[name] as string;
      if (LINE_BREAK.test(value)) {
        throw new Error(`header ${name} cannot contain a line break: ${JSON.stringify(value)}`);
      }
      this.headers.set(name, [value]);
    }
  }

  /** The wire form (`NATS/1.0` block), through the pooled allocator. */
  override encode(): Uint8Array {
    return Buffer.from(this.toString());
  }
}
