import type { JSONSchemaType } from 'ajv';

/** `GET /v1/tickets/deliveries` parameters. */
export interface DeliveriesQuery {
  state?: 'pending' | 'delivered' | 'failed';
  limit: number;
}

export const DELIVERIES_QUERY: JSONSchemaType<DeliveriesQuery> = {
  type: 'object',
  properties: {
    state: { type: 'string', enum: ['pending', 'delivered', 'failed'], nullable: true },
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
  },
  required: ['limit'],
};
