import { S3Bucket, S3BucketPublicAccessBlock, type IAspect, type IConstruct } from '../cdk';
import { resolved, synthesizedResource } from './resource-attributes';

const BLOCK_SETTINGS = [
  'block_public_acls',
  'block_public_policy',
  'ignore_public_acls',
  'restrict_public_buckets',
];

/**
 * No bucket may be public: each one needs a public access block with all four settings on,
 * and no public ACL.
 */
export class NoPublicBucketPolicy implements IAspect {
  constructor(private readonly team: string) {}

  visit(node: IConstruct): void {
    if (!(node instanceof S3Bucket)) {
      return;
    }
    const acl = node.aclInput;
    if (acl !== undefined && acl !== 'private') {
      this.refuse(node, `has ACL ${acl}`);
    }
    const blocks = node.node.scope?.node.children.filter(
      (child): child is S3BucketPublicAccessBlock => child instanceof S3BucketPublicAccessBlock,
    );
    const blocked = (blocks ?? []).some((block) => {
      const settings = synthesizedResource(block)?.attributes ?? {};
      return (
        settings['bucket'] === resolved(node, node.id) &&
        BLOCK_SETTINGS.every((setting) => settings[setting] === true)
      );
    });
    if (!blocked) {
      this.refuse(node, 'has no public access block with every setting on');
    }
  }

  private refuse(bucket: S3Bucket, why: string): never {
    throw new Error(
      `team ${this.team}: bucket ${bucket.node.path} ${why} (rule: no-public-bucket)`,
    );
  }
}
