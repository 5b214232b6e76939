import { decodeSignalRecord } from './signal-record-decoder';

const record = {
  event: { specversion: '1.0', id: 'e1', type: 'attack', source: 'agent://a', data: {} },
  vigil: {
    tenant: 'acme',
    keyId: 'k1',
    receivedAt: '2026-12-02T00:00:00.000Z',
    ingestId: 'i1',
    schema: 'urn:vigil:signal:attack:1',
  },
};

const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const without = (part: 'event' | 'vigil', field: string) => ({
  ...record,
  [part]: { ...record[part], [field]: undefined },
});

describe('decodeSignalRecord', () => {
  it('reads a signal record from bytes or text', () => {
    expect(decodeSignalRecord(encode(record))).toEqual({ ok: true, record });
    expect(decodeSignalRecord(JSON.stringify(record))).toEqual({ ok: true, record });
  });

  it.each([
    ['not json {', 'the message is not JSON'],
    ['[1,2]', 'the message is not a signal record (a JSON object with event and vigil)'],
    ['null', 'the message is not a signal record (a JSON object with event and vigil)'],
    [JSON.stringify({ vigil: record.vigil }), 'the signal record has no "event" object'],
    [
      JSON.stringify({ event: record.event, vigil: 'acme' }),
      'the signal record has no "vigil" object',
    ],
    [JSON.stringify(without('event', 'type')), 'the signal record\'s event has no string "type"'],
    [JSON.stringify(without('vigil', 'tenant')), 'the signal record has no valid "vigil.tenant"'],
    [
      JSON.stringify({ ...record, vigil: { ...record.vigil, tenant: 'a.b' } }),
      'the signal record has no valid "vigil.tenant"',
    ],
    [
      JSON.stringify(without('vigil', 'receivedAt')),
      'the signal record has no string "vigil.receivedAt"',
    ],
  ])('refuses %s with a reason, without throwing', (text, reason) => {
    expect(decodeSignalRecord(text)).toEqual({ ok: false, reason });
  });
});
