import { findSchemasDir } from '../find-schemas-dir';
import { SchemaRegistry } from '../schema-registry';
import { SignalValidator } from '../signal-validator';
import type { TenantSchemaDefinition } from './tenant-schema-definition';

const ORDER: TenantSchemaDefinition = {
  tenant: 'acme',
  type: 'x-checkout.order',
  version: 1,
  status: 'active',
  registeredAt: '2026-12-03T08:00:00.000Z',
  updatedAt: '2026-12-03T08:00:00.000Z',
  schema: {
    title: 'Order',
    description: 'A checkout order',
    type: 'object',
    additionalProperties: false,
    required: ['orderId'],
    properties: {
      orderId: {
        description: 'Order id',
        type: 'string',
        maxLength: 64,
        pattern: '^[A-Z0-9]+$',
      },
      email: { description: 'Buyer', type: 'string', maxLength: 128, 'x-vigil-pii': true },
    },
  },
};

function envelope(type: string, data: unknown, extra: Record<string, unknown> = {}) {
  return {
    specversion: '1.0',
    id: 'o-1',
    source: 'app://shop',
    type,
    time: '2026-12-03T08:00:00Z',
    subject: 'shop',
    data,
    ...extra,
  };
}

describe('SchemaRegistry with tenant schemas', () => {
  let registry: SchemaRegistry;
  let validator: SignalValidator;

  beforeEach(() => {
    registry = SchemaRegistry.fromDirectory(findSchemasDir() as string);
    registry.putTenantSchema(ORDER);
    validator = new SignalValidator(registry);
  });

  it('validates its owner’s signals against the registered schema', () => {
    expect(
      validator.validate(envelope('x-checkout.order', { orderId: 'AB12' }), 'acme'),
    ).toMatchObject({ valid: true });
    const refused = validator.validate(envelope('x-checkout.order', { orderId: 'zz' }), 'acme');
    expect(refused).toMatchObject({
      valid: false,
      issues: [expect.objectContaining({ pointer: '/data/orderId', rule: 'pattern' })],
    });
  });

  it('runs tenant patterns on RE2: a pattern that backtracks exponentially in JavaScript answers at once', () => {
    // The screen refuses such a pattern; this is the engine's own guarantee behind it.
    const risky = {
      ...ORDER.schema,
      properties: {
        orderId: { description: 'Id', type: 'string', maxLength: 64, pattern: '^(a+)+$' },
      },
    };
    registry.putTenantSchema({ ...ORDER, type: 'x-checkout.risky', schema: risky });
    const result = validator.validate(
      envelope('x-checkout.risky', { orderId: `${'a'.repeat(48)}!` }),
      'acme',
    );
    expect(result).toMatchObject({
      valid: false,
      issues: [expect.objectContaining({ rule: 'pattern' })],
    });
  });

  it('treats another tenant’s type as unknown, without listing it', () => {
    const result = validator.validate(envelope('x-checkout.order', { orderId: 'A' }), 'globex');
    expect(result).toMatchObject({
      valid: false,
      issues: [expect.objectContaining({ rule: 'unknown-type' })],
    });
    const message = (result as unknown as { issues: Array<{ message: string; limit: string[] }> })
      .issues[0];
    expect(message?.message).toContain('"x-checkout.order"');
    expect(message?.limit).not.toContain('x-checkout.order');
  });

  it('lists built-in types and the caller’s own only', () => {
    expect(registry.visibleTo('acme').map((s) => s.name)).toContain('x-checkout.order');
    expect(registry.visibleTo('globex').map((s) => s.name)).not.toContain('x-checkout.order');
    expect(registry.visibleTo('globex').map((s) => s.name)).toContain('attack');
  });

  it('accepts a deprecated version with a warning and refuses a disabled one', () => {
    registry.putTenantSchema({ ...ORDER, status: 'deprecated' });
    expect(
      validator.validate(envelope('x-checkout.order', { orderId: 'A' }), 'acme'),
    ).toMatchObject({
      valid: true,
      warning: expect.stringContaining('deprecated'),
    });
    registry.putTenantSchema({ ...ORDER, status: 'disabled' });
    expect(
      validator.validate(envelope('x-checkout.order', { orderId: 'A' }), 'acme'),
    ).toMatchObject({
      valid: false,
      issues: [expect.objectContaining({ rule: 'disabled-version' })],
    });
  });

  it('refuses a version of another tenant’s type and a non-tenant type name', () => {
    expect(() => registry.putTenantSchema({ ...ORDER, tenant: 'globex' })).toThrow(
      /another tenant/,
    );
    expect(() => registry.putTenantSchema({ ...ORDER, type: 'attack' })).toThrow(
      /not a tenant type/,
    );
  });

  it('names the schema urn:vigil:signal:<type>:<version> and marks its owner', () => {
    expect(registry.get('signal', 'x-checkout.order', 1)).toMatchObject({
      id: 'urn:vigil:signal:x-checkout.order:1',
      owner: 'acme',
      typeName: 'XCheckoutOrderV1',
    });
  });
});
