import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { JiraTarget } from './jira-target';
import type { TicketFinding } from './ticket-target';
import { signWebhook, WebhookTarget } from './webhook-target';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

function serve(
  answer: (request: Received) => { status: number; body?: unknown },
): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const entry = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body,
      };
      received.push(entry);
      const { status, body: reply } = answer(entry);
      response
        .writeHead(status, { 'content-type': 'application/json' })
        .end(reply === undefined ? '' : JSON.stringify(reply));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        server,
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        received,
      }),
    ),
  );
}

const finding: TicketFinding = {
  id: '01JD0000000000000000000000',
  app: 'shop',
  fingerprint: 'dependencies:abc123abc123',
  kind: 'dependencies',
  severity: 'high',
  title: 'lodash@4.17.20: Command Injection in lodash',
  description: 'Upgrade lodash.',
  status: 'open',
  firstSeen: '2026-11-29T10:00:00.000Z',
  lastSeen: '2026-11-29T10:00:00.000Z',
  dueAt: '2026-12-29T10:00:00.000Z',
  ticket: null,
};

describe('WebhookTarget (real local HTTP receiver)', () => {
  it('posts the event signed with HMAC-SHA256 over the timestamp and body', async () => {
    const { server, url, received } = await serve(() => ({ status: 202 }));
    const result = await new WebhookTarget(
      `${url}/hook`,
      'secret-0123456789',
      2_000,
      () => '7',
    ).open(finding);
    server.close();
    expect(result).toEqual({ ok: true, status: 202 });
    const [request] = received;
    expect(JSON.parse(request?.body ?? '')).toMatchObject({
      event: 'finding.opened',
      finding: { id: finding.id },
    });
    const timestamp = String(request?.headers['x-vigil-timestamp']);
    expect(request?.headers['x-vigil-signature']).toBe(
      signWebhook('secret-0123456789', timestamp, request?.body ?? ''),
    );
    expect(request?.headers['x-vigil-delivery']).toBe('7');
  });

  it('reports an HTTP error and an unreachable endpoint as failures', async () => {
    const { server, url } = await serve(() => ({ status: 500, body: { oops: true } }));
    const failed = await new WebhookTarget(url, 'secret-0123456789', 2_000, () => '1').close(
      finding,
    );
    server.close();
    expect(failed).toMatchObject({ ok: false, status: 500 });
    const down = await new WebhookTarget(url, 'secret-0123456789', 2_000, () => '1').open(finding);
    expect(down).toMatchObject({ ok: false, status: null });
    expect(down.ok === false && down.error).toContain('ECONNREFUSED');
  });
});

describe('JiraTarget (against a local fake Jira — MOCK: no Jira server can run here)', () => {
  it('creates an issue with basic auth and closes it by the named transition', async () => {
    const { server, url, received } = await serve((request) => {
      if (request.method === 'POST' && request.url === '/rest/api/2/issue') {
        return { status: 201, body: { id: '10001', key: 'SEC-12' } };
      }
      if (request.method === 'GET') {
        return {
          status: 200,
          body: {
            transitions: [
              { id: '11', name: 'In Progress' },
              { id: '31', name: 'Done' },
            ],
          },
        };
      }
      return { status: 204 };
    });
    const jira = new JiraTarget({
      url,
      user: 'bot@acme.example',
      token: 'jira-token',
      project: 'SEC',
      timeoutMs: 2_000,
    });
    const opened = await jira.open(finding);
    expect(opened).toEqual({ ok: true, status: 201, ref: 'SEC-12' });
    const closed = await jira.close({ ...finding, ticket: 'SEC-12' });
    server.close();
    expect(closed).toMatchObject({ ok: true, status: 204 });
    const [create, list, transition] = received;
    expect(create?.headers.authorization).toBe(
      `Basic ${Buffer.from('bot@acme.example:jira-token').toString('base64')}`,
    );
    expect(JSON.parse(create?.body ?? '')).toMatchObject({
      fields: {
        project: { key: 'SEC' },
        issuetype: { name: 'Bug' },
        summary: `[high] shop: ${finding.title}`,
      },
    });
    expect(list?.url).toBe('/rest/api/2/issue/SEC-12/transitions');
    expect(JSON.parse(transition?.body ?? '')).toEqual({ transition: { id: '31' } });
  });

  it('fails clearly when the issue has no done transition', async () => {
    const { server, url } = await serve(() => ({
      status: 200,
      body: { transitions: [{ id: '11', name: 'Reopen' }] },
    }));
    const result = await new JiraTarget({
      url,
      user: 'u',
      token: 't',
      project: 'SEC',
      timeoutMs: 2_000,
    }).close({ ...finding, ticket: 'SEC-1' });
    server.close();
    expect(result).toMatchObject({ ok: false, error: 'issue SEC-1 has no "done" transition' });
  });
});
