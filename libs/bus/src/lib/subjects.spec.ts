import { isValidTenantName, signalSubject } from '@vigil/signals';
import { deadLetterSubject } from './subjects';

describe('subjects', () => {
  it('builds signals.<tenant>.<type>', () => {
    expect(signalSubject('acme', 'attack')).toBe('signals.acme.attack');
    expect(signalSubject('acme-eu', 'scan.requested')).toBe('signals.acme-eu.scan.requested');
    expect(deadLetterSubject('playbooks', 'signals.acme.attack')).toBe(
      'deadletter.playbooks.signals.acme.attack',
    );
  });

  it('refuses tenant names that could inject into a subject', () => {
    for (const name of [
      'a.b',
      'acme.*',
      '*',
      '>',
      'acme >',
      ' acme',
      'acme\t',
      'ACME',
      '-acme',
      'acme-',
      'a',
      '',
      'x'.repeat(64),
      'acme\n',
    ]) {
      expect(isValidTenantName(name)).toBe(false);
      expect(() => signalSubject(name, 'attack')).toThrow(/invalid tenant name/);
    }
    for (const name of ['acme', 'a1', 'acme-eu-2', 'x'.repeat(63)]) {
      expect(isValidTenantName(name)).toBe(true);
    }
  });

  it('refuses types with wildcards or whitespace', () => {
    for (const type of ['*', '>', 'attack.>', 'att ack', 'Attack', '']) {
      expect(() => signalSubject('acme', type)).toThrow(/invalid signal type/);
    }
  });
});
