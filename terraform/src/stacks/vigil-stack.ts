import { Aspects, AwsProvider, S3Backend, TerraformStack, type Construct } from '../cdk';
import type { EnvironmentConfig } from '../config/infra-config';
import { NoPublicBucketPolicy } from '../policy/no-public-bucket.policy';
import { TaggingPolicy } from '../policy/tagging.policy';

/**
 * A stack of one team in one environment: its own state (`<environment>/<team>.tfstate` in the
 * state bucket, locked in DynamoDB), its own AWS provider tagging everything with team and
 * environment, and the policies every stack must pass before it is synthesized.
 */
export abstract class VigilStack extends TerraformStack {
  readonly aws: AwsProvider;

  protected constructor(
    scope: Construct,
    readonly team: string,
    readonly environment: EnvironmentConfig,
  ) {
    super(scope, `${team}-${environment.name}`);
    new S3Backend(this, {
      bucket: environment.state.bucket,
      key: `${environment.name}/${team}.tfstate`,
      region: environment.state.region,
      dynamodbTable: environment.state.dynamodbTable,
      encrypt: true,
    });
    this.aws = new AwsProvider(this, 'aws', {
      region: environment.region,
      defaultTags: [{ tags: this.tags }],
    });
    Aspects.of(this).add(new TaggingPolicy(this.tags, this.tags));
    Aspects.of(this).add(new NoPublicBucketPolicy(team));
  }

  /** The labels of everything this stack creates. */
  get tags(): Record<string, string> {
    return { team: this.team, environment: this.environment.name, 'managed-by': 'vigil-cdktf' };
  }
}
