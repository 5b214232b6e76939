import type { Migration } from '@vigil/store';

/** The embedded insights store's schema (history table `insights_migrations`). */
export const INSIGHTS_MIGRATIONS: readonly Migration[] = [
  {
    id: '0001_signals_and_summaries',
    sql: `
      CREATE TABLE insights_signals (
        tenant text NOT NULL,
        id text COLLATE "C" NOT NULL,
        time timestamptz NOT NULL,
        received_at timestamptz NOT NULL,
        type text COLLATE "C" NOT NULL,
        app text COLLATE "C" NOT NULL,
        source text NOT NULL,
        fields jsonb NOT NULL,
        data jsonb,
        search tsvector NOT NULL,
        PRIMARY KEY (tenant, id)
      );
      CREATE INDEX insights_signals_by_time ON insights_signals (tenant, time DESC, id DESC);
      CREATE INDEX insights_signals_by_type ON insights_signals (tenant, type, time DESC);
      CREATE INDEX insights_signals_fields ON insights_signals USING gin (fields jsonb_path_ops);
      CREATE INDEX insights_signals_search ON insights_signals USING gin (search);
      CREATE INDEX insights_signals_retention ON insights_signals (type, time);

      CREATE TABLE insights_apps (
        tenant text NOT NULL,
        app text NOT NULL,
        first_seen timestamptz NOT NULL,
        last_seen timestamptz NOT NULL,
        signals bigint NOT NULL,
        runtime jsonb,
        runtime_at timestamptz,
        PRIMARY KEY (tenant, app)
      );
      CREATE TABLE insights_app_hours (
        tenant text NOT NULL,
        app text NOT NULL,
        hour timestamptz NOT NULL,
        attacks integer NOT NULL,
        failed_logins integer NOT NULL,
        PRIMARY KEY (tenant, app, hour)
      );
      CREATE TABLE insights_app_attackers (
        tenant text NOT NULL,
        app text NOT NULL,
        day date NOT NULL,
        ip text NOT NULL,
        attacks integer NOT NULL,
        PRIMARY KEY (tenant, app, day, ip)
      );
      CREATE TABLE insights_app_agents (
        tenant text NOT NULL,
        app text NOT NULL,
        agent text NOT NULL,
        last_seen timestamptz NOT NULL,
        PRIMARY KEY (tenant, app, agent)
      );
      CREATE TABLE insights_app_findings (
        tenant text NOT NULL,
        app text NOT NULL,
        fingerprint text NOT NULL,
        severity text NOT NULL,
        status text NOT NULL,
        last_seen timestamptz NOT NULL,
        PRIMARY KEY (tenant, app, fingerprint)
      );
    `,
  },
];
