import { MsgHdrsImpl } from '@nats-io/nats-core';
import { OutgoingHeaders } from './outgoing-headers';

describe('OutgoingHeaders', () => {
  it('encodes the same wire form as the stock headers', () => {
    const stock = new MsgHdrsImpl();
    stock.append('Nats-Msg-Id', 'abc');
    stock.append('Vigil-Tenant', 'acme');
    const ours = new OutgoingHeaders({ 'Nats-Msg-Id': 'abc', 'Vigil-Tenant': 'acme' });
    expect(Buffer.from(ours.encode()).toString()).toBe(Buffer.from(stock.encode()).toString());
  });

  it('round-trips through the decoder with every value readable', () => {
    const decoded = MsgHdrsImpl.decode(
      new OutgoingHeaders({ 'Vigil-Type': 'scan.requested', 'Vigil-Event-Id': 'é-1' }).encode(),
    );
    expect(decoded.get('Vigil-Type')).toBe('scan.requested');
    expect(decoded.get('Vigil-Event-Id')).toBe('é-1');
  });

  it.each(['a\r\nX-Injected: 1', 'a\nb', 'a\rb'])('refuses the line break in %j', (value) => {
    expect(() => new OutgoingHeaders({ 'Vigil-Event-Id': value })).toThrow(
      /Vigil-Event-Id cannot contain a line break/,
    );
  });
});
