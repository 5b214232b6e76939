import type { IAspect, IConstruct } from '../cdk';
import { synthesizedResource } from './resource-attributes';

/**
 * A team's stack grants nothing of another team's: its databases belong to its own roles, its
 * grants name its own roles (or revoke from PUBLIC), its consumers are the ones its products
 * declare.
 */
export class OwnershipPolicy implements IAspect {
  constructor(
    private readonly team: string,
    private readonly roles: readonly string[],
    private readonly durables: readonly string[],
  ) {}

  visit(node: IConstruct): void {
    const resource = synthesizedResource(node);
    if (!resource) {
      return;
    }
    const a = resource.attributes;
    switch (resource.type) {
      case 'postgresql_database':
        return this.require(
          this.ownRole(a['owner']),
          resource.path,
          `is owned by ${String(a['owner'])}`,
        );
      case 'postgresql_grant': {
        const revokesFromPublic =
          a['role'] === 'public' && Array.isArray(a['privileges']) && a['privileges'].length === 0;
        return this.require(
          revokesFromPublic || this.ownRole(a['role']),
          resource.path,
          `grants to ${String(a['role'])}`,
        );
      }
      case 'jetstream_consumer':
        return this.require(
          this.durables.includes(`${String(a['stream_id'])}/${String(a['durable_name'])}`),
          resource.path,
          `is consumer ${String(a['durable_name'])}, not one of its products'`,
        );
      default:
        return;
    }
  }

  /** A role of this team, named literally or by a reference to one of this stack's roles. */
  private ownRole(value: unknown): boolean {
    const text = String(value);
    return this.roles.includes(text) || /^\$\{postgresql_role\.[\w-]+\.name\}$/.test(text);
  }

  private require(ok: boolean, path: string, what: string): void {
    if (!ok) {
      throw new Error(
        `team ${this.team}: ${path} ${what} — another team's (rule: own-resources-only)`,
      );
    }
  }
}
