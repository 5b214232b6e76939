import { eventOutboxMigration } from '@vigil/service-kit';
import type { Migration } from '@vigil/store';

/** The playbooks product's own schema (history table `playbooks_migrations`). */
export const PLAYBOOKS_MIGRATIONS: readonly Migration[] = [
  {
    id: '0001_playbooks',
    sql: `
      CREATE TABLE playbooks (
        tenant text NOT NULL,
        id text NOT NULL,
        version integer NOT NULL,
        definition jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant, id)
      );
      CREATE TABLE detections (
        id text PRIMARY KEY,
        tenant text NOT NULL,
        playbook_id text NOT NULL,
        playbook_version integer NOT NULL,
        app text,
        detected_at timestamptz NOT NULL,
        outcome text NOT NULL,
        evidence jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX detections_by_tenant ON detections (tenant, detected_at DESC);
      CREATE TABLE responses (
        id text PRIMARY KEY,
        tenant text NOT NULL,
        app text NOT NULL,
        action text NOT NULL,
        target_ip text,
        target_user text,
        until timestamptz NOT NULL,
        reason text NOT NULL,
        playbook_id text NOT NULL,
        playbook_version integer NOT NULL,
        playbook_name text NOT NULL,
        detection_id text NOT NULL REFERENCES detections (id),
        detected_at timestamptz NOT NULL,
        simulated boolean NOT NULL,
        status text NOT NULL,
        published boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        ended_at timestamptz,
        ended_by text
      );
      CREATE INDEX responses_active ON responses (tenant, app) WHERE status = 'active';
      CREATE INDEX responses_expiry ON responses (until) WHERE status = 'active';
      CREATE INDEX responses_by_playbook ON responses (tenant, playbook_id, playbook_version);
      CREATE TABLE response_events (
        seq bigserial PRIMARY KEY,
        tenant text NOT NULL,
        app text NOT NULL,
        response_id text NOT NULL REFERENCES responses (id),
        kind text NOT NULL,
        at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX response_events_by_app ON response_events (tenant, app, seq);
      CREATE TABLE response_acks (
        response_id text NOT NULL REFERENCES responses (id),
        agent text NOT NULL,
        acked_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (response_id, agent)
      );
      CREATE TABLE allowlist (
        tenant text NOT NULL,
        kind text NOT NULL,
        value text NOT NULL,
        note text,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant, kind, value)
      );
    `,
  },
  {
    // At most one active block per target, enforced by the database: two dispatches racing
    // (two instances, or one burst) could each find none and insert one. Blocks already
    // doubled are ended first, the earliest kept, so the index can be built on live data.
    id: '0002_one_active_response_per_target',
    sql: `
      UPDATE responses AS r SET status = 'revoked', ended_at = now(), ended_by = 'duplicate'
      WHERE r.status = 'active' AND EXISTS (
        SELECT 1 FROM responses AS first
        WHERE first.status = 'active' AND first.tenant = r.tenant AND first.app = r.app
          AND first.action = r.action
          AND first.target_ip IS NOT DISTINCT FROM r.target_ip
          AND first.target_user IS NOT DISTINCT FROM r.target_user
          AND (first.created_at, first.id) < (r.created_at, r.id)
      );
      CREATE UNIQUE INDEX responses_one_active_ip ON responses (tenant, app, action, target_ip)
        WHERE status = 'active' AND target_ip IS NOT NULL;
      CREATE UNIQUE INDEX responses_one_active_user ON responses (tenant, app, action, target_user)
        WHERE status = 'active' AND target_user IS NOT NULL;
    `,
  },
  {
    // An instance taking a detection partition reads every tenant's recent detections.
    id: '0003_detections_by_time',
    sql: `CREATE INDEX detections_by_time ON detections (detected_at);`,
  },
  // Unblocks commit with the change that ends their response, and are relayed after.
  eventOutboxMigration('0004_event_outbox'),
  {
    // Tenants' named lists for playbook conditions (inList), and their extensions of shipped ones.
    id: '0005_lists',
    sql: `
      CREATE TABLE lists (
        tenant text NOT NULL,
        name text NOT NULL,
        kind text NOT NULL,
        description text NOT NULL DEFAULT '',
        entries jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant, name)
      );
    `,
  },
];
