import { sampleAttackEnvelope } from '../testing';
import { findSchemasDir } from './find-schemas-dir';
import { SchemaRegistry } from './schema-registry';
import { SignalValidator, type SignalValidationResult } from './signal-validator';
import { MAX_ISSUES, type ValidationIssue } from './validation-issue';

const validator = new SignalValidator(SchemaRegistry.fromDirectory(findSchemasDir() as string));

function attack(
  overrides: Record<string, unknown> = {},
  data: Record<string, unknown> = {},
): Record<string, unknown> {
  return sampleAttackEnvelope('evt-1', overrides, data);
}

function issuesOf(result: SignalValidationResult): readonly ValidationIssue[] {
  return result.valid ? [] : result.issues;
}

function deeplyNested(depth: number): unknown {
  let value: unknown = { leaf: true };
  for (let i = 0; i < depth; i++) {
    value = { child: value, list: [value] };
  }
  return value;
}

describe('SignalValidator', () => {
  it('accepts a valid envelope and names the payload schema it satisfied', () => {
    const result = validator.validate(attack());
    expect(result.valid).toBe(true);
    expect(result.valid && result.payloadSchema.id).toBe('urn:vigil:signal:attack:1');
    expect(result.valid && result.envelope.subject).toBe('shop');
  });

  it('refuses an envelope that is not an object with a clear issue, not an exception', () => {
    for (const input of [null, undefined, 42, 'attack', true, [], [attack()]]) {
      expect(issuesOf(validator.validate(input))).toEqual([
        {
          pointer: '',
          rule: 'type',
          message: 'the document must be a JSON object (one CloudEvents envelope)',
          limit: 'object',
        },
      ]);
    }
  });

  it('never throws on hostile values', () => {
    const hostile: unknown[] = [
      NaN,
      Infinity,
      Symbol('x'),
      () => 1,
      new Date(),
      Object.create(null),
      deeplyNested(5_000),
      attack({}, { rule: deeplyNested(5_000) }),
      JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}}'),
      attack(JSON.parse('{"__proto__": {"admin": true}}')),
      new Proxy(
        {},
        {
          get: () => {
            throw new Error('boom');
          },
          ownKeys: () => {
            throw new Error('boom');
          },
        },
      ),
    ];
    for (const input of hostile) {
      expect(() => validator.validate(input)).not.toThrow();
      expect(validator.validate(input).valid).toBe(false);
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('reports "__proto__" and "constructor" keys sent as JSON as unknown fields', () => {
    const input = JSON.parse(
      JSON.stringify(attack()).replace('"data":{', '"data":{"__proto__":{"x":1},"constructor":1,'),
    );
    const pointers = issuesOf(validator.validate(input)).map((i) => i.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['/data/__proto__', '/data/constructor']));
  });

  it.each(['vigil', 'tenant', 'tenantid', 'keyid', 'isadmin', 'scopes'])(
    'refuses the attribute "%s", which would sit beside what the platform records',
    (name) => {
      const issues = issuesOf(validator.validate(attack({ [name]: 'globex' })));
      expect(issues).toEqual([
        expect.objectContaining({
          pointer: `/${name}`,
          rule: 'reserved',
          message: `"${name}" is reserved for the platform and must not be sent`,
        }),
      ]);
    },
  );

  it('does not let an inherited property satisfy "required"', () => {
    const data = Object.create({ category: 'sqli' }) as Record<string, unknown>;
    Object.assign(data, { action: 'blocked', rule: { id: 'r' }, actor: { ip: '203.0.113.9' } });
    expect(issuesOf(validator.validate({ ...attack(), data }))).toContainEqual(
      expect.objectContaining({ pointer: '/data/category', rule: 'required' }),
    );
  });

  it('validates the envelope first and does not look at the payload of a broken envelope', () => {
    const issues = issuesOf(
      validator.validate(attack({ source: undefined }, { category: 'nope' })),
    );
    expect(issues.map((i) => i.pointer)).toEqual(['/source']);
  });

  it('reports every payload problem at once, with pointers into the submitted document', () => {
    const issues = issuesOf(
      validator.validate(attack({}, { category: 'nope', actor: { ip: '1.2.3.4.5' }, extra: 1 })),
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ pointer: '/data/category', rule: 'enum' }),
        {
          pointer: '/data/actor/ip',
          rule: 'anyOf',
          message: '"data.actor.ip" must be an IPv4 address or an IPv6 address',
          limit: ['ipv4', 'ipv6'],
        },
        expect.objectContaining({ pointer: '/data/extra', rule: 'additionalProperties' }),
      ]),
    );
    expect(issues).toHaveLength(3);
  });

  it('gives the limit of a bound and a sentence that says it', () => {
    const issues = issuesOf(validator.validate(attack({ id: 'x'.repeat(200) })));
    expect(issues).toEqual([
      {
        pointer: '/id',
        rule: 'maxLength',
        message: '"id" must be at most 128 characters long',
        limit: 128,
      },
    ]);
  });

  it('escapes "/" and "~" in pointers (RFC 6901)', () => {
    const issues = issuesOf(validator.validate(attack({}, { 'a/b~c': 1 })));
    expect(issues).toContainEqual(
      expect.objectContaining({
        pointer: '/data/a~1b~0c',
        message: expect.stringContaining('"data.a/b~c"'),
      }),
    );
  });

  it('caps the number of issues reported for one document', () => {
    const extra = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`f${i}`, i]));
    expect(issuesOf(validator.validate(attack({}, extra)))).toHaveLength(MAX_ISSUES);
  });

  describe('payload version selection', () => {
    it('uses version 1 when neither dataschema nor dataversion is given', () => {
      const result = validator.validate(attack());
      expect(result.valid && result.payloadSchema.version).toBe(1);
    });

    it('accepts dataschema and dataversion that agree', () => {
      expect(
        validator.validate(attack({ dataschema: 'urn:vigil:signal:attack:1', dataversion: 1 }))
          .valid,
      ).toBe(true);
    });

    it('refuses dataschema and dataversion that disagree', () => {
      expect(
        issuesOf(
          validator.validate(attack({ dataschema: 'urn:vigil:signal:attack:1', dataversion: 2 })),
        ),
      ).toEqual([
        expect.objectContaining({ pointer: '/dataversion', rule: 'dataschema-mismatch' }),
      ]);
    });

    it('refuses an unknown version named by dataschema, listing the known ones', () => {
      expect(
        issuesOf(validator.validate(attack({ dataschema: 'urn:vigil:signal:attack:9' }))),
      ).toEqual([
        {
          pointer: '/dataschema',
          rule: 'unknown-version',
          message:
            '"dataschema" selects version 9 of "attack", which is not registered (known versions: 1)',
          limit: [1],
        },
      ]);
    });

    it('refuses a dataschema that is not a Vigil schema', () => {
      expect(
        issuesOf(validator.validate(attack({ dataschema: 'https://example.com/attack.json' }))),
      ).toEqual([expect.objectContaining({ pointer: '/dataschema', rule: 'dataschema-mismatch' })]);
    });
  });

  it('refuses an unknown type and lists the known ones', () => {
    const [only] = issuesOf(validator.validate(attack({ type: 'login' })));
    expect(only?.rule).toBe('unknown-type');
    expect(only?.limit).toEqual(expect.arrayContaining(['attack', 'auth', 'scan.requested']));
  });

  it('requires "until" only when the response blocks', () => {
    const response = (data: Record<string, unknown>) => ({ ...attack(), type: 'response', data });
    expect(
      validator.validate(
        response({ action: 'unblock', target: { ip: '203.0.113.9' }, reason: 'lifted' }),
      ).valid,
    ).toBe(true);
    expect(
      issuesOf(
        validator.validate(
          response({ action: 'block', target: { ip: '203.0.113.9' }, reason: 'peak' }),
        ),
      ),
    ).toEqual([expect.objectContaining({ pointer: '/data/until', rule: 'required' })]);
  });
});
