import type { JSONSchemaType } from 'ajv';

/** `GET /v1/scans` parameters. */
export interface ScansQuery {
  app?: string;
  state?: 'running' | 'succeeded' | 'failed';
  limit: number;
}

export const SCANS_QUERY: JSONSchemaType<ScansQuery> = {
  type: 'object',
  properties: {
    app: { type: 'string', minLength: 1, maxLength: 128, nullable: true },
    state: { type: 'string', enum: ['running', 'succeeded', 'failed'], nullable: true },
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
  },
  required: ['limit'],
};
