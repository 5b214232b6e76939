import { priorityOf } from './priority';

const quiet = { attacksByCategory: {}, failedLogins: 0 };

describe('priorityOf', () => {
  it('is the severity when the application is not under attack', () => {
    expect(priorityOf({ rule: 'vulnerable-package', severity: 'high' }, quiet)).toEqual({
      priority: 60,
      reasons: [],
    });
  });

  it('rises for a vulnerable package on an attacked application, more for execution attempts', () => {
    const attacked = { attacksByCategory: { sqli: 12, rce: 3 }, failedLogins: 0 };
    expect(priorityOf({ rule: 'vulnerable-package', severity: 'high' }, attacked)).toEqual({
      priority: 80,
      reasons: [
        '15 attack signal(s) on the application in the last 24 h',
        '3 of them try code execution or file reads',
      ],
    });
  });

  it('raises a root process only for code-execution or file-read attacks, and caps at 100', () => {
    const sqli = { attacksByCategory: { sqli: 40 }, failedLogins: 0 };
    expect(priorityOf({ rule: 'process-root', severity: 'high' }, sqli).priority).toBe(60);
    const lfi = { attacksByCategory: { lfi: 2 }, failedLogins: 0 };
    expect(priorityOf({ rule: 'process-root', severity: 'critical' }, lfi).priority).toBe(100);
  });

  it('raises a skewed clock under a login attack', () => {
    const logins = { attacksByCategory: {}, failedLogins: 25 };
    expect(priorityOf({ rule: 'clock-skew', severity: 'medium' }, logins).priority).toBe(50);
  });
});
