import { join, resolve } from 'node:path';
import type { EnvParser } from '@vigil/config';
import type { ArchiveStorage } from './archive-storage';
import { LocalArchiveStorage } from './local-archive-storage';
import { S3ArchiveStorage } from './s3-archive-storage';

/** Where archive files are kept. */
export type ArchiveStorageConfig =
  | { readonly kind: 'local'; readonly dir: string }
  | {
      readonly kind: 's3';
      readonly endpoint: string | undefined;
      readonly region: string;
      readonly bucket: string;
      readonly prefix: string;
      readonly forcePathStyle: boolean;
    };

/**
 * Reads the archive's storage settings (`VIGIL_ARCHIVE_STORAGE`, `VIGIL_ARCHIVE_DIR`,
 * `VIGIL_ARCHIVE_S3_*`); the archive service and `vigil replay` share them so that both see the
 * same files.
 */
export function readArchiveStorageConfig(read: EnvParser, dataDir: string): ArchiveStorageConfig {
  const kind = read.oneOf('VIGIL_ARCHIVE_STORAGE', ['local', 's3'] as const, 'local');
  if (kind === 'local') {
    return { kind, dir: resolve(read.string('VIGIL_ARCHIVE_DIR', join(dataDir, 'archive'))) };
  }
  const prefix = read.string('VIGIL_ARCHIVE_S3_PREFIX', '');
  return {
    kind,
    endpoint: read.optional('VIGIL_ARCHIVE_S3_ENDPOINT'),
    region: read.string('VIGIL_ARCHIVE_S3_REGION', 'us-east-1'),
    bucket: read.string('VIGIL_ARCHIVE_S3_BUCKET'),
    prefix: prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`,
    forcePathStyle:
      read.oneOf('VIGIL_ARCHIVE_S3_PATH_STYLE', ['true', 'false'] as const, 'true') === 'true',
  };
}

/** Opens the configured storage; S3 reads are cached under `<dataDir>/archive-cache`. */
export function openArchiveStorage(config: ArchiveStorageConfig, dataDir: string): ArchiveStorage {
  if (config.kind === 'local') {
    return new LocalArchiveStorage(config.dir);
  }
  // Credentials come from the SDK's default chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, profile, role).
  return new S3ArchiveStorage({
    ...config,
    cacheDir: join(dataDir, 'archive-cache'),
    cacheMaxBytes: 4 * 1024 ** 3,
  });
}
