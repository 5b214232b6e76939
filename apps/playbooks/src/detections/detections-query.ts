import type { JSONSchemaType } from 'ajv';

/** `GET /v1/detections` parameters. */
export interface DetectionsQuery {
  app?: string;
  playbook?: string;
  from?: string;
  to?: string;
  limit: number;
}

const text = { type: 'string', minLength: 1, maxLength: 256, nullable: true } as const;
const time = { type: 'string', format: 'date-time', nullable: true } as const;

export const DETECTIONS_QUERY: JSONSchemaType<DetectionsQuery> = {
  type: 'object',
  properties: {
    app: text,
    playbook: text,
    from: time,
    to: time,
    limit: { type: 'integer', minimum: 1, maximum: 1_000, default: 100 },
  },
  required: ['limit'],
};
