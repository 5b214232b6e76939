import type { Severity } from '../severity';

/** What a ticket says about a finding. */
export interface TicketFinding {
  readonly id: string;
  readonly app: string;
  readonly fingerprint: string;
  readonly kind: string;
  readonly severity: Severity;
  readonly title: string;
  readonly description: string | null;
  readonly status: string;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly dueAt: string | null;
  /** The ticket opened earlier (for `close`). */
  readonly ticket: string | null;
}

/** The answer of a ticket system to one call. */
export type TicketResult =
  | { readonly ok: true; readonly status: number; readonly ref?: string }
  | { readonly ok: false; readonly status: number | null; readonly error: string };

/** Where tickets are opened and closed: a signed webhook or a Jira-compatible API. */
export interface TicketTarget {
  /** Opens a ticket for a new (or reopened) finding; `ref` names it when the system gives one. */
  open(finding: TicketFinding): Promise<TicketResult>;
  /** Closes the ticket of a finding that is fixed. */
  close(finding: TicketFinding): Promise<TicketResult>;
}

/** Calls `fetch` with a time limit and turns every outcome into a {@link TicketResult}. */
export async function callTicketApi(
  url: string,
  init: RequestInit,
  timeoutMs: number,
): Promise<{ result: TicketResult; body: unknown }> {
  try {
    const response = await fetch(url, {
      ...init,
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    const body = parseJson(text);
    if (!response.ok) {
      return {
        result: {
          ok: false,
          status: response.status,
          error: `HTTP ${response.status}: ${text.slice(0, 300)}`,
        },
        body,
      };
    }
    return { result: { ok: true, status: response.status }, body };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return {
      result: {
        ok: false,
        status: null,
        error: `${(error as Error).message}${cause ? ` (${cause})` : ''}`,
      },
      body: undefined,
    };
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
