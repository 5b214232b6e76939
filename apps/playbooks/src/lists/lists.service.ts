import { Injectable } from '@nestjs/common';
import { checkList, SHIPPED_LISTS, toLanguageV2, type NamedList } from '@vigil/playbooks';
import { ApiError } from '@vigil/service-kit';
import { SchemaRegistry } from '@vigil/signals';
import { PlaybookCatalog } from '../playbooks/playbook-catalog';
import { ListRepository } from '../store/list.repository';
import { PlaybookRepository } from '../store/playbook.repository';

/** A list as the API shows it: a shipped one with the tenant's additions, or the tenant's own. */
export interface ListView {
  readonly name: string;
  readonly kind: NamedList['kind'];
  readonly description: string;
  /** True for a list Vigil ships (the tenant can add entries, not remove them). */
  readonly shipped: boolean;
  readonly shippedEntries: readonly string[];
  /** The tenant's own entries. */
  readonly entries: readonly string[];
}

/** A tenant's named lists for playbook conditions. */
@Injectable()
export class ListsService {
  constructor(
    private readonly lists: ListRepository,
    private readonly playbooks: PlaybookRepository,
    private readonly catalog: PlaybookCatalog,
    private readonly registry: SchemaRegistry,
  ) {}

  /** Shipped lists (with the tenant's additions), then the tenant's own. */
  async list(tenant: string): Promise<ListView[]> {
    const own = await this.lists.list(tenant);
    const shipped = SHIPPED_LISTS.map((list) =>
      view(
        list,
        own.find((o) => o.name === list.name),
      ),
    );
    const custom = own.filter((o) => !SHIPPED_LISTS.some((s) => s.name === o.name));
    return [...shipped, ...custom.map((list) => view(undefined, list))];
  }

  async get(tenant: string, name: string): Promise<ListView> {
    const found = (await this.list(tenant)).find((list) => list.name === name);
    if (!found) {
      throw new ApiError(404, 'not-found', `no list "${name}"`);
    }
    return found;
  }

  /** Creates or replaces the tenant's list `name` (for a shipped name: its additions). */
  async put(tenant: string, name: string, body: unknown): Promise<ListView> {
    const checked = checkList(this.registry, name, body);
    if ('issues' in checked) {
      const message = checked.issues[0]?.message ?? 'invalid list';
      throw new ApiError(422, 'invalid-list', message, undefined, { errors: checked.issues });
    }
    await this.lists.put(tenant, checked.list);
    this.catalog.invalidate(tenant);
    return this.get(tenant, name);
  }

  /** Deletes the tenant's list; refused while one of its playbooks reads it. */
  async remove(tenant: string, name: string): Promise<void> {
    const shipped = SHIPPED_LISTS.some((list) => list.name === name);
    const readers = shipped ? [] : await this.readersOf(tenant, name);
    if (readers.length > 0) {
      throw new ApiError(
        409,
        'list-in-use',
        `playbooks ${readers.join(', ')} test membership of "${name}": change them first`,
      );
    }
    if (!(await this.lists.delete(tenant, name))) {
      throw new ApiError(404, 'not-found', `no list "${name}" of yours`);
    }
    this.catalog.invalidate(tenant);
  }

  /** The tenant's list names, for checking the playbooks it saves. */
  async names(tenant: string): Promise<string[]> {
    return (await this.lists.list(tenant)).map((list) => list.name);
  }

  private async readersOf(tenant: string, name: string): Promise<string[]> {
    const playbooks = await this.playbooks.list(tenant);
    return playbooks
      .filter(({ definition }) =>
        (toLanguageV2(definition).match.where ?? []).some((c) => c.inList === name),
      )
      .map(({ definition }) => definition.id);
  }
}

function view(shipped: NamedList | undefined, own: NamedList | undefined): ListView {
  const base = (shipped ?? own) as NamedList;
  return {
    name: base.name,
    kind: base.kind,
    description: own?.description || base.description,
    shipped: shipped !== undefined,
    shippedEntries: shipped?.entries ?? [],
    entries: own?.entries ?? [],
  };
}
