import type { TicketSettings } from '../store/ticket.repository';
import { ticketDue } from './ticket-rules';

const settings = (minSeverity: TicketSettings['minSeverity']): TicketSettings => ({
  tenant: 'acme',
  kind: 'webhook',
  url: 'https://hooks.example.com/vigil',
  minSeverity,
  options: {},
  sealedSecret: 'v1.x.y.z',
  updatedAt: '2026-11-29T00:00:00.000Z',
});

describe('ticketDue', () => {
  it('opens tickets at or above the threshold only', () => {
    expect(ticketDue(settings('high'), { severity: 'critical' })).toBe(true);
    expect(ticketDue(settings('high'), { severity: 'high' })).toBe(true);
    expect(ticketDue(settings('high'), { severity: 'medium' })).toBe(false);
  });

  it('opens none without an integration', () => {
    expect(ticketDue(undefined, { severity: 'critical' })).toBe(false);
  });
});
