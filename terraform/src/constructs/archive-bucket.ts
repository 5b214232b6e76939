import {
  Construct,
  S3Bucket,
  S3BucketLifecycleConfiguration,
  S3BucketPublicAccessBlock,
  S3BucketServerSideEncryptionConfigurationA,
  S3BucketVersioningA,
} from '../cdk';

/** The archive's Parquet bucket: versioned, encrypted, never public, expiring what the archive lets go. */
export class ArchiveBucket extends Construct {
  readonly bucket: S3Bucket;

  constructor(
    scope: Construct,
    id: string,
    props: { readonly name: string; readonly expirationDays: number | undefined },
  ) {
    super(scope, id);
    this.bucket = new S3Bucket(this, 'bucket', { bucket: props.name, forceDestroy: false });
    new S3BucketVersioningA(this, 'versioning', {
      bucket: this.bucket.id,
      versioningConfiguration: { status: 'Enabled' },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket: this.bucket.id,
      rule: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms' },
          bucketKeyEnabled: true,
        },
      ],
    });
    new S3BucketPublicAccessBlock(this, 'public-access', {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket: this.bucket.id,
      rule: [
        {
          id: 'archive-retention',
          status: props.expirationDays === undefined ? 'Disabled' : 'Enabled',
          filter: [{ prefix: '' }],
          // The archive deletes by its own rules (VIGIL_ARCHIVE_RETENTION); the bucket is the backstop.
          expiration: [{ days: props.expirationDays ?? 36_500 }],
          noncurrentVersionExpiration: [{ noncurrentDays: 30 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });
  }
}
