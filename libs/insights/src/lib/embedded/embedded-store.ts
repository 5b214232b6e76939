import { runMigrations, type SqlClient, type SqlPool } from '@vigil/store';
import { oldestHourKept, type AppSummaryState } from '../app-summary';
import {
  BucketLimitError,
  encodeCursor,
  TOTAL_LIMIT,
  type AggregationResult,
  type CheckedQuery,
  type SearchHit,
  type SearchResult,
} from '../insights-query';
import {
  retentionOf,
  type IndexOutcome,
  type InsightsStore,
  type RetentionPolicy,
} from '../insights-store';
import { searchableText, type SignalDocument } from '../signal-document';
import { summaryDeltas, type AppSummaryDelta, type RuntimeFacts } from '../summary-delta';
import { INSIGHTS_MIGRATIONS } from './embedded-migrations';
import { aggregationSql, pageSql, SqlParams, whereSql, WORDS } from './sql-query';

const DAY_MS = 86_400_000;
const PURGE_CHUNK = 10_000;

interface HitRow {
  id: string;
  time: Date;
  received_at: Date;
  type: string;
  app: string;
  source: string;
  fields: Record<string, string | number | boolean>;
  data: unknown;
  sort_value: string;
}

/**
 * The embedded insights store: PostgreSQL (or a PostgreSQL-compatible engine such as PGlite)
 * with JSONB fields and full-text search. A batch is one transaction: the documents that were
 * new and their summary increments commit together, so a redelivered signal finds its document
 * and changes nothing — summaries never count a signal twice.
 */
export class EmbeddedInsightsStore implements InsightsStore {
  readonly kind = 'embedded';

  constructor(private readonly pool: SqlPool) {}

  async prepare(): Promise<void> {
    await runMigrations(this.pool, 'insights', INSIGHTS_MIGRATIONS);
  }

  async index(documents: readonly SignalDocument[]): Promise<IndexOutcome> {
    const unique = [...new Map(documents.map((d) => [`${d.tenant}\u0000${d.id}`, d])).values()];
    if (unique.length === 0) {
      return { indexed: 0, duplicates: documents.length };
    }
    const inserted = await this.pool.transaction(async (client) => {
      const stored = await insertDocuments(client, unique);
      const fresh = unique.filter((d) => stored.has(`${d.tenant}\u0000${d.id}`));
      await applyDeltas(client, summaryDeltas(fresh));
      return fresh.length;
    });
    return { indexed: inserted, duplicates: documents.length - inserted };
  }

  async search(tenant: string, query: CheckedQuery): Promise<SearchResult> {
    const params = new SqlParams();
    const where = whereSql(tenant, query, params);
    const total = await this.pool.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM (SELECT 1 FROM insights_signals WHERE ${where} LIMIT ${TOTAL_LIMIT + 1}) matching`,
      params.values,
    );
    const count = total.rows[0]?.count ?? 0;
    const aggregations: Record<string, AggregationResult> = {};
    for (const aggregation of query.aggregations) {
      const aggregationParams = new SqlParams();
      const sql = aggregationSql(
        aggregation,
        whereSql(tenant, query, aggregationParams),
        aggregationParams,
      );
      const { rows } = await this.pool.query<{ key: string | Date; count: number; value: number }>(
        sql,
        aggregationParams.values,
      );
      if (aggregation.type === 'distinct') {
        aggregations[aggregation.name] = { value: rows[0]?.value ?? 0 };
        continue;
      }
      if (aggregation.type === 'countBy' && rows.length > query.bucketLimit) {
        throw new BucketLimitError(aggregation.name, aggregation.field, query.bucketLimit);
      }
      aggregations[aggregation.name] = {
        buckets: rows.map((row) => ({
          key: row.key instanceof Date ? row.key.toISOString() : row.key,
          count: row.count,
        })),
      };
    }
    const hits = query.size === 0 ? { hits: [], nextCursor: null } : await this.page(tenant, query);
    return {
      ...hits,
      total: { value: Math.min(count, TOTAL_LIMIT), relation: count > TOTAL_LIMIT ? 'gte' : 'eq' },
      aggregations,
    };
  }

  async summaries(tenant: string, now: number, app?: string): Promise<AppSummaryState[]> {
    const appFilter = app === undefined ? '' : ' AND app = $2';
    const values = app === undefined ? [tenant] : [tenant, app];
    const [apps, hours, attackers, agents, findings] = await Promise.all([
      this.pool.query<{
        app: string;
        first_seen: Date;
        last_seen: Date;
        signals: string;
        runtime: RuntimeFacts | null;
      }>(
        `SELECT app, first_seen, last_seen, signals, runtime FROM insights_apps WHERE tenant = $1${appFilter}`,
        values,
      ),
      this.pool.query<{ app: string; hour: Date; attacks: number; failed_logins: number }>(
        `SELECT app, hour, attacks, failed_logins FROM insights_app_hours WHERE tenant = $1${appFilter} AND hour >= $${values.length + 1}`,
        [...values, oldestHourKept(now)],
      ),
      this.pool.query<{ app: string; ip: string; attacks: number }>(
        `SELECT app, ip, attacks FROM (
           SELECT app, ip, sum(attacks)::int AS attacks,
                  row_number() OVER (PARTITION BY app ORDER BY sum(attacks) DESC, ip) AS rank
           FROM insights_app_attackers WHERE tenant = $1${appFilter} AND day >= $${values.length + 1}::date
           GROUP BY app, ip) ranked
         WHERE rank <= 5 ORDER BY app, rank`,
        [...values, new Date(now - 7 * DAY_MS).toISOString().slice(0, 10)],
      ),
      this.pool.query<{ app: string; agent: string; last_seen: Date }>(
        `SELECT app, agent, last_seen FROM insights_app_agents WHERE tenant = $1${appFilter}`,
        values,
      ),
      this.pool.query<{ app: string; severity: string; count: number }>(
        `SELECT app, severity, count(*)::int AS count FROM insights_app_findings
         WHERE tenant = $1${appFilter} AND status = 'open' GROUP BY app, severity`,
        values,
      ),
    ]);
    return apps.rows.map((row) => ({
      app: row.app,
      firstSeen: row.first_seen.toISOString(),
      lastSeen: row.last_seen.toISOString(),
      signals: Number(row.signals),
      hours: Object.fromEntries(
        hours.rows
          .filter((h) => h.app === row.app)
          .map((h) => [
            h.hour.toISOString(),
            { attacks: h.attacks, failedLogins: h.failed_logins },
          ]),
      ),
      topAttackers: attackers.rows
        .filter((a) => a.app === row.app)
        .map(({ ip, attacks }) => ({ ip, attacks })),
      agents: Object.fromEntries(
        agents.rows
          .filter((a) => a.app === row.app)
          .map((a) => [a.agent, a.last_seen.toISOString()]),
      ),
      runtime: row.runtime ?? undefined,
      openFindings: Object.fromEntries(
        findings.rows.filter((f) => f.app === row.app).map((f) => [f.severity, f.count]),
      ),
    }));
  }

  async purge(policy: RetentionPolicy, now: number): Promise<number> {
    const types = Object.keys(policy.byType);
    let dropped = 0;
    for (const type of types) {
      dropped += await this.deleteInChunks('type = $1', [
        type,
        new Date(now - retentionOf(policy, type)).toISOString(),
      ]);
    }
    dropped += await this.deleteInChunks('type <> ALL($1::text[])', [
      types,
      new Date(now - policy.defaultMs).toISOString(),
    ]);
    await this.pool.query('DELETE FROM insights_app_hours WHERE hour < $1', [oldestHourKept(now)]);
    await this.pool.query('DELETE FROM insights_app_attackers WHERE day < $1::date', [
      new Date(now - 8 * DAY_MS).toISOString().slice(0, 10),
    ]);
    return dropped;
  }

  async ping(): Promise<boolean> {
    return this.pool.query('SELECT 1').then(
      () => true,
      () => false,
    );
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  private async page(
    tenant: string,
    query: CheckedQuery,
  ): Promise<Pick<SearchResult, 'hits' | 'nextCursor'>> {
    const params = new SqlParams();
    const where = whereSql(tenant, query, params);
    const { after, orderBy } = pageSql(query, params);
    const sortColumn = query.sort.field === 'receivedAt' ? 'received_at' : query.sort.field;
    const { rows } = await this.pool.query<HitRow>(
      `SELECT id, time, received_at, type, app, source, fields, data, ${sortColumn} AS sort_value
       FROM insights_signals WHERE ${where}${after} ORDER BY ${orderBy} LIMIT ${query.size + 1}`,
      params.values,
    );
    const hits = rows.slice(0, query.size).map(toHit);
    const last = rows.length > query.size ? rows[query.size - 1] : undefined;
    const nextCursor = last
      ? encodeCursor(query.sort.field, { value: sortValueText(last.sort_value), id: last.id })
      : null;
    return { hits, nextCursor };
  }

  private async deleteInChunks(condition: string, values: [unknown, string]): Promise<number> {
    let dropped = 0;
    for (;;) {
      const { rows } = await this.pool.query<{ count: number }>(
        `WITH gone AS (
           DELETE FROM insights_signals WHERE ctid IN (
             SELECT ctid FROM insights_signals WHERE ${condition} AND time < $2::timestamptz LIMIT ${PURGE_CHUNK})
           RETURNING 1)
         SELECT count(*)::int AS count FROM gone`,
        values,
      );
      const count = rows[0]?.count ?? 0;
      dropped += count;
      if (count < PURGE_CHUNK) {
        return dropped;
      }
    }
  }
}

function toHit(row: HitRow): SearchHit {
  return {
    id: row.id,
    time: row.time.toISOString(),
    receivedAt: row.received_at.toISOString(),
    type: row.type,
    app: row.app,
    source: row.source,
    fields: row.fields,
    data: row.data,
  };
}

function sortValueText(value: unknown): string {
  return value instanceof Date ? value.toISOString() : String(value);
}

async function insertDocuments(
  client: SqlClient,
  documents: readonly SignalDocument[],
): Promise<Set<string>> {
  const rows = documents.map((d) => ({
    tenant: d.tenant,
    id: d.id,
    time: d.time,
    received_at: d.receivedAt,
    type: d.type,
    app: d.app,
    source: d.source,
    fields: d.fields,
    data: d.data,
    text: searchableText(d),
  }));
  const { rows: stored } = await client.query<{ tenant: string; id: string }>(
    `INSERT INTO insights_signals (tenant, id, time, received_at, type, app, source, fields, data, search)
     SELECT tenant, id, time, received_at, type, app, source, fields, data, to_tsvector('simple', ${WORDS('text')})
     FROM jsonb_to_recordset($1::jsonb) AS r(tenant text, id text, time timestamptz, received_at timestamptz,
       type text, app text, source text, fields jsonb, data jsonb, text text)
     ON CONFLICT DO NOTHING RETURNING tenant, id`,
    [JSON.stringify(rows)],
  );
  return new Set(stored.map((row) => `${row.tenant}\u0000${row.id}`));
}

/** Applies summary increments; rows in key order so concurrent batches never deadlock. */
async function applyDeltas(client: SqlClient, deltas: readonly AppSummaryDelta[]): Promise<void> {
  if (deltas.length === 0) {
    return;
  }
  await upsert(
    client,
    `INSERT INTO insights_apps (tenant, app, first_seen, last_seen, signals, runtime, runtime_at)
     SELECT tenant, app, first_seen, last_seen, signals, runtime, runtime_at FROM jsonb_to_recordset($1::jsonb)
       AS r(tenant text, app text, first_seen timestamptz, last_seen timestamptz, signals bigint, runtime jsonb, runtime_at timestamptz)
     ON CONFLICT (tenant, app) DO UPDATE SET
       first_seen = least(insights_apps.first_seen, excluded.first_seen),
       last_seen = greatest(insights_apps.last_seen, excluded.last_seen),
       signals = insights_apps.signals + excluded.signals,
       runtime = CASE WHEN excluded.runtime_at > insights_apps.runtime_at OR insights_apps.runtime_at IS NULL
                      THEN coalesce(excluded.runtime, insights_apps.runtime) ELSE insights_apps.runtime END,
       runtime_at = greatest(insights_apps.runtime_at, excluded.runtime_at)`,
    deltas.map((d) => ({
      tenant: d.tenant,
      app: d.app,
      first_seen: d.firstSeen,
      last_seen: d.lastSeen,
      signals: d.signals,
      runtime: d.runtime ?? null,
      runtime_at: d.runtime?.reportedAt ?? null,
    })),
  );
  await upsert(
    client,
    `INSERT INTO insights_app_hours (tenant, app, hour, attacks, failed_logins)
     SELECT tenant, app, hour, attacks, failed_logins FROM jsonb_to_recordset($1::jsonb)
       AS r(tenant text, app text, hour timestamptz, attacks int, failed_logins int)
     ON CONFLICT (tenant, app, hour) DO UPDATE SET
       attacks = insights_app_hours.attacks + excluded.attacks,
       failed_logins = insights_app_hours.failed_logins + excluded.failed_logins`,
    deltas.flatMap((d) =>
      sortedEntries(d.hours).map(([hour, c]) => ({
        tenant: d.tenant,
        app: d.app,
        hour,
        attacks: c.attacks,
        failed_logins: c.failedLogins,
      })),
    ),
  );
  await upsert(
    client,
    `INSERT INTO insights_app_attackers (tenant, app, day, ip, attacks)
     SELECT tenant, app, day, ip, attacks FROM jsonb_to_recordset($1::jsonb)
       AS r(tenant text, app text, day date, ip text, attacks int)
     ON CONFLICT (tenant, app, day, ip) DO UPDATE SET attacks = insights_app_attackers.attacks + excluded.attacks`,
    deltas.flatMap((d) =>
      sortedEntries(d.attackers).flatMap(([day, ips]) =>
        sortedEntries(ips).map(([ip, attacks]) => ({
          tenant: d.tenant,
          app: d.app,
          day,
          ip,
          attacks,
        })),
      ),
    ),
  );
  await upsert(
    client,
    `INSERT INTO insights_app_agents (tenant, app, agent, last_seen)
     SELECT tenant, app, agent, last_seen FROM jsonb_to_recordset($1::jsonb)
       AS r(tenant text, app text, agent text, last_seen timestamptz)
     ON CONFLICT (tenant, app, agent) DO UPDATE SET last_seen = greatest(insights_app_agents.last_seen, excluded.last_seen)`,
    deltas.flatMap((d) =>
      sortedEntries(d.agents).map(([agent, lastSeen]) => ({
        tenant: d.tenant,
        app: d.app,
        agent,
        last_seen: lastSeen,
      })),
    ),
  );
  await upsert(
    client,
    `INSERT INTO insights_app_findings (tenant, app, fingerprint, severity, status, last_seen)
     SELECT tenant, app, fingerprint, severity, status, last_seen FROM jsonb_to_recordset($1::jsonb)
       AS r(tenant text, app text, fingerprint text, severity text, status text, last_seen timestamptz)
     ON CONFLICT (tenant, app, fingerprint) DO UPDATE SET
       severity = excluded.severity, status = excluded.status, last_seen = excluded.last_seen
     WHERE excluded.last_seen >= insights_app_findings.last_seen`,
    deltas.flatMap((d) =>
      sortedEntries(d.findings).map(([fingerprint, f]) => ({
        tenant: d.tenant,
        app: d.app,
        fingerprint,
        severity: f.severity,
        status: f.status,
        last_seen: f.lastSeen,
      })),
    ),
  );
}

async function upsert(client: SqlClient, sql: string, rows: readonly object[]): Promise<void> {
  if (rows.length > 0) {
    await client.query(sql, [JSON.stringify(rows)]);
  }
}

function sortedEntries<T>(record: Readonly<Record<string, T>>): Array<[string, T]> {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1));
}
