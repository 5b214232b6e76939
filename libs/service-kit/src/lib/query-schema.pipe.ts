import type { PipeTransform } from '@nestjs/common';
import Ajv, { type ErrorObject, type JSONSchemaType, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { ApiError } from './api-error';

// Query strings arrive as text: numbers and booleans are coerced, defaults filled in, and
// parameters the schema does not declare are dropped (ignored, as they always were).
const ajv = addFormats(
  new Ajv({ allErrors: true, coerceTypes: true, useDefaults: true, removeAdditional: 'all' }),
);

/** One problem with a query parameter, as answered in `errors`. */
export interface QueryIssue {
  readonly parameter: string;
  readonly message: string;
}

/**
 * Validates and types a request's query parameters against a JSON Schema at the edge
 * (`@Query(new QuerySchemaPipe(schema)) query: T`). A bad parameter is a 400 `invalid-request`
 * naming the first problem, with every problem in `errors` — the same shape in every product.
 */
export class QuerySchemaPipe<T> implements PipeTransform<unknown, T> {
  private readonly validate: ValidateFunction<T>;

  constructor(schema: JSONSchemaType<T>) {
    this.validate = ajv.compile(schema);
  }

  transform(value: unknown): T {
    const query: unknown = { ...(value as object) };
    if (this.validate(query)) {
      return query;
    }
    const errors = (this.validate.errors ?? []).map(toIssue);
    throw new ApiError(
      400,
      'invalid-request',
      errors[0] ? `"${errors[0].parameter}" ${errors[0].message}` : 'invalid query parameters',
      undefined,
      { errors },
    );
  }
}

function toIssue(error: ErrorObject): QueryIssue {
  const parameter =
    error.instancePath.replace(/^\//, '') || String(error.params['missingProperty'] ?? '');
  if (error.keyword === 'enum') {
    const allowed = (error.params['allowedValues'] as unknown[]).join(', ');
    return { parameter, message: `must be one of ${allowed}` };
  }
  return { parameter, message: error.message ?? 'is invalid' };
}
