import { parseAccessLogLine, type JsonFieldMapping } from './access-log-parser';

describe('parseAccessLogLine', () => {
  it('reads an nginx combined line, splitting the query, with the log time in UTC', () => {
    const line =
      '203.0.113.9 - alice [21/Nov/2026:14:03:07 +0100] "GET /search?q=%22x%22&page=2 HTTP/1.1" 200 5120 "https://shop.example.com/" "Mozilla/5.0 (X11)"';
    expect(parseAccessLogLine(line, 'combined')).toEqual({
      time: new Date('2026-11-21T13:03:07.000Z'),
      clientIp: '203.0.113.9',
      method: 'GET',
      path: '/search',
      query: 'q=%22x%22&page=2',
      protocol: 'HTTP/1.1',
      status: 200,
      responseBytes: 5120,
      referer: 'https://shop.example.com/',
      userAgent: 'Mozilla/5.0 (X11)',
      user: 'alice',
    });
  });

  it('reads a common line, with "-" for an unknown size and user', () => {
    expect(
      parseAccessLogLine(
        '2001:db8::7 - - [01/Jan/2026:00:00:00 -0700] "HEAD / HTTP/1.0" 304 -',
        'common',
      ),
    ).toEqual({
      time: new Date('2026-01-01T07:00:00.000Z'),
      clientIp: '2001:db8::7',
      method: 'HEAD',
      path: '/',
      protocol: 'HTTP/1.0',
      status: 304,
    });
  });

  it('unescapes Apache and nginx quoting, and keeps a forwarded-for chain nginx appends', () => {
    const line =
      '198.51.100.1 - - [21/Nov/2026:14:03:07 +0000] "GET /a HTTP/1.1" 404 12 "-" "say \\"hi\\" \\x22there\\x22" "203.0.113.5, 10.0.0.1"';
    expect(parseAccessLogLine(line, 'combined')).toMatchObject({
      userAgent: 'say "hi" "there"',
      forwardedFor: ['203.0.113.5', '10.0.0.1'],
    });
  });

  it.each([
    ['hello world', 'not a combined log line'],
    [
      'example.com - - [21/Nov/2026:14:03:07 +0000] "GET / HTTP/1.1" 200 1 "-" "-"',
      'is not an IP address',
    ],
    [
      '198.51.100.1 - - [21/Nov/2026:14:03:07 +0000] "\\x16\\x03\\x01" 400 0 "-" "-"',
      'request line',
    ],
    ['198.51.100.1 - - [99/Nov/2026:14:03:07 +0000] "GET / HTTP/1.1" 200 1 "-" "-"', 'time'],
    [
      '198.51.100.1 - - [21/Nov/2026:14:03:07 +0000] "GET / HTTP/1.1" 200 1',
      'referer and user agent missing',
    ],
    [
      `198.51.100.1 - - [21/Nov/2026:14:03:07 +0000] "GET /${'a'.repeat(3000)} HTTP/1.1" 200 1 "-" "-"`,
      'longer than 2048',
    ],
  ])('says why it cannot read %j', (line, reason) => {
    const parsed = parseAccessLogLine(line, 'combined');
    expect('error' in parsed && parsed.error).toContain(reason);
  });

  it('reads JSON lines through a field mapping (dot paths, epoch or ISO times)', () => {
    const mapping: JsonFieldMapping = {
      time: 'ts',
      clientIp: 'client.ip',
      method: 'req.method',
      url: 'req.uri',
      status: 'res.status',
      responseBytes: 'res.bytes',
      durationMs: 'took_ms',
      host: 'req.host',
    };
    const line = JSON.stringify({
      ts: 1_764_000_000,
      client: { ip: '198.51.100.7' },
      req: { method: 'POST', uri: '/login?next=/', host: 'api.example.com' },
      res: { status: '401', bytes: 64 },
      took_ms: 3.5,
    });
    expect(parseAccessLogLine(line, 'json', mapping)).toEqual({
      time: new Date(1_764_000_000_000),
      clientIp: '198.51.100.7',
      method: 'POST',
      path: '/login',
      query: 'next=/',
      status: 401,
      responseBytes: 64,
      host: 'api.example.com',
      durationMs: 3.5,
    });
    expect(parseAccessLogLine('{"ts": "yesterday"}', 'json', mapping)).toEqual({
      error: 'the time cannot be read',
    });
    expect(parseAccessLogLine('[1]', 'json', mapping)).toEqual({ error: 'not a JSON object' });
  });
});
