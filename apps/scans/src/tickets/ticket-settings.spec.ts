import { SecretBox } from '@vigil/scans';
import { ticketSettingsProblem, toSettingsView, toStoredSettings } from './ticket-settings';

describe('ticket settings', () => {
  it('accepts a webhook and a Jira integration', () => {
    expect(
      ticketSettingsProblem({
        kind: 'webhook',
        url: 'https://h.example.com/x',
        secret: 's'.repeat(16),
      }),
    ).toBeUndefined();
    expect(
      ticketSettingsProblem({
        kind: 'jira',
        url: 'https://acme.atlassian.net',
        user: 'bot',
        token: 't',
        project: 'SEC',
        minSeverity: 'medium',
      }),
    ).toBeUndefined();
  });

  it.each([
    [[], 'the body must be a JSON object'],
    [{ kind: 'email' }, '"kind" must be "webhook" or "jira"'],
    [{ kind: 'webhook', url: 'ftp://x', secret: 's'.repeat(16) }, '"url" must be an http(s) URL'],
    [{ kind: 'webhook', url: 'https://x', secret: 'short' }, '"secret" must be 16-256 characters'],
    [
      { kind: 'webhook', url: 'https://x', secret: 's'.repeat(16), token: 'x' },
      '"token" is not a setting of a webhook',
    ],
    [
      { kind: 'jira', url: 'https://x', user: 'u', token: 't', project: 'sec' },
      '"project" must be a Jira project key',
    ],
    [
      { kind: 'webhook', url: 'https://x', secret: 's'.repeat(16), minSeverity: 'urgent' },
      '"minSeverity" must be one of',
    ],
  ])('refuses %j', (body, message) => {
    expect(ticketSettingsProblem(body)).toContain(message);
  });

  it('stores the credential sealed and never shows it', () => {
    const box = new SecretBox('k'.repeat(32));
    const stored = toStoredSettings(
      'acme',
      { kind: 'jira', url: 'https://x', user: 'bot', token: 'jira-secret-token', project: 'SEC' },
      box,
    );
    expect(JSON.stringify(stored)).not.toContain('jira-secret-token');
    expect(box.open(stored.sealedSecret)).toBe('jira-secret-token');
    expect(stored.minSeverity).toBe('high');
    const view = toSettingsView({ ...stored, updatedAt: '2026-11-29T00:00:00.000Z' });
    expect(JSON.stringify(view)).not.toContain(stored.sealedSecret);
    expect(view).toMatchObject({
      kind: 'jira',
      credentialSet: true,
      options: { user: 'bot', project: 'SEC' },
    });
  });
});
