import type { LoggedRequest } from './access-log-parser';
import { authPayload, parseAuthRules } from './auth-rules';

const rules = parseAuthRules({
  rules: [
    { method: 'POST', path: '/login', success: [200, 302], failure: [401], userParameter: 'user' },
    { method: 'POST', path: '/api/session*', success: [201], failure: [403] },
  ],
});

const request = (overrides: Partial<LoggedRequest>): LoggedRequest => ({
  time: new Date('2026-11-21T00:00:00Z'),
  clientIp: '203.0.113.9',
  method: 'POST',
  path: '/login',
  status: 401,
  ...overrides,
});

describe('auth rules for access logs', () => {
  it('turns a failed login with the user in the query into an auth failure', () => {
    expect(
      authPayload(request({ query: 'user=alice&next=/', userAgent: 'curl/8' }), rules),
    ).toEqual({
      outcome: 'failure',
      user: { login: 'alice' },
      actor: { ip: '203.0.113.9', userAgent: 'curl/8' },
    });
  });

  it('takes the authenticated user of the log when the rule names no parameter, and matches prefixes', () => {
    expect(
      authPayload(request({ path: '/api/session/new', status: 201, user: 'bob' }), rules),
    ).toMatchObject({
      outcome: 'success',
      user: { login: 'bob' },
    });
  });

  it('emits nothing without a matching rule, a known outcome or a user', () => {
    expect(authPayload(request({ method: 'GET' }), rules)).toBeUndefined();
    expect(authPayload(request({ status: 500, query: 'user=alice' }), rules)).toBeUndefined();
    expect(authPayload(request({}), rules)).toBeUndefined();
  });

  it.each([
    [{}, 'holds {"rules": [...]}'],
    [{ rules: [{ method: 'post', path: '/login', success: [], failure: [] }] }, 'rules[0].method'],
    [{ rules: [{ method: 'POST', path: 'login', success: [], failure: [] }] }, 'rules[0].path'],
    [
      { rules: [{ method: 'POST', path: '/login', success: [999], failure: [] }] },
      'rules[0].success',
    ],
  ])('refuses the rules file %j naming the problem', (document, message) => {
    expect(() => parseAuthRules(document)).toThrow(message);
  });
});
