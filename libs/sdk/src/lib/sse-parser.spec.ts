import { SseParser } from './sse-parser';

describe('SseParser', () => {
  it('assembles events split across chunks, with ids, names and multi-line data', () => {
    const parser = new SseParser();
    expect(parser.push('retry: 2000\n\nid: 7\nevent: iss')).toEqual([]);
    expect(parser.push('ued\ndata: {"a":1}\n\n: keep-alive\n\ndata: x\ndata: y\r\n\r\n')).toEqual([
      { id: '7', event: 'issued', data: '{"a":1}' },
      { id: undefined, event: 'message', data: 'x\ny' },
    ]);
  });
});
