import {
  callTicketApi,
  type TicketFinding,
  type TicketResult,
  type TicketTarget,
} from './ticket-target';

/** Settings of a Jira-compatible integration. */
export interface JiraOptions {
  /** Base URL, e.g. `https://acme.atlassian.net`. */
  readonly url: string;
  readonly user: string;
  /** API token (or password); sent with basic authentication, never logged. */
  readonly token: string;
  readonly project: string;
  /** Default `Bug`. */
  readonly issueType?: string;
  /** Name of the transition that closes an issue; default `Done`. */
  readonly doneTransition?: string;
  readonly timeoutMs: number;
}

/**
 * Jira's REST API v2: creates an issue per finding (`POST /rest/api/2/issue`) and closes it by
 * the configured transition (`GET`, then `POST /rest/api/2/issue/<key>/transitions`).
 */
export class JiraTarget implements TicketTarget {
  private readonly base: string;

  constructor(private readonly options: JiraOptions) {
    this.base = options.url.replace(/\/+$/, '');
  }

  /** Creates the issue; `ref` is its key (e.g. `SEC-12`). */
  async open(finding: TicketFinding): Promise<TicketResult> {
    const { result, body } = await this.call('POST', '/rest/api/2/issue', {
      fields: {
        project: { key: this.options.project },
        issuetype: { name: this.options.issueType ?? 'Bug' },
        summary: `[${finding.severity}] ${finding.app}: ${finding.title}`.slice(0, 255),
        description: describe(finding),
        labels: ['vigil', `vigil-${finding.kind}`, `severity-${finding.severity}`],
      },
    });
    if (!result.ok) {
      return result;
    }
    const key = (body as { key?: unknown } | undefined)?.key;
    if (typeof key !== 'string') {
      return { ok: false, status: result.status, error: 'Jira answered without an issue key' };
    }
    return { ...result, ref: key };
  }

  /** Applies the done transition to the finding's issue. */
  async close(finding: TicketFinding): Promise<TicketResult> {
    if (!finding.ticket) {
      return { ok: false, status: null, error: 'the finding has no Jira issue to close' };
    }
    const path = `/rest/api/2/issue/${encodeURIComponent(finding.ticket)}/transitions`;
    const listed = await this.call('GET', path);
    if (!listed.result.ok) {
      return listed.result;
    }
    const wanted = (this.options.doneTransition ?? 'Done').toLowerCase();
    const transitions =
      (listed.body as { transitions?: Array<{ id?: string; name?: string }> } | undefined)
        ?.transitions ?? [];
    const done = transitions.find((t) => t.name?.toLowerCase() === wanted);
    if (!done?.id) {
      return {
        ok: false,
        status: listed.result.status,
        error: `issue ${finding.ticket} has no "${wanted}" transition`,
      };
    }
    return (await this.call('POST', path, { transition: { id: done.id } })).result;
  }

  private call(method: string, path: string, body?: unknown): ReturnType<typeof callTicketApi> {
    const auth = Buffer.from(`${this.options.user}:${this.options.token}`).toString('base64');
    return callTicketApi(
      `${this.base}${path}`,
      {
        method,
        headers: {
          authorization: `Basic ${auth}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      },
      this.options.timeoutMs,
    );
  }
}

function describe(finding: TicketFinding): string {
  return [
    finding.description ?? '',
    '',
    `Application: ${finding.app}`,
    `Severity: ${finding.severity}`,
    `First seen: ${finding.firstSeen}`,
    finding.dueAt ? `Fix by: ${finding.dueAt}` : '',
    `Vigil finding: ${finding.id} (fingerprint ${finding.fingerprint})`,
  ]
    .filter((line, index) => line !== '' || index === 1)
    .join('\n');
}
