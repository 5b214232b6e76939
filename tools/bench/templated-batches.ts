/**
 * Request bodies for long load phases: a few pre-encoded batches whose envelope ids are
 * rewritten in place for each request (fixed-width digits). Every request carries ids never sent
 * before, yet the load generator neither builds JSON nor holds a whole phase of bodies while it
 * measures (either would take CPU and memory from the service it shares the machine with).
 */
import { realisticEnvelopes } from './realistic-envelopes';

const DIGITS = 10;

interface Template {
  readonly body: Buffer;
  /** Where each envelope's id digits start in `body`. */
  readonly digitOffsets: readonly number[];
}

/** Bodies of `batchSize` realistic envelopes, ids `<prefix><10 digits>` unique per request. */
export class TemplatedBatches {
  private readonly templates: Template[] = [];
  /** One reusable buffer per sending slot: 100 KB copies per request would keep the GC busy. */
  private readonly scratch = new Map<number, Buffer>();

  constructor(
    private readonly prefix: string,
    private readonly batchSize: number,
    envelopeBytes: number,
    templateCount = 50,
  ) {
    const envelopes = realisticEnvelopes(templateCount * batchSize, '', envelopeBytes);
    for (let t = 0; t < templateCount; t++) {
      const batch = envelopes.slice(t * batchSize, (t + 1) * batchSize);
      batch.forEach((envelope, j) => (envelope['id'] = this.id(t * batchSize + j)));
      const body = Buffer.from(JSON.stringify(batch));
      this.templates.push({ body, digitOffsets: this.offsets(body, t) });
    }
  }

  /**
   * The body of request `index` (0, 1, 2, …): a template with that request's ids, written into
   * `slot`'s buffer — which the slot's next body overwrites, so a slot (one sender) must have
   * sent a body before it asks for the next.
   */
  body(index: number, slot = 0): Buffer {
    const template = this.templates[index % this.templates.length] as Template;
    const body = this.buffer(slot).subarray(0, template.body.length);
    template.body.copy(body);
    template.digitOffsets.forEach((offset, j) => {
      body.write(digits(index * this.batchSize + j), offset, 'latin1');
    });
    return body;
  }

  private buffer(slot: number): Buffer {
    let buffer = this.scratch.get(slot);
    if (!buffer) {
      buffer = Buffer.alloc(Math.max(...this.templates.map((template) => template.body.length)));
      this.scratch.set(slot, buffer);
    }
    return buffer;
  }

  private id(sequence: number): string {
    return `${this.prefix}${digits(sequence)}`;
  }

  private offsets(body: Buffer, template: number): number[] {
    const offsets: number[] = [];
    let from = 0;
    for (let j = 0; j < this.batchSize; j++) {
      const at = body.indexOf(`"${this.id(template * this.batchSize + j)}"`, from, 'latin1');
      if (at < 0) {
        throw new Error(`envelope id ${j} of template ${template} not found in its body`);
      }
      offsets.push(at + 1 + this.prefix.length);
      from = at + 1;
    }
    return offsets;
  }
}

function digits(sequence: number): string {
  return String(sequence).padStart(DIGITS, '0');
}
