import type { IAspect, IConstruct } from '../cdk';
import { synthesizedResource } from './resource-attributes';

/**
 * Resource types whose provider keeps no labels: they are tagged through what holds them (the
 * stack's state key, the secret they fill, the stream underneath).
 */
const UNLABELLED_TYPES = new Set([
  'aws_s3_bucket_versioning',
  'aws_s3_bucket_server_side_encryption_configuration',
  'aws_s3_bucket_public_access_block',
  'aws_s3_bucket_lifecycle_configuration',
  'aws_secretsmanager_secret_version',
  'jetstream_kv_bucket',
  'opensearch_index_template',
  'opensearch_ism_policy',
  'postgresql_role',
  'postgresql_database',
  'postgresql_grant',
  'random_password',
]);

/**
 * Every resource carries its team and environment — as AWS tags (the provider's default tags
 * count) or as JetStream metadata — unless its type cannot carry labels at all. A resource
 * type nobody has classified fails synth, so a new kind of resource is a conscious decision.
 */
export class TaggingPolicy implements IAspect {
  /** `defaultTags`: what the stack's AWS provider adds to every AWS resource. */
  constructor(
    private readonly labels: Readonly<Record<string, string>>,
    private readonly defaultTags: Readonly<Record<string, string>>,
  ) {}

  visit(node: IConstruct): void {
    const resource = synthesizedResource(node);
    if (!resource || UNLABELLED_TYPES.has(resource.type)) {
      return;
    }
    const carried = resource.type.startsWith('aws_')
      ? {
          ...this.defaultTags,
          ...(resource.attributes['tags'] as Record<string, string> | undefined),
        }
      : (resource.attributes['metadata'] as Record<string, string> | undefined);
    for (const key of ['team', 'environment']) {
      if (carried?.[key] !== this.labels[key]) {
        throw new Error(
          `team ${this.labels['team']}: ${resource.type} at ${resource.path} is not labelled ${key}=${this.labels[key]} (rule: team-and-environment-labels)`,
        );
      }
    }
  }
}
