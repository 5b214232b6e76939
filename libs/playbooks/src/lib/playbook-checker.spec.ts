import { findSchemasDir, SchemaRegistry } from '@vigil/signals';
import { BUILTIN_PLAYBOOKS } from './builtin-playbooks';
import { PlaybookChecker, type PlaybookDefinition } from './playbook-checker';

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
