import { eventOutboxMigration } from '@vigil/service-kit';
import type { Migration } from '@vigil/store';

/** Schema of the scans datastore. Never edit a released entry: append. */
export const SCANS_MIGRATIONS: readonly Migration[] = [
  {
    id: '0001_scans_jobs_findings_tickets',
    sql: `
      CREATE TABLE scans (
        id           text PRIMARY KEY,
        tenant       text NOT NULL,
        app          text NOT NULL,
        request      jsonb NOT NULL,
        state        text NOT NULL DEFAULT 'running',
        created_at   timestamptz NOT NULL DEFAULT now(),
        finished_at  timestamptz
      );
      CREATE INDEX scans_by_tenant ON scans (tenant, created_at DESC);

      CREATE TABLE jobs (
        id             text PRIMARY KEY,
        scan_id        text NOT NULL REFERENCES scans(id),
        tenant         text NOT NULL,
        kind           text NOT NULL,
        input          jsonb NOT NULL,
        job_key        text NOT NULL,
        depth          integer NOT NULL,
        parent_job_id  text,
        rule           text,
        state          text NOT NULL DEFAULT 'queued',
        dispatched     boolean NOT NULL DEFAULT false,
        key_ids        text[] NOT NULL DEFAULT '{}',
        attempts       integer NOT NULL DEFAULT 0,
        progress       integer,
        message        text,
        worker         text,
        findings       integer,
        deadline       timestamptz NOT NULL,
        created_at     timestamptz NOT NULL DEFAULT now(),
        started_at     timestamptz,
        finished_at    timestamptz,
        UNIQUE (scan_id, job_key)
      );
      CREATE INDEX jobs_undispatched ON jobs (created_at) WHERE NOT dispatched;
      CREATE INDEX jobs_open ON jobs (deadline) WHERE state IN ('queued', 'running');

      -- What each job reported, so a scan's result and "fixed" never wait for the findings stream.
      CREATE TABLE scan_findings (
        scan_id      text NOT NULL REFERENCES scans(id),
        fingerprint  text NOT NULL,
        job_id       text NOT NULL,
        kind         text NOT NULL,
        severity     text NOT NULL,
        title        text NOT NULL,
        PRIMARY KEY (scan_id, fingerprint)
      );

      CREATE TABLE findings (
        id             text PRIMARY KEY,
        tenant         text NOT NULL,
        app            text NOT NULL,
        fingerprint    text NOT NULL,
        kind           text NOT NULL,
        tool           jsonb NOT NULL,
        severity       text NOT NULL,
        title          text NOT NULL,
        description    text,
        location       jsonb,
        identifiers    jsonb,
        status         text NOT NULL DEFAULT 'open',
        status_reason  text,
        status_by      text,
        first_seen     timestamptz NOT NULL,
        last_seen      timestamptz NOT NULL,
        last_scan_id   text,
        due_at         timestamptz,
        fixed_at       timestamptz,
        ticket_ref     text,
        updated_at     timestamptz NOT NULL DEFAULT now(),
        UNIQUE (tenant, app, fingerprint)
      );
      CREATE INDEX findings_by_tenant ON findings (tenant, status, last_seen DESC);

      CREATE TABLE ticket_settings (
        tenant        text PRIMARY KEY,
        kind          text NOT NULL,
        url           text NOT NULL,
        min_severity  text NOT NULL,
        options       jsonb NOT NULL,
        sealed_secret text NOT NULL,
        updated_at    timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE ticket_deliveries (
        id               bigserial PRIMARY KEY,
        tenant           text NOT NULL,
        finding_id       text NOT NULL REFERENCES findings(id),
        action           text NOT NULL,
        state            text NOT NULL DEFAULT 'pending',
        attempts         integer NOT NULL DEFAULT 0,
        next_attempt_at  timestamptz NOT NULL DEFAULT now(),
        last_status      integer,
        last_error       text,
        created_at       timestamptz NOT NULL DEFAULT now(),
        delivered_at     timestamptz
      );
      CREATE INDEX ticket_deliveries_due ON ticket_deliveries (next_attempt_at) WHERE state = 'pending';
      CREATE INDEX ticket_deliveries_by_tenant ON ticket_deliveries (tenant, id DESC);
    `,
  },
  {
    // Several scans instances dispatch from one outbox: a job is claimed for a while before it
    // is keyed and queued, so only one instance mints its key and queues it.
    id: '0002_job_dispatch_claims',
    sql: `ALTER TABLE jobs ADD COLUMN dispatch_claimed_until timestamptz;`,
  },
  // Events published because of a change (a finding's status) commit with it (EventOutbox).
  eventOutboxMigration('0003_event_outbox'),
];
