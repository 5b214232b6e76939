import { ApiError } from '@vigil/service-kit';

/** The body of `POST /v1/playbooks/backtest`. */
export interface BacktestBody {
  /** A playbook document to test (new, or a changed version of an existing one)… */
  readonly playbook?: unknown;
  /** …or the id of one of the tenant's playbooks, as it is. */
  readonly id?: string;
  readonly from: string;
  readonly to: string;
  readonly app?: string;
}

/** Checks the body's shape; a 400 names what is wrong. */
export function parseBacktestBody(body: unknown): BacktestBody {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid('send {"playbook": {...}} or {"id": "..."}, with "from" and "to" (ISO times)');
  }
  const { playbook, id, from, to, app } = body as Record<string, unknown>;
  if ((playbook === undefined) === (id === undefined)) {
    throw invalid('give exactly one of "playbook" (a document) and "id" (a saved playbook)');
  }
  if (id !== undefined && (typeof id !== 'string' || id.length === 0 || id.length > 64)) {
    throw invalid('"id" must be a playbook id');
  }
  const window = { from: isoTime(from, 'from'), to: isoTime(to, 'to') };
  if (Date.parse(window.from) >= Date.parse(window.to)) {
    throw invalid('"from" must be before "to"');
  }
  if (app !== undefined && (typeof app !== 'string' || app.length === 0 || app.length > 256)) {
    throw invalid('"app" must be an application name');
  }
  return {
    ...window,
    ...(playbook !== undefined && { playbook }),
    ...(id !== undefined && { id: id as string }),
    ...(app !== undefined && { app: app as string }),
  };
}

function isoTime(value: unknown, name: string): string {
  const time = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time)) {
    throw invalid(`"${name}" must be an ISO 8601 date-time`);
  }
  return new Date(time).toISOString();
}

function invalid(message: string): ApiError {
  return new ApiError(400, 'invalid-request', message);
}
