import { listResolver, shippedLists, SHIPPED_LISTS, type ActivePlaybook } from '@vigil/playbooks';
import type { ListRepository } from '../store/list.repository';
import type { PlaybookRepository } from '../store/playbook.repository';

type ListResolver = ReturnType<typeof listResolver>;

interface Entry {
  readonly playbooks: readonly ActivePlaybook[];
  readonly resolve: ListResolver;
  readonly loadedAt: number;
}

/**
 * The playbooks and named lists in force per tenant, cached for the detection engine (which
 * must not wait on the database per signal). Changes made through this instance apply at once;
 * changes made through another instance within `refreshMs`.
 */
export class PlaybookCatalog {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly repository: PlaybookRepository,
    private readonly lists: ListRepository,
    private readonly refreshMs = 5_000,
  ) {}

  /** Loads the tenant's playbooks and lists when missing or stale. */
  async ensure(tenant: string): Promise<void> {
    const entry = this.entries.get(tenant);
    if (entry && Date.now() - entry.loadedAt < this.refreshMs) {
      return;
    }
    const [playbooks, lists] = await Promise.all([
      this.repository.list(tenant),
      this.lists.list(tenant),
    ]);
    const resolve = lists.length === 0 ? shippedLists() : listResolver(SHIPPED_LISTS, lists);
    this.entries.set(tenant, { playbooks, resolve, loadedAt: Date.now() });
  }

  /** The cached playbooks of a tenant (call {@link ensure} first). */
  of(tenant: string): readonly ActivePlaybook[] {
    return this.entries.get(tenant)?.playbooks ?? [];
  }

  /** The tenant's lists, shipped ones extended by its own (call {@link ensure} first). */
  listsOf(tenant: string): ListResolver {
    return this.entries.get(tenant)?.resolve ?? shippedLists();
  }

  /** Forgets a tenant's cache after a change. */
  invalidate(tenant: string): void {
    this.entries.delete(tenant);
  }
}
