import { Inject, Injectable } from '@nestjs/common';
import {
  BucketLimitError,
  QueryChecker,
  selectApps,
  summarize,
  type AppsSelection,
  type AppSummary,
  type InsightsStore,
  type SearchResult,
} from '@vigil/insights';
import { ApiError } from '@vigil/service-kit';
import { INSIGHTS_STORE } from '../store/insights-store.module';

/** Searches and application summaries over a tenant's signals. */
@Injectable()
export class InsightsSearchService {
  constructor(
    @Inject(INSIGHTS_STORE) private readonly store: InsightsStore,
    private readonly checker: QueryChecker,
  ) {}

  /** Runs an `insights-query` document; 400 with every problem when it is refused. */
  async search(tenant: string, body: unknown): Promise<SearchResult> {
    const check = this.checker.check(body);
    if (!check.ok) {
      const message = check.issues[0]?.message ?? 'invalid query';
      throw new ApiError(400, 'invalid-query', message, undefined, { errors: check.issues });
    }
    try {
      return await this.store.search(tenant, check.query);
    } catch (error) {
      if (error instanceof BucketLimitError) {
        throw new ApiError(400, 'too-many-buckets', error.message, undefined, {
          errors: [
            {
              pointer: '/aggregations',
              rule: 'bucket-limit',
              message: error.message,
              limit: error.limit,
            },
          ],
        });
      }
      throw this.unavailable();
    }
  }

  async apps(tenant: string, selection: AppsSelection): Promise<AppSummary[]> {
    const now = Date.now();
    const states = await this.summaries(tenant, now);
    return selectApps(
      states.map((state) => summarize(state, now)),
      selection,
    );
  }

  async app(tenant: string, app: string): Promise<AppSummary> {
    const now = Date.now();
    const [state] = await this.summaries(tenant, now, app);
    if (!state) {
      throw new ApiError(
        404,
        'app-not-found',
        `no signal of application "${app}" has been indexed for your tenant`,
      );
    }
    return summarize(state, now);
  }

  private async summaries(tenant: string, now: number, app?: string) {
    try {
      return await this.store.summaries(tenant, now, app);
    } catch {
      throw this.unavailable();
    }
  }

  private unavailable(): ApiError {
    return new ApiError(
      503,
      'index-unavailable',
      `the ${this.store.kind} index does not answer; retry shortly`,
      5,
    );
  }
}
