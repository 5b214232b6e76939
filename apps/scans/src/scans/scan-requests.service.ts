import { Inject, Injectable } from '@nestjs/common';
import { planJobs, ScanRequestChecker, type ScanRequest } from '@vigil/scans';
import { ApiError, PRODUCT_CONFIG } from '@vigil/service-kit';
import type { Credential } from '@vigil/tenants';
import type { ScansConfig } from '../config/scans.config';
import { JobDispatcher } from '../jobs/job-dispatcher';
import { SCANS_METRICS, type ScansMetrics } from '../scans-metrics';
import { ScanRepository, type ScanView } from '../store/scan.repository';
import type { ScansQuery } from './scans-query';

/** A requested scan as answered. */
export interface ScanAccepted {
  readonly id: string;
  readonly state: 'running';
  readonly jobs: number;
}

/** Scan requests: checked, planned into jobs, stored and dispatched; and reading them back. */
@Injectable()
export class ScanRequestsService {
  constructor(
    private readonly checker: ScanRequestChecker,
    private readonly scans: ScanRepository,
    private readonly dispatcher: JobDispatcher,
    @Inject(PRODUCT_CONFIG) private readonly config: ScansConfig,
    @Inject(SCANS_METRICS) private readonly metrics: ScansMetrics,
  ) {}

  /** Stores the scan with its jobs and dispatches them now. */
  async request(credential: Credential, body: unknown): Promise<ScanAccepted> {
    const issues = this.checker.check(body);
    if (issues.length > 0) {
      const message = issues[0]?.message ?? 'invalid scan request';
      throw new ApiError(400, 'invalid-scan-request', message, undefined, { errors: issues });
    }
    const scan = body as ScanRequest;
    if (credential.app !== null && credential.app !== scan.application) {
      throw new ApiError(
        403,
        'forbidden',
        `this API key may only request scans of "${credential.app}"`,
      );
    }
    const jobs = planJobs(scan);
    const deadline = new Date(Date.now() + this.config.jobs.deadlineMs);
    const id = await this.scans.create(credential.tenant, scan, jobs, deadline);
    this.metrics.scans.inc();
    void this.dispatcher.kick();
    return { id, state: 'running', jobs: jobs.length };
  }

  /** Newest first; a key bound to an application sees only that one. */
  list(credential: Credential, query: ScansQuery): Promise<unknown[]> {
    const app = credential.app ?? query.app;
    return this.scans.list(credential.tenant, { app, state: query.state, limit: query.limit });
  }

  async get(credential: Credential, id: string): Promise<ScanView> {
    const scan = await this.scans.get(credential.tenant, id);
    if (!scan || (credential.app !== null && scan.app !== credential.app)) {
      throw new ApiError(404, 'not-found', `no scan "${id}"`);
    }
    return scan;
  }
}
