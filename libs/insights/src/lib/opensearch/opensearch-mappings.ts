import { CORE_FIELDS, FIELD_CATALOG, FIELD_NAMES, type FieldKind } from '../field-catalog';

/** Names of the indices, alias and template of one installation (all under one prefix). */
export interface OpenSearchNames {
  /** Alias every query goes through: `<prefix>-signals`. */
  readonly signalsAlias: string;
  /** Pattern of the signal indices, one per type and month: `<prefix>-signals-<type>-<yyyy.mm>`. */
  readonly signalsPattern: string;
  readonly signalsTemplate: string;
  /** The index of application summaries, one document per (tenant, application). */
  readonly summariesIndex: string;
}

/** The names under `prefix` (default `vigil`). */
export function openSearchNames(prefix: string): OpenSearchNames {
  return {
    signalsAlias: `${prefix}-signals`,
    signalsPattern: `${prefix}-signals-*`,
    signalsTemplate: `${prefix}-signals`,
    summariesIndex: `${prefix}-app-summaries`,
  };
}

/** The index a signal of `type` at `time` (ISO) goes to. */
export function signalIndexOf(prefix: string, type: string, time: string): string {
  return `${prefix}-signals-${type.toLowerCase()}-${time.slice(0, 4)}.${time.slice(5, 7)}`;
}

/** Reads `<prefix>-signals-<type>-<yyyy.mm>` back, or undefined for another index. */
export function parseSignalIndex(
  prefix: string,
  index: string,
): { type: string; monthStart: number; monthEnd: number } | undefined {
  const match = new RegExp(`^${prefix}-signals-(.+)-(\\d{4})\\.(\\d{2})$`).exec(index);
  if (!match) {
    return undefined;
  }
  const [, type, year, month] = match as unknown as [string, string, string, string];
  return {
    type,
    monthStart: Date.UTC(Number(year), Number(month) - 1, 1),
    monthEnd: Date.UTC(Number(year), Number(month), 1),
  };
}

const MAPPING_OF: Record<FieldKind, Record<string, unknown>> = {
  keyword: { type: 'keyword', ignore_above: 1024 },
  // IPs stay keywords: the query model compares and prefixes them as text, as the embedded store does.
  ip: { type: 'keyword', ignore_above: 64 },
  date: { type: 'date' },
  number: { type: 'long' },
  text: { type: 'text', analyzer: 'standard' },
};

function mappingOf(kind: FieldKind, searchable: boolean): Record<string, unknown> {
  if (kind !== 'text' && searchable) {
    return { ...MAPPING_OF[kind], fields: { text: { type: 'text', analyzer: 'standard' } } };
  }
  return MAPPING_OF[kind];
}

/** Mappings of the catalog fields under `fields`, dotted names as nested objects (`actor.ip`). */
function catalogProperties(): Record<string, unknown> {
  const root: Record<string, { properties?: Record<string, unknown> } & Record<string, unknown>> =
    {};
  const core = new Set<string>(CORE_FIELDS);
  for (const name of FIELD_NAMES.filter((field) => !core.has(field))) {
    const spec = FIELD_CATALOG[name];
    const steps = name.split('.');
    let level: Record<string, unknown> = root;
    for (const step of steps.slice(0, -1)) {
      const next = (level[step] ??= { properties: {} }) as { properties: Record<string, unknown> };
      level = next.properties;
    }
    level[steps[steps.length - 1] as string] = mappingOf(spec.kind, spec.text === true);
  }
  return root;
}

/**
 * The index template of the signal indices: explicit, strict mappings (nothing a producer sends
 * can add a field), the payload kept but not indexed, and the query alias on every index.
 */
export function signalsIndexTemplate(
  names: OpenSearchNames,
  replicas: number,
): Record<string, unknown> {
  return {
    index_patterns: [names.signalsPattern],
    priority: 100,
    template: {
      settings: { number_of_shards: 1, number_of_replicas: replicas, refresh_interval: '1s' },
      mappings: {
        dynamic: 'strict',
        properties: {
          tenant: { type: 'keyword' },
          id: { type: 'keyword' },
          time: { type: 'date' },
          receivedAt: { type: 'date' },
          type: { type: 'keyword' },
          app: { type: 'keyword' },
          source: { type: 'keyword', ignore_above: 1024 },
          summarized: { type: 'boolean' },
          // When the batch that stored the document claimed its summary (see summaryClaimMs).
          claimedAt: { type: 'date', format: 'epoch_millis' },
          fields: { properties: catalogProperties() },
          data: { type: 'object', enabled: false },
        },
      },
      aliases: { [names.signalsAlias]: {} },
    },
  };
}

/** The summaries index: what queries filter on is mapped; the counters are kept, not indexed. */
export function summariesIndexBody(replicas: number): Record<string, unknown> {
  const stored = { type: 'object', enabled: false };
  return {
    settings: { number_of_shards: 1, number_of_replicas: replicas },
    mappings: {
      dynamic: 'strict',
      properties: {
        tenant: { type: 'keyword' },
        app: { type: 'keyword' },
        firstSeen: { type: 'date' },
        lastSeen: { type: 'date' },
        signals: { type: 'long' },
        hours: stored,
        attackers: stored,
        agents: stored,
        runtime: stored,
        findings: stored,
      },
    },
  };
}
