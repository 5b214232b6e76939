import { Inject, Injectable } from '@nestjs/common';
import {
  runBacktest,
  toLanguageV2,
  type ActivePlaybook,
  type BacktestResult,
} from '@vigil/playbooks';
import { ApiError, PRODUCT_CONFIG } from '@vigil/service-kit';
import type { PlaybooksConfig } from '../config/playbooks.config';
import { PlaybookCatalog } from '../playbooks/playbook-catalog';
import { PlaybooksService } from '../playbooks/playbooks.service';
import { ArchiveExportClient, type ArchiveWindow } from './archive-export-client';
import type { BacktestBody } from './backtest-request';

/** A backtest ready to run: what it tests, and the archived window open for reading. */
export interface PreparedBacktest {
  readonly tenant: string;
  readonly candidate: ActivePlaybook;
  readonly baseline?: ActivePlaybook;
  readonly window: { readonly from: string; readonly to: string; readonly app?: string };
  readonly archive: ArchiveWindow;
}

/** What a backtest answers: its window and its findings. */
export interface BacktestAnswer extends BacktestResult {
  readonly window: PreparedBacktest['window'] & { readonly signals: number };
}

/** Runs playbooks over archived signals, isolated from live detection (nothing stored or sent). */
@Injectable()
export class BacktestService {
  private readonly archive: ArchiveExportClient;
  private running = 0;

  constructor(
    private readonly playbooks: PlaybooksService,
    private readonly catalog: PlaybookCatalog,
    @Inject(PRODUCT_CONFIG) private readonly config: PlaybooksConfig,
  ) {
    this.archive = new ArchiveExportClient(config.backtest.archiveUrl);
  }

  /**
   * Resolves the playbooks, opens the window and reserves this instance's backtest slot: every
   * refusal happens here, before any output. `run` releases the slot.
   */
  async prepare(
    tenant: string,
    authorization: string,
    body: BacktestBody,
  ): Promise<PreparedBacktest> {
    if (this.running > 0) {
      throw new ApiError(
        429,
        'backtest-busy',
        'a backtest is already running here: retry shortly',
        5,
      );
    }
    this.running++;
    try {
      return await this.open(tenant, authorization, body);
    } catch (error) {
      this.running--;
      throw error;
    }
  }

  /** Runs a prepared backtest and releases its slot. */
  async run(
    prepared: PreparedBacktest,
    onProgress?: (read: number) => void,
  ): Promise<BacktestAnswer> {
    try {
      await this.catalog.ensure(prepared.tenant);
      const result = await runBacktest(
        {
          ...prepared,
          lists: this.catalog.listsOf(prepared.tenant),
          lateAllowanceMs: this.config.engine.lateAllowanceMs,
          maxClockSkewMs: this.config.engine.maxClockSkewMs,
          maxGroups: this.config.engine.maxGroupsPerTenant,
          maxDetections: this.config.backtest.maxDetections,
          ...(onProgress && { onProgress }),
        },
        prepared.archive.signals,
      );
      return { window: { ...prepared.window, signals: prepared.archive.total }, ...result };
    } finally {
      this.running--;
      await prepared.archive.cancel();
    }
  }

  private async open(
    tenant: string,
    authorization: string,
    body: BacktestBody,
  ): Promise<PreparedBacktest> {
    const { candidate, baseline } = await this.playbooksOf(tenant, body);
    const window = { from: body.from, to: body.to, ...(body.app && { app: body.app }) };
    const types = [toLanguageV2(candidate.definition).match.type];
    const archive = await this.archive.open(authorization, { ...window, types });
    const { maxSignals } = this.config.backtest;
    if (archive.total > maxSignals) {
      await archive.cancel();
      throw new ApiError(
        413,
        'backtest-too-large',
        `the window holds ${archive.total} signals and a backtest reads at most ${maxSignals} (VIGIL_PLAYBOOKS_BACKTEST_MAX_SIGNALS): narrow "from"/"to" or give "app"`,
      );
    }
    return { tenant, candidate, ...(baseline && { baseline }), window, archive };
  }

  /** The tested playbook and, for a changed version of a saved one, the saved one. */
  private async playbooksOf(
    tenant: string,
    body: BacktestBody,
  ): Promise<{ candidate: ActivePlaybook; baseline?: ActivePlaybook }> {
    if (body.id !== undefined) {
      return { candidate: await this.playbooks.get(tenant, body.id) };
    }
    const definition = await this.playbooks.checked(tenant, body.playbook);
    const active = (await this.playbooks.list(tenant)).find(
      (p) => p.definition.id === definition.id,
    );
    if (!active) {
      return { candidate: { definition, version: 1 } };
    }
    return { candidate: { definition, version: active.version + 1 }, baseline: active };
  }
}
