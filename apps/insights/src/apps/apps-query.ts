import type { JSONSchemaType } from 'ajv';
import { APP_SORT_KEYS, type AppsSelection, type AppSortKey } from '@vigil/insights';

/** `GET /v1/apps` parameters. */
export interface AppsQuery {
  minAttacks24h?: number;
  minAttacks7d?: number;
  processUser?: string;
  hasOpenFindings?: boolean;
  seenSince?: string;
  /** A sort key, prefixed with `-` for descending. */
  sort: string;
  limit: number;
  offset: number;
}

const count = { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER } as const;

export const APPS_QUERY: JSONSchemaType<AppsQuery> = {
  type: 'object',
  properties: {
    minAttacks24h: { ...count, nullable: true },
    minAttacks7d: { ...count, nullable: true },
    processUser: { type: 'string', minLength: 1, maxLength: 128, nullable: true },
    hasOpenFindings: { type: 'boolean', nullable: true },
    seenSince: { type: 'string', format: 'date-time', nullable: true },
    sort: {
      type: 'string',
      enum: APP_SORT_KEYS.flatMap((key) => [key, `-${key}`]),
      default: '-lastSeen',
    },
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
    offset: { ...count, default: 0 },
  },
  required: ['sort', 'limit', 'offset'],
};

/** The selection the query asks for. */
export function toSelection(query: AppsQuery): AppsSelection {
  const descending = query.sort.startsWith('-');
  return {
    minAttacks24h: query.minAttacks24h,
    minAttacks7d: query.minAttacks7d,
    processUser: query.processUser,
    hasOpenFindings: query.hasOpenFindings,
    seenSince: query.seenSince === undefined ? undefined : new Date(query.seenSince).toISOString(),
    sort: (descending ? query.sort.slice(1) : query.sort) as AppSortKey,
    order: descending ? 'desc' : 'asc',
    limit: query.limit,
    offset: query.offset,
  };
}
