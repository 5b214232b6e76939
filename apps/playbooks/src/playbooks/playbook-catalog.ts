import type { ActivePlaybook } from '@vigil/playbooks';
import type { PlaybookRepository } from '../store/playbook.repository';

interface Entry {
  readonly playbooks: readonly ActivePlaybook[];
  readonly loadedAt: number;
}

/**
 * The playbooks in force per tenant, cached for the detection engine (which must not wait on
 * the database per signal). Changes made through this instance apply at once; changes made
 * through another instance within `refreshMs`.
 */
export class PlaybookCatalog {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly repository: PlaybookRepository,
    private readonly refreshMs = 5_000,
  ) {}

  /** Loads the tenant's playbooks when missing or stale. */
  async ensure(tenant: string): Promise<void> {
    const entry = this.entries.get(tenant);
    if (entry && Date.now() - entry.loadedAt < this.refreshMs) {
      return;
    }
    const playbooks = await this.repository.list(tenant);
    this.entries.set(tenant, { playbooks, loadedAt: Date.now() });
  }

  /** The cached playbooks of a tenant (call {@link ensure} first). */
  of(tenant: string): readonly ActivePlaybook[] {
    return this.entries.get(tenant)?.playbooks ?? [];
  }

  /** Forgets a tenant's cache after a change. */
  invalidate(tenant: string): void {
    this.entries.delete(tenant);
  }
}
