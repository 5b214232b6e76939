import type { JSONSchemaType } from 'ajv';
import { SEVERITIES, type Severity } from '@vigil/scans';

const STATUSES = ['open', 'fixed', 'accepted', 'false-positive'] as const;

/** `GET /v1/findings` parameters. */
export interface FindingsQuery {
  app?: string;
  status?: (typeof STATUSES)[number];
  /** At least this severe. */
  severity?: Severity;
  kind?: string;
  scan?: string;
  /** Id of the last finding of the previous page. */
  after?: string;
  limit: number;
}

const text = { type: 'string', minLength: 1, maxLength: 128, nullable: true } as const;

export const FINDINGS_QUERY: JSONSchemaType<FindingsQuery> = {
  type: 'object',
  properties: {
    app: text,
    status: { type: 'string', enum: [...STATUSES], nullable: true },
    severity: { type: 'string', enum: [...SEVERITIES], nullable: true },
    kind: text,
    scan: text,
    after: text,
    limit: { type: 'integer', minimum: 1, maximum: 1_000, default: 100 },
  },
  required: ['limit'],
};
