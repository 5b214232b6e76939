import { findSchemasDir, SchemaRegistry } from '@vigil/signals';
import { BUILTIN_PLAYBOOKS } from './builtin-playbooks';
import type { PlaybookDefinition } from './compiled-playbook';
import { PlaybookChecker } from './playbook-checker';

const checker = new PlaybookChecker(SchemaRegistry.fromDirectory(findSchemasDir() as string));

const stuffing = BUILTIN_PLAYBOOKS.find(
  (p) => p.id === 'credential-stuffing',
) as PlaybookDefinition;

function rules(document: unknown): Array<[string, string]> {
  return checker.check(document).map((issue) => [issue.pointer, issue.rule]);
}

describe('PlaybookChecker', () => {
  it.each(BUILTIN_PLAYBOOKS.map((p) => [p.id, p]))('accepts the built-in %s', (_id, playbook) => {
    expect(checker.check(playbook)).toEqual([]);
  });

  it('refuses a schema violation with the schema error (window out of range)', () => {
    expect(rules({ ...stuffing, windowSeconds: 0 })).toEqual([['/windowSeconds', 'minimum']]);
  });

  it('refuses a signal type that does not exist', () => {
    expect(rules({ ...stuffing, match: { type: 'login' } })).toEqual([
      ['/match/type', 'unknown-type'],
    ]);
  });

  it('refuses reading response signals (a loop on its own output)', () => {
    expect(rules({ ...stuffing, match: { type: 'response' } })).toEqual([
      ['/match/type', 'own-output'],
    ]);
  });

  it('refuses fields the signal type does not have, wherever they are named', () => {
    const issues = checker.check({
      ...stuffing,
      match: { type: 'auth', where: [{ field: '/data/result', equals: 'failure' }] },
      groupBy: ['/subject', '/data/actor/ip', '/data/actor/asn'],
      threshold: { count: 10, distinct: '/data/user/name' },
    });
    expect(issues.map((i) => [i.pointer, i.rule])).toEqual([
      ['/match/where/0/field', 'unknown-field'],
      ['/groupBy/2', 'unknown-field'],
      ['/threshold/distinct', 'unknown-field'],
    ]);
    expect(issues[1]?.message).toBe('"/data/actor/asn" is not a field of "auth" signals');
  });

  it('refuses blocks that are not per application, not grouped by their target, or not on an IP', () => {
    expect(rules({ ...stuffing, groupBy: ['/data/actor/ip'] })).toEqual([
      ['/groupBy', 'block-needs-application'],
    ]);
    expect(
      rules({
        ...stuffing,
        response: { action: 'block-ip', target: '/data/user/login', durationSeconds: 600 },
      }),
    ).toEqual([
      ['/response/target', 'target-not-grouped'],
      ['/response/target', 'target-not-ip'],
    ]);
    expect(
      rules({ ...stuffing, response: { action: 'block-user', durationSeconds: 600 } }),
    ).toEqual([['/response/target', 'required']]);
    expect(rules({ ...stuffing, groupBy: ['/subject', '/data/user/login'] })).toEqual([
      ['/threshold/distinct', 'distinct-in-group'],
      ['/response/target', 'target-not-grouped'],
    ]);
  });

  it('lets notify-only playbooks group by any field they have, within an application', () => {
    const notify = { ...stuffing, response: { action: 'notify' as const, durationSeconds: 600 } };
    expect(
      checker.check({
        ...notify,
        groupBy: ['/subject', '/data/user/login'],
        threshold: { count: 3 },
      }),
    ).toEqual([]);
    // Detection is partitioned by application: a group across applications could be split.
    expect(rules({ ...notify, groupBy: ['/data/actor/ip'] })).toEqual([
      ['/groupBy', 'needs-application'],
    ]);
  });
});

describe('PlaybookChecker with language version 2', () => {
  const probe = {
    language: 2,
    id: 'probe',
    name: 'Probe',
    match: {
      type: 'http.request',
      where: [{ field: '/data/path', inList: 'sensitive-paths' }],
    },
    groupBy: ['/subject', '/data/client/ip'],
    thresholds: [
      { name: 'burst', windowSeconds: 60, count: 5, distinct: '/data/path' },
      { name: 'slow', windowSeconds: 7_200, count: 20, distinct: '/data/path' },
    ],
    response: { action: 'block-ip', target: '/data/client/ip', durationSeconds: 3_600 },
  };
  const where = (...conditions: unknown[]) => ({
    ...probe,
    match: { type: 'http.request', where: conditions },
  });

  it('accepts a valid version 2 playbook', () => {
    expect(checker.check(probe)).toEqual([]);
  });

  it('refuses a condition with no operator or two', () => {
    expect(rules(where({ field: '/data/path', not: true }))).toEqual([
      ['/match/where/0', 'one-operator'],
    ]);
    expect(rules(where({ field: '/data/path', prefix: '/a', suffix: '.b' }))).toEqual([
      ['/match/where/0', 'one-operator'],
    ]);
  });

  it('refuses an unknown list, unless the tenant has one of that name', () => {
    const document = where({ field: '/data/path', inList: 'our-paths' });
    expect(rules(document)).toEqual([['/match/where/0/inList', 'unknown-list']]);
    expect(checker.check(document, undefined, ['our-paths'])).toEqual([]);
  });

  it('refuses a pattern that could backtrack catastrophically, and one RE2 cannot run', () => {
    expect(rules(where({ field: '/data/path', pattern: '^(a+)+$' }))).toEqual([
      ['/match/where/0/pattern', 'unsafe-pattern'],
    ]);
    expect(rules(where({ field: '/data/path', pattern: '(?<=a)b' }))).toEqual([
      ['/match/where/0/pattern', 'invalid-pattern'],
    ]);
    expect(rules(where({ field: '/data/path', pattern: '^/api/v[0-9]+/' }))).toEqual([]);
  });

  it('refuses a reversed range and a field the type lacks', () => {
    expect(rules(where({ field: '/data/status', range: { min: 499, max: 400 } }))).toEqual([
      ['/match/where/0/range', 'range-order'],
    ]);
    expect(rules(where({ field: '/data/statusCode', range: { min: 400 } }))).toEqual([
      ['/match/where/0/field', 'unknown-field'],
    ]);
  });

  it('refuses two thresholds of one name and an override of a threshold it lacks', () => {
    expect(
      rules({
        ...probe,
        thresholds: [probe.thresholds[0], { ...probe.thresholds[1], name: 'burst' }],
      }),
    ).toEqual([['/thresholds/1/name', 'duplicate-threshold']]);
    expect(rules({ ...probe, overrides: { shop: { fast: { count: 3 } } } })).toEqual([
      ['/overrides/shop/fast', 'unknown-threshold'],
    ]);
  });

  it('reports schema errors with their pointer (out-of-range window, unknown language)', () => {
    expect(
      rules({ ...probe, thresholds: [{ name: 'burst', windowSeconds: 90_000, count: 5 }] }),
    ).toEqual([['/thresholds/0/windowSeconds', 'maximum']]);
    expect(rules({ ...probe, language: 3 })).toEqual([['/language', 'const']]);
  });

  it('checks distinct fields per threshold', () => {
    expect(
      rules({
        ...probe,
        thresholds: [{ name: 'burst', windowSeconds: 60, count: 5, distinct: '/data/client/ip' }],
      }),
    ).toEqual([['/thresholds/0/distinct', 'distinct-in-group']]);
  });
});
