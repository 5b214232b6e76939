import { serverList } from './bus-connection';

describe('serverList', () => {
  it('splits a comma-separated NATS_URL into its servers', () => {
    expect(serverList('nats://a:4222, nats://b:4222,,nats://c:4222')).toEqual([
      'nats://a:4222',
      'nats://b:4222',
      'nats://c:4222',
    ]);
    expect(serverList(['nats://a:4222', 'nats://b:4222,nats://c:4222'])).toHaveLength(3);
    expect(serverList('nats://127.0.0.1:4222')).toEqual(['nats://127.0.0.1:4222']);
  });
});
