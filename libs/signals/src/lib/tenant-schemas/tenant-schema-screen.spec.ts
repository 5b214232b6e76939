import { screenTenantSchema } from './tenant-schema-screen';

const field = (extra: Record<string, unknown>) => ({ description: 'a field', ...extra });

/** A schema that passes the screen: every hostile case below changes one thing in it. */
function orderSchema(properties: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: 'Order',
    description: 'A checkout order',
    type: 'object',
    additionalProperties: false,
    required: ['orderId'],
    properties: {
      orderId: field({ type: 'string', maxLength: 64, pattern: '^[A-Z0-9-]+$' }),
      amount: field({ type: 'number', minimum: 0 }),
      ...properties,
    },
  };
}

function nested(depth: number): Record<string, unknown> {
  let node: Record<string, unknown> = field({ type: 'string', maxLength: 1 });
  for (let i = 0; i < depth; i += 1) {
    node = field({ type: 'object', additionalProperties: false, properties: { a: node } });
  }
  return { ...node, title: 'Deep' };
}

const rulesOf = (schema: unknown) => screenTenantSchema(schema).map((i) => i.rule);

describe('screenTenantSchema', () => {
  it('passes a bounded, described, self-contained schema', () => {
    expect(screenTenantSchema(orderSchema())).toEqual([]);
  });

  it.each([
    ['nesting 10 000 deep', nested(10_000), 'too-deep'],
    [
      'a 1 MB enum',
      orderSchema({ e: field({ enum: Array.from({ length: 70_000 }, (_, i) => `value-${i}`) }) }),
      'enum-too-large',
    ],
    [
      'a catastrophic regex',
      orderSchema({ p: field({ type: 'string', maxLength: 9, pattern: '^(a+)+$' }) }),
      'unsafe-pattern',
    ],
    [
      'a backreference RE2 cannot run',
      orderSchema({ p: field({ type: 'string', maxLength: 9, pattern: '(a)\\1' }) }),
      'pattern',
    ],
    ['a remote $ref', orderSchema({ r: { $ref: 'https://example.com/evil.json' } }), 'keyword'],
    ['a file $ref', orderSchema({ r: { $ref: 'file:///etc/passwd' } }), 'keyword'],
    [
      '$data',
      orderSchema({ n: field({ type: 'number', maximum: { $data: '1/amount' } }) }),
      'keyword',
    ],
    [
      'an unknown keyword',
      orderSchema({ u: field({ type: 'string', maxLength: 3, maxLenght: 4 }) }),
      'keyword',
    ],
    [
      '10 000 properties',
      orderSchema(
        Object.fromEntries(
          Array.from({ length: 10_000 }, (_, i) => [`p${i}`, field({ type: 'boolean' })]),
        ),
      ),
      'too-many-properties',
    ],
    ['a string without maxLength', orderSchema({ s: field({ type: 'string' }) }), 'unbounded'],
    [
      'an array without maxItems',
      orderSchema({ a: field({ type: 'array', items: field({ type: 'integer' }) }) }),
      'unbounded',
    ],
    ['an undescribed field', orderSchema({ s: { type: 'boolean' } }), 'unbounded'],
    [
      'a huge maxLength',
      orderSchema({ s: field({ type: 'string', maxLength: 1e9 }) }),
      'bound-too-large',
    ],
    ['a non-object root', { type: 'string', maxLength: 3 }, 'type'],
    ['an $id of its own', { ...orderSchema(), $id: 'urn:vigil:signal:attack:9' }, 'keyword'],
  ])('refuses %s, naming why', (_name, schema, rule) => {
    const issues = screenTenantSchema(schema);
    expect(issues.map((i) => i.rule)).toContain(rule);
    expect(issues.every((i) => i.message.length > 10)).toBe(true);
  });

  it('refuses a schema over the size limit', () => {
    const big = orderSchema({ d: field({ type: 'boolean', $comment: 'x'.repeat(70_000) }) });
    expect(rulesOf(big)).toEqual(['schema-too-large']);
  });

  it('names the field at fault', () => {
    const [first] = screenTenantSchema(orderSchema({ s: field({ type: 'string' }) }));
    expect(first).toMatchObject({ pointer: '/s', message: expect.stringContaining('maxLength') });
  });
});
