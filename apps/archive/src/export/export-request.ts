import type { ReadWindow } from '@vigil/archive';
import { ApiError } from '@vigil/service-kit';
import { optionalDate } from '../query/query-request';

const MAX_TYPES = 64;

/** Checks the body of `POST /v1/archive/export`; a 400 names what is wrong. */
export function parseExportBody(body: unknown): ReadWindow {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(
      400,
      'invalid-request',
      'send a JSON object: {"from": "<ISO time>", "to": "<ISO time>", "types"?: [...], "app"?: "..."}',
    );
  }
  const { from, to, types = [], app } = body as Record<string, unknown>;
  const window = { from: requiredDate(from, 'from'), to: requiredDate(to, 'to') };
  if (window.from >= window.to) {
    throw new ApiError(400, 'invalid-request', '"from" must be before "to"');
  }
  if (!Array.isArray(types) || types.length > MAX_TYPES || !types.every(isText)) {
    throw new ApiError(
      400,
      'invalid-request',
      `"types" must be an array of at most ${MAX_TYPES} signal types`,
    );
  }
  if (app !== undefined && (!isText(app) || app.length > 256)) {
    throw new ApiError(400, 'invalid-request', '"app" must be an application name (≤ 256)');
  }
  return { ...window, types: types as string[], ...(app !== undefined && { app: app as string }) };
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function requiredDate(value: unknown, name: string): Date {
  const date = optionalDate(value, name);
  if (!date) {
    throw new ApiError(400, 'invalid-request', `"${name}" must be an ISO 8601 date-time`);
  }
  return date;
}
