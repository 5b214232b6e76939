import { isPrivateAddress, ticketUrlProblem } from './ticket-network';

describe('ticket network policy', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.20.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '::1',
    'fd00::1',
    '::ffff:127.0.0.1',
  ])('treats %s as private', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(['203.0.113.5', '8.8.8.8', '2001:db8::1'])('treats %s as public', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });

  it('refuses private hosts by default, names the setting, and allows them with "any"', async () => {
    expect(await ticketUrlProblem('http://169.254.169.254/latest/meta-data', 'public')).toContain(
      'VIGIL_SCANS_TICKET_NETWORKS=any',
    );
    expect(await ticketUrlProblem('http://localhost:8080/hook', 'public')).toContain(
      'private address',
    );
    expect(await ticketUrlProblem('https://203.0.113.5/hook', 'public')).toBeUndefined();
    expect(await ticketUrlProblem('http://127.0.0.1/hook', 'any')).toBeUndefined();
  });

  it('refuses a host that does not resolve, naming it; addresses and resolvable names pass', async () => {
    expect(await ticketUrlProblem('https://tickets.invalid/hook', 'any', 'refuse')).toMatch(
      /^the ticket URL's host tickets\.invalid does not resolve \(ENOTFOUND\); check the name$/,
    );
    expect(await ticketUrlProblem('https://203.0.113.5/hook', 'any', 'refuse')).toBeUndefined();
    expect(await ticketUrlProblem('http://[::1]:8080/hook', 'any', 'refuse')).toBeUndefined();
    expect(await ticketUrlProblem('http://localhost:8080/hook', 'any', 'refuse')).toBeUndefined();
  });
});
