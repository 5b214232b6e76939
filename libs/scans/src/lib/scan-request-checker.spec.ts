import { findSchemasDir, SchemaRegistry } from '@vigil/signals';
import { BUILT_IN_SCAN_KINDS } from './scan-contract';
import { ScanRequestChecker } from './scan-request-checker';

const registry = SchemaRegistry.fromDirectory(findSchemasDir() ?? 'schemas');
const checker = new ScanRequestChecker(registry, BUILT_IN_SCAN_KINDS);

const request = (overrides: Record<string, unknown> = {}) => ({
  application: 'shop',
  artifact: { kind: 'directory', ref: 'shop' },
  kinds: ['dependencies', 'secrets'],
  requestedBy: { kind: 'ci', name: 'release pipeline' },
  ...overrides,
});

describe('ScanRequestChecker', () => {
  it('accepts a CI request for file scans of a directory', () => {
    expect(checker.check(request())).toEqual([]);
  });

  it('refuses a request failing its schema with the pointer of each problem', () => {
    const issues = checker.check(request({ kinds: [], extra: true }));
    expect(issues.map((i) => [i.pointer, i.rule])).toEqual(
      expect.arrayContaining([
        ['/kinds', 'minItems'],
        ['/extra', 'additionalProperties'],
      ]),
    );
  });

  it('names an unknown scan kind and the kinds the platform runs', () => {
    const [issue] = checker.check(request({ kinds: ['dependencies', 'fuzzing'] }));
    expect(issue).toMatchObject({ pointer: '/kinds/1', rule: 'unknown-kind' });
    expect(issue?.message).toContain('dependencies, secrets, ports, http-headers');
  });

  it('refuses a file scan of a host artifact', () => {
    const [issue] = checker.check(
      request({ artifact: { kind: 'host', ref: '127.0.0.1' }, kinds: ['secrets'] }),
    );
    expect(issue).toMatchObject({ pointer: '/kinds/0', rule: 'artifact-kind' });
  });

  it('refuses a port scan without ports, and takes a host artifact as the host', () => {
    const hostOnly = request({ artifact: { kind: 'host', ref: '127.0.0.1' }, kinds: ['ports'] });
    expect(checker.check(hostOnly)[0]?.message).toContain('targets.ports');
    expect(checker.check({ ...hostOnly, targets: { ports: [80] } })).toEqual([]);
  });

  it('refuses a port scan without any host', () => {
    const [issue] = checker.check(request({ kinds: ['ports'], targets: { ports: [80] } }));
    expect(issue).toMatchObject({ rule: 'targets' });
    expect(issue?.message).toContain('targets.hosts');
  });
});
