import { Injectable } from '@nestjs/common';
import { PlaybookChecker, type PlaybookDefinition } from '@vigil/playbooks';
import { ApiError } from '@vigil/service-kit';
import { ListsService } from '../lists/lists.service';
import { ResponsesService } from '../responses/responses.service';
import { isBuiltin, PlaybookRepository, type StoredPlaybook } from '../store/playbook.repository';
import { PlaybookCatalog } from './playbook-catalog';

/** A tenant's playbooks: built-in ones (tunable) and its own, versioned. */
@Injectable()
export class PlaybooksService {
  constructor(
    private readonly playbooks: PlaybookRepository,
    private readonly catalog: PlaybookCatalog,
    private readonly checker: PlaybookChecker,
    private readonly responses: ResponsesService,
    private readonly lists: ListsService,
  ) {}

  list(tenant: string): Promise<StoredPlaybook[]> {
    return this.playbooks.list(tenant);
  }

  async get(tenant: string, id: string): Promise<StoredPlaybook> {
    const playbook = await this.playbooks.get(tenant, id);
    if (!playbook) {
      throw new ApiError(404, 'not-found', `no playbook "${id}"`);
    }
    return playbook;
  }

  async create(tenant: string, body: unknown): Promise<StoredPlaybook> {
    const definition = await this.checked(tenant, body);
    if (await this.playbooks.get(tenant, definition.id)) {
      throw new ApiError(
        409,
        'playbook-exists',
        `playbook "${definition.id}" exists: PUT /v1/playbooks/${definition.id} saves a new version`,
      );
    }
    return this.save(tenant, definition);
  }

  /** Saves a new version; the path's id wins over a missing one in the body. */
  async update(tenant: string, id: string, body: unknown): Promise<StoredPlaybook> {
    const withId =
      typeof body === 'object' && body !== null && !Array.isArray(body) ? { id, ...body } : body;
    const definition = await this.checked(tenant, withId);
    if (definition.id !== id) {
      throw new ApiError(
        400,
        'id-mismatch',
        `the body's "id" (${definition.id}) differs from the path (${id})`,
      );
    }
    if (!isBuiltin(id)) {
      await this.get(tenant, id);
    }
    return this.save(tenant, definition);
  }

  async remove(tenant: string, id: string): Promise<void> {
    if (isBuiltin(id)) {
      throw new ApiError(
        409,
        'builtin-playbook',
        `"${id}" is built in: PUT it with "enabled": false to turn it off`,
      );
    }
    if (!(await this.playbooks.delete(tenant, id))) {
      throw new ApiError(404, 'not-found', `no playbook "${id}"`);
    }
    this.catalog.invalidate(tenant);
  }

  /** Revokes every active response the playbook (or one version of it) issued. */
  async revokeResponses(tenant: string, id: string, body: unknown): Promise<string[]> {
    await this.get(tenant, id);
    const version = (body as { version?: unknown } | null | undefined)?.version;
    if (version !== undefined && (!Number.isInteger(version) || (version as number) < 0)) {
      throw new ApiError(400, 'invalid-request', '"version" must be a playbook version number');
    }
    return this.responses.end('playbook-revoke', {
      tenant,
      playbookId: id,
      ...(version === undefined ? {} : { playbookVersion: version as number }),
    });
  }

  /** The playbook `body` holds, checked for the tenant; 422 with every problem otherwise. */
  async checked(tenant: string, body: unknown): Promise<PlaybookDefinition> {
    const issues = this.checker.check(body, tenant, await this.lists.names(tenant));
    if (issues.length > 0) {
      const message = issues[0]?.message ?? 'invalid playbook';
      throw new ApiError(422, 'invalid-playbook', message, undefined, { errors: issues });
    }
    return body as PlaybookDefinition;
  }

  private async save(tenant: string, definition: PlaybookDefinition): Promise<StoredPlaybook> {
    const saved = await this.playbooks.save(tenant, definition);
    this.catalog.invalidate(tenant);
    return saved;
  }
}
