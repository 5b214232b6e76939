import { Inject, Injectable } from '@nestjs/common';
import type { StatusChange } from '@vigil/scans';
import { ApiError, DATABASE, EventOutbox } from '@vigil/service-kit';
import type { SqlPool } from '@vigil/store';
import { FindingRepository, type FindingView } from '../store/finding.repository';
import { FindingStatusOutbox } from './finding-status-outbox';
import type { FindingsQuery } from './findings-query';

/** A page of findings and the cursor of the next one. */
export interface FindingsPage {
  readonly findings: FindingView[];
  readonly next: string | null;
}

/** Tracked findings: listing, reading, and status changes by hand. */
@Injectable()
export class FindingsService {
  constructor(
    private readonly findings: FindingRepository,
    private readonly statusOutbox: FindingStatusOutbox,
    private readonly outbox: EventOutbox,
    @Inject(DATABASE) private readonly pool: SqlPool,
  ) {}

  async list(tenant: string, query: FindingsQuery): Promise<FindingsPage> {
    const findings = await this.findings.list(tenant, {
      app: query.app,
      status: query.status,
      minSeverity: query.severity,
      kind: query.kind,
      scanId: query.scan,
      after: query.after,
      limit: query.limit,
    });
    const next = findings.length === query.limit ? (findings.at(-1)?.id ?? null) : null;
    return { findings, next };
  }

  async get(tenant: string, id: string): Promise<FindingView> {
    return (await this.findings.get(tenant, id)) ?? notFound(id);
  }

  /** Sets the status; the status signal commits with the change and is published after. */
  async setStatus(
    tenant: string,
    id: string,
    change: StatusChange,
    by: string,
  ): Promise<FindingView> {
    const finding = await this.pool.transaction(async (db) => {
      const changed = await this.findings.setStatus(db, tenant, id, change, by);
      if (changed) {
        await this.statusOutbox.add(db, tenant, changed);
      }
      return changed;
    });
    if (!finding) {
      return notFound(id);
    }
    this.outbox.kick();
    return finding;
  }
}

function notFound(id: string): never {
  throw new ApiError(404, 'not-found', `no finding "${id}"`);
}
