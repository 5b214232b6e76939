/**
 * The only module that imports cdktf, constructs and the prebuilt provider bindings. cdktf 0.21
 * is its last release (deprecated upstream since December 2025); its continuation, CDK Terrain
 * (`cdktn`), needs Node.js 22. Moving is then a change of this file alone (ADR 0021).
 */
export {
  Annotations,
  App,
  Aspects,
  DefaultTokenResolver,
  StringConcat,
  Tokenization,
  S3Backend,
  LocalBackend,
  TerraformOutput,
  TerraformProvider,
  TerraformResource,
  TerraformStack,
  Testing,
  type IAspect,
} from 'cdktf';
export { Construct, type IConstruct } from 'constructs';
export { AwsProvider } from '@cdktf/provider-aws/lib/provider';
export { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
export { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
export { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
export { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
export { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
export { OpensearchDomain } from '@cdktf/provider-aws/lib/opensearch-domain';
export { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
export { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
export { PostgresqlProvider } from '@cdktf/provider-postgresql/lib/provider';
export { Database } from '@cdktf/provider-postgresql/lib/database';
export { Role } from '@cdktf/provider-postgresql/lib/role';
export { Grant } from '@cdktf/provider-postgresql/lib/grant';
export { RandomProvider } from '@cdktf/provider-random/lib/provider';
export { Password } from '@cdktf/provider-random/lib/password';
