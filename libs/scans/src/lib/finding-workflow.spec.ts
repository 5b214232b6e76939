import { DEFAULT_SLA, slaDueDate, statusChangeProblem } from './finding-workflow';
import { severitiesFrom, severityAtLeast } from './severity';

describe('statusChangeProblem', () => {
  it('lets a user accept a risk or mark a false positive with a reason, or reopen', () => {
    expect(
      statusChangeProblem({ status: 'accepted', reason: 'internal tool only' }),
    ).toBeUndefined();
    expect(statusChangeProblem({ status: 'false-positive', reason: 'test key' })).toBeUndefined();
    expect(statusChangeProblem({ status: 'open' })).toBeUndefined();
  });

  it('requires a reason to accept or dismiss', () => {
    expect(statusChangeProblem({ status: 'accepted' })).toContain('"reason" is required');
    expect(statusChangeProblem({ status: 'false-positive', reason: '  ' })).toContain('reason');
  });

  it('keeps "fixed" for the platform', () => {
    expect(statusChangeProblem({ status: 'fixed' })).toContain('"fixed" is set when');
  });

  it('refuses an overlong reason', () => {
    expect(statusChangeProblem({ status: 'accepted', reason: 'x'.repeat(2_001) })).toContain(
      'at most 2000',
    );
  });
});

describe('slaDueDate', () => {
  const seen = new Date('2026-11-01T00:00:00Z');

  it('gives critical findings 7 days and high ones 30', () => {
    expect(slaDueDate(seen, 'critical', DEFAULT_SLA)?.toISOString()).toBe(
      '2026-11-08T00:00:00.000Z',
    );
    expect(slaDueDate(seen, 'high', DEFAULT_SLA)?.toISOString()).toBe('2026-12-01T00:00:00.000Z');
  });

  it('gives informational findings no due date', () => {
    expect(slaDueDate(seen, 'info', DEFAULT_SLA)).toBeNull();
  });
});

describe('severity order', () => {
  it('ranks critical above high above info', () => {
    expect(severityAtLeast('critical', 'high')).toBe(true);
    expect(severityAtLeast('medium', 'high')).toBe(false);
    expect(severitiesFrom('high')).toEqual(['high', 'critical']);
  });
});
