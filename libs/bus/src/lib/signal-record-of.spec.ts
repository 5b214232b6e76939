import { sampleAttackEnvelope } from '@vigil/signals/testing';
import { PermanentFailure } from './bus-errors';
import type { ReceivedMessage } from './received-message';
import { signalRecordOf } from './signal-record-of';

const message = (payload: unknown): ReceivedMessage => {
  const data = Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload));
  return {
    subject: 'signals.acme.attack',
    seq: 1,
    deliveryCount: 1,
    data,
    headers: {},
    eventId: undefined,
    tenant: 'acme',
    json: <T>() => JSON.parse(data.toString()) as T,
  };
};

describe('signalRecordOf', () => {
  it('returns the record a message carries', () => {
    const record = {
      event: sampleAttackEnvelope('evt-1'),
      vigil: {
        tenant: 'acme',
        keyId: 'k1',
        receivedAt: new Date().toISOString(),
        ingestId: '01J00000000000000000000000',
        schema: 'urn:vigil:signal:attack:1',
      },
    };
    expect(signalRecordOf(message(record))).toEqual(record);
  });

  it.each([['not json'], [{ event: 'nope' }], [[1, 2]]])(
    'dead-letters %j as a PermanentFailure with the reason',
    (payload) => {
      expect(() => signalRecordOf(message(payload))).toThrow(PermanentFailure);
    },
  );
});
