import { BodyError } from './body-error';
import { decodeBody, type DecodedItem } from './body-decoder';

const limits = { maxItems: 3, maxDepth: 8 };
const envelope = {
  specversion: '1.0',
  id: 'a',
  source: 's',
  type: 'attack',
  time: '2026-11-21T10:00:00Z',
  subject: 'shop',
  data: {},
};

function decode(
  body: string,
  contentType: string | undefined,
  headers: Record<string, string> = {},
): DecodedItem[] {
  return decodeBody(Buffer.from(body), contentType, headers, limits);
}

function bodyError(run: () => unknown): BodyError {
  try {
    run();
  } catch (error) {
    return error as BodyError;
  }
  throw new Error('expected a BodyError');
}

describe('decodeBody', () => {
  it('reads a JSON array, a single JSON object and a CloudEvents batch', () => {
    expect(decode(JSON.stringify([envelope, envelope]), 'application/json')).toHaveLength(2);
    expect(decode(JSON.stringify(envelope), 'application/json; charset=utf-8')).toEqual([
      { value: envelope },
    ]);
    expect(decode(JSON.stringify([envelope]), 'application/cloudevents-batch+json')).toEqual([
      { value: envelope },
    ]);
  });

  it('reads NDJSON, skipping blank lines', () => {
    expect(
      decode(
        `${JSON.stringify(envelope)}\n\n${JSON.stringify(envelope)}\n`,
        'application/x-ndjson',
      ),
    ).toHaveLength(2);
  });

  it('reads CloudEvents structured mode as one event', () => {
    expect(decode(JSON.stringify(envelope), 'application/cloudevents+json')).toEqual([
      { value: envelope },
    ]);
  });

  it('reads CloudEvents binary mode: ce-* headers, percent-decoded, body as data, extensions kept', () => {
    const headers = {
      'ce-specversion': '1.0',
      'ce-id': 'bin-1',
      'ce-source': 'agent%3A%2F%2Fshop',
      'ce-type': 'auth',
      'ce-time': '2026-11-21T10:00:00Z',
      'ce-subject': 'shop',
      'ce-dataversion': '1',
      'ce-traceparent': '00-abc-01',
      'content-type': 'application/json',
    };
    const [item] = decode('{"outcome":"success"}', 'application/json', headers);
    expect(item).toEqual({
      value: {
        specversion: '1.0',
        id: 'bin-1',
        source: 'agent://shop',
        type: 'auth',
        time: '2026-11-21T10:00:00Z',
        subject: 'shop',
        dataversion: 1,
        traceparent: '00-abc-01',
        datacontenttype: 'application/json',
        data: { outcome: 'success' },
      },
    });
  });

  it('refuses an unparsable body with 400 and the position of the fault', () => {
    const error = bodyError(() => decode('[{"id": "a",\n  "type": }]', 'application/json'));
    expect(error).toBeInstanceOf(BodyError);
    expect(error.status).toBe(400);
    expect(error.message).toMatch(
      /^the body is not valid JSON at line 2, column 11 \(position 23\): /,
    );
    expect(error.message).not.toContain('"type"');
  });

  it('names the line of a bad NDJSON record', () => {
    const error = bodyError(() =>
      decode(`${JSON.stringify(envelope)}\n{"id": nope}\n`, 'application/x-ndjson'),
    );
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/^the body is not valid JSON at line 2, column 8: /);
  });

  it('refuses other content types with 415, naming the accepted ones', () => {
    for (const type of ['text/plain', 'application/xml', undefined]) {
      const error = bodyError(() => decode('[]', type));
      expect(error.status).toBe(415);
      expect(error.message).toContain('application/x-ndjson');
    }
  });

  it('refuses a batch over the item limit with 413 and an empty batch with 400', () => {
    expect(bodyError(() => decode(JSON.stringify([1, 2, 3, 4]), 'application/json')).status).toBe(
      413,
    );
    expect(
      bodyError(() => decode(Array(5).fill('{}').join('\n'), 'application/x-ndjson')).status,
    ).toBe(413);
    expect(bodyError(() => decode('[]', 'application/json')).status).toBe(400);
  });

  it('refuses an item nested deeper than the limit, alone', () => {
    const deep = JSON.parse('{"a":'.repeat(10) + '1' + '}'.repeat(10)) as unknown;
    const items = decode(JSON.stringify([envelope, deep]), 'application/json');
    expect(items[0]).toEqual({ value: envelope });
    expect(items[1]).toEqual({
      problem: { rule: 'max-depth', message: 'the document is nested deeper than 8 levels' },
    });
  });

  it('survives absurd nesting in an unparsable body', () => {
    const error = bodyError(() => decode('['.repeat(200_000), 'application/json'));
    expect(error.status).toBe(400);
  });
});
