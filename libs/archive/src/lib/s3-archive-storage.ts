import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { ArchiveStorageError, type ArchiveObject, type ArchiveStorage } from './archive-storage';

/** Where the archive lives in S3-compatible object storage. */
export interface S3ArchiveOptions {
  /** Endpoint URL for S3-compatible servers (MinIO, Ceph, R2…); AWS's own when absent. */
  readonly endpoint?: string;
  readonly region: string;
  readonly bucket: string;
  /** Key prefix inside the bucket, e.g. `vigil/archive/`; may be empty. */
  readonly prefix: string;
  /** Path-style addressing (`endpoint/bucket/key`), which most S3-compatible servers need. */
  readonly forcePathStyle: boolean;
  /** Static credentials; when absent the SDK's default chain applies (environment, profile, instance role). */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Local folder for copies of objects that the query engine reads. */
  readonly cacheDir: string;
  /** Size the local copies may take before the least recently fetched are removed. */
  readonly cacheMaxBytes: number;
}

/**
 * The archive in an S3 bucket. A PUT becomes visible only when complete (S3 never shows half an
 * object), and each upload carries its MD5 so the server refuses a damaged transfer. Queries
 * read local copies fetched on demand into a bounded cache.
 */
export class S3ArchiveStorage implements ArchiveStorage {
  readonly description: string;
  private readonly client: S3Client;

  constructor(private readonly options: S3ArchiveOptions) {
    this.description = `s3://${options.bucket}/${options.prefix}${options.endpoint ? ` at ${options.endpoint}` : ''}`;
    this.client = new S3Client({
      endpoint: options.endpoint,
      region: options.region,
      forcePathStyle: options.forcePathStyle,
      credentials: options.credentials,
      maxAttempts: 3,
      // Content-MD5 instead of the newer streaming checksums: every S3-compatible server knows it.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
    });
  }

  async putFile(key: string, localPath: string): Promise<void> {
    const body = await readFile(localPath);
    await this.putBytes(key, body);
    await unlink(localPath);
  }

  async putBytes(key: string, bytes: Uint8Array): Promise<void> {
    await this.call(`upload ${key}`, () =>
      this.client.send(
        new PutObjectCommand({
          Bucket: this.options.bucket,
          Key: this.objectKey(key),
          Body: bytes,
          ContentLength: bytes.byteLength,
          ContentMD5: createHash('md5').update(bytes).digest('base64'),
        }),
      ),
    );
  }

  async getBytes(key: string): Promise<Buffer | undefined> {
    try {
      const response = await this.client.send(
        new GetObjectCommand({ Bucket: this.options.bucket, Key: this.objectKey(key) }),
      );
      if (!response.Body) {
        throw new ArchiveStorageError(`object storage: ${key} came back without a body`);
      }
      return Buffer.from(await response.Body.transformToByteArray());
    } catch (error) {
      if (isNotFound(error)) {
        return undefined;
      }
      throw storageError(`read ${key}`, error);
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(
        new HeadObjectCommand({ Bucket: this.options.bucket, Key: this.objectKey(key) }),
      );
      return true;
    } catch (error) {
      if (isNotFound(error)) {
        return false;
      }
      throw storageError(`check ${key}`, error);
    }
  }

  async *list(prefix: string): AsyncIterable<ArchiveObject> {
    let token: string | undefined;
    do {
      const page = await this.call(`list ${prefix}`, () =>
        this.client.send(
          new ListObjectsV2Command({
            Bucket: this.options.bucket,
            Prefix: this.objectKey(prefix),
            ContinuationToken: token,
          }),
        ),
      );
      for (const item of page.Contents ?? []) {
        if (item.Key === undefined) {
          continue;
        }
        yield {
          key: item.Key.slice(this.options.prefix.length),
          size: item.Size ?? 0,
          modifiedAt: item.LastModified ?? new Date(0),
        };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (let start = 0; start < keys.length; start += 1_000) {
      const chunk = keys.slice(start, start + 1_000);
      await this.call('delete objects', () =>
        this.client.send(
          new DeleteObjectsCommand({
            Bucket: this.options.bucket,
            Delete: { Objects: chunk.map((key) => ({ Key: this.objectKey(key) })), Quiet: true },
          }),
        ),
      );
    }
  }

  async localPath(object: ArchiveObject): Promise<string> {
    const path = join(this.options.cacheDir, ...object.key.split('/'));
    const cached = await stat(path).catch(() => undefined);
    if (cached?.size === object.size) {
      return path;
    }
    const bytes = await this.getBytes(object.key);
    if (!bytes) {
      throw new ArchiveStorageError(`${object.key} disappeared from the bucket`);
    }
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${randomUUID()}.tmp`;
    await writeFile(temporary, bytes);
    await rename(temporary, path);
    await this.trimCache();
    return path;
  }

  /** Releases the HTTP connections. */
  close(): void {
    this.client.destroy();
  }

  private objectKey(key: string): string {
    return `${this.options.prefix}${key}`;
  }

  private async call<T>(what: string, operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw storageError(what, error);
    }
  }

  private async trimCache(): Promise<void> {
    const files = await cachedFiles(this.options.cacheDir);
    let total = files.reduce((sum, file) => sum + file.size, 0);
    files.sort((a, b) => a.modified - b.modified);
    for (const file of files) {
      if (total <= this.options.cacheMaxBytes) {
        return;
      }
      await rm(file.path, { force: true });
      total -= file.size;
    }
  }
}

async function cachedFiles(
  folder: string,
): Promise<Array<{ path: string; size: number; modified: number }>> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true }).catch(() => []);
  const files = [];
  for (const entry of entries) {
    if (!entry.isFile()) {
      continue;
    }
    const path = join(entry.parentPath, entry.name);
    const info = await stat(path).catch(() => undefined);
    if (info) {
      files.push({ path, size: info.size, modified: info.mtimeMs });
    }
  }
  return files;
}

function isNotFound(error: unknown): boolean {
  return (
    error instanceof S3ServiceException &&
    (error.$metadata.httpStatusCode === 404 ||
      error.name === 'NoSuchKey' ||
      error.name === 'NotFound')
  );
}

function storageError(what: string, error: unknown): ArchiveStorageError {
  const detail =
    error instanceof S3ServiceException
      ? `${error.name} (HTTP ${error.$metadata.httpStatusCode ?? '?'})`
      : error instanceof Error
        ? error.message
        : String(error);
  return new ArchiveStorageError(`object storage: could not ${what}: ${detail}`);
}
