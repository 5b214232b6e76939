import { FIELD_CATALOG, FIELD_NAMES } from '../field-catalog';
import {
  openSearchNames,
  parseSignalIndex,
  signalIndexOf,
  signalsIndexTemplate,
  summariesIndexBody,
} from './opensearch-mappings';
import { fieldPath } from './opensearch-query';

const names = openSearchNames('vigil');
const template = signalsIndexTemplate(names, 1) as {
  index_patterns: string[];
  template: {
    mappings: { dynamic: string; properties: Record<string, unknown> };
    aliases: Record<string, unknown>;
  };
};

function mappingAt(path: string): Record<string, unknown> | undefined {
  let level: Record<string, unknown> | undefined = template.template.mappings.properties;
  const steps = path.split('.');
  for (const [i, step] of steps.entries()) {
    const node = level?.[step] as Record<string, unknown> | undefined;
    if (i === steps.length - 1) {
      return node;
    }
    level = node?.['properties'] as Record<string, unknown> | undefined;
  }
  return undefined;
}

describe('OpenSearch index template (the template itself; the conformance suite runs it on a real node)', () => {
  it('covers the signal indices, puts them behind the query alias and maps strictly', () => {
    expect(template.index_patterns).toEqual(['vigil-signals-*']);
    expect(template.template.aliases).toEqual({ 'vigil-signals': {} });
    expect(template.template.mappings.dynamic).toBe('strict');
    expect(mappingAt('tenant')).toEqual({ type: 'keyword' });
    expect(mappingAt('data')).toEqual({ type: 'object', enabled: false });
  });

  it.each(FIELD_NAMES.map((name) => [name]))('maps %s explicitly, by its kind', (name) => {
    const mapping = mappingAt(fieldPath(name));
    const expected = {
      keyword: 'keyword',
      ip: 'keyword',
      date: 'date',
      number: 'long',
      text: 'text',
    }[FIELD_CATALOG[name].kind];
    expect(mapping?.['type']).toBe(expected);
    if (FIELD_CATALOG[name].text && FIELD_CATALOG[name].kind !== 'text') {
      expect(mapping?.['fields']).toEqual({ text: { type: 'text', analyzer: 'standard' } });
    }
  });

  it('names one index per signal type and month, and reads the name back for retention', () => {
    expect(signalIndexOf('vigil', 'scan.requested', '2026-11-20T10:00:00.000Z')).toBe(
      'vigil-signals-scan.requested-2026.11',
    );
    expect(parseSignalIndex('vigil', 'vigil-signals-attack-2026.12')).toEqual({
      type: 'attack',
      monthStart: Date.parse('2026-12-01T00:00:00Z'),
      monthEnd: Date.parse('2027-01-01T00:00:00Z'),
    });
    expect(parseSignalIndex('vigil', 'other-index')).toBeUndefined();
  });

  it('maps the summaries index strictly, counters stored but not indexed', () => {
    const body = summariesIndexBody(0) as {
      mappings: {
        dynamic: string;
        properties: Record<string, { type: string; enabled?: boolean }>;
      };
    };
    expect(body.mappings.dynamic).toBe('strict');
    expect(body.mappings.properties['hours']).toEqual({ type: 'object', enabled: false });
    expect(body.mappings.properties['lastSeen']).toEqual({ type: 'date' });
  });
});
