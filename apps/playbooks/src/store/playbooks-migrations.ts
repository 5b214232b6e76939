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
];
