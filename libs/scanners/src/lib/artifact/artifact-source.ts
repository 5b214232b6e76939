import { createReadStream, type Dirent } from 'node:fs';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import { JobFailure, type JobInput } from '@vigil/scans';
import { isValidTenantName } from '@vigil/signals';

/** One file of an artifact: its path relative to the artifact root, and its bytes. */
export interface ArtifactFile {
  readonly path: string;
  readonly content: Buffer;
}

/** Bounds on what a scan reads from one artifact. */
export interface ArtifactLimits {
  /** Files larger than this are skipped (counted in `skipped`). */
  readonly maxFileBytes: number;
  /** Reading stops after this many files. */
  readonly maxFiles: number;
}

/** Default bounds: files up to 1 MiB, at most 20 000 files. */
export const DEFAULT_ARTIFACT_LIMITS: ArtifactLimits = {
  maxFileBytes: 1024 * 1024,
  maxFiles: 20_000,
};

/** Folders never read: dependencies installed from the registry and version-control data. */
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.hg', '.svn']);

/** What reading an artifact skipped, for the job's report. */
export interface ReadStats {
  files: number;
  skipped: number;
  truncated: boolean;
}

/**
 * The files of a job's artifact — a directory or a tar archive (optionally gzip) — found only
 * inside the job's tenant folder of the configured artifact roots (`<root>/<tenant>/<ref>`): a
 * reference that leaves it (`..`, an absolute path elsewhere, a symbolic link) is refused, so a
 * scan request can read neither another tenant's artifacts nor the worker's own files.
 */
export class ArtifactSource {
  private readonly roots: readonly string[];

  constructor(
    roots: readonly string[],
    private readonly limits: ArtifactLimits = DEFAULT_ARTIFACT_LIMITS,
  ) {
    this.roots = roots.map((root) => resolve(root));
  }

  /** Calls `visit` for each file whose path `wants` accepts; throws a `JobFailure` for a bad artifact. */
  async read(
    tenant: string,
    artifact: NonNullable<JobInput['artifact']>,
    wants: (path: string) => boolean,
    visit: (file: ArtifactFile) => void,
  ): Promise<ReadStats> {
    const path = await this.locate(tenant, artifact.ref);
    const stats: ReadStats = { files: 0, skipped: 0, truncated: false };
    const info = await stat(path);
    if (artifact.kind === 'directory') {
      if (!info.isDirectory()) {
        throw new JobFailure(`the artifact "${artifact.ref}" is not a directory`);
      }
      await this.walk(path, '', wants, visit, stats);
      return stats;
    }
    if (artifact.kind === 'archive') {
      if (!info.isFile()) {
        throw new JobFailure(`the artifact "${artifact.ref}" is not an archive file`);
      }
      await this.readArchive(path, artifact.ref, wants, visit, stats);
      return stats;
    }
    throw new JobFailure(`artifacts of kind "${artifact.kind}" cannot be read as files`);
  }

  private async locate(tenant: string, ref: string): Promise<string> {
    if (!isValidTenantName(tenant)) {
      throw new JobFailure(`the job's tenant "${tenant}" is not a valid tenant name`);
    }
    for (const root of this.roots) {
      const tenantRoot = join(root, tenant);
      const candidate = isAbsolute(ref) ? ref : join(tenantRoot, ref);
      const real = await realpath(candidate).catch(() => undefined);
      const realRoot = await realpath(tenantRoot).catch(() => undefined);
      if (real && realRoot && isInside(realRoot, real)) {
        return real;
      }
    }
    throw new JobFailure(
      `the artifact "${ref}" was not found in this tenant's artifact folder (<artifact root>/${tenant}/) of this worker`,
    );
  }

  private async walk(
    dir: string,
    prefix: string,
    wants: (path: string) => boolean,
    visit: (file: ArtifactFile) => void,
    stats: ReadStats,
  ): Promise<void> {
    const entries: Dirent[] = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      if (stats.truncated) {
        return;
      }
      const path = prefix ? `${prefix}/${entry.name}` : entry.name;
      // Symbolic links are never followed: one could point outside the artifact.
      if (entry.isDirectory() && !SKIPPED_FOLDERS.has(entry.name)) {
        await this.walk(join(dir, entry.name), path, wants, visit, stats);
      } else if (entry.isFile() && wants(path)) {
        await this.readFile(join(dir, entry.name), path, visit, stats);
      }
    }
  }

  private async readFile(
    absolute: string,
    path: string,
    visit: (file: ArtifactFile) => void,
    stats: ReadStats,
  ): Promise<void> {
    const { size } = await stat(absolute);
    if (size > this.limits.maxFileBytes) {
      stats.skipped++;
      return;
    }
    this.count(stats);
    visit({ path, content: await readFile(absolute) });
  }

  private count(stats: ReadStats): void {
    stats.files++;
    stats.truncated = stats.files >= this.limits.maxFiles;
  }

  private async readArchive(
    path: string,
    ref: string,
    wants: (path: string) => boolean,
    visit: (file: ArtifactFile) => void,
    stats: ReadStats,
  ): Promise<void> {
    const tar = extract();
    tar.on('entry', (header, stream, next) => {
      const name = normalizeEntryName(header.name);
      const wanted =
        header.type === 'file' &&
        name !== undefined &&
        !stats.truncated &&
        !name.split('/').some((part) => SKIPPED_FOLDERS.has(part)) &&
        wants(name);
      if (!wanted || (header.size ?? 0) > this.limits.maxFileBytes) {
        stats.skipped += wanted ? 1 : 0;
        stream.on('end', next).resume();
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
      stream.on('end', () => {
        this.count(stats);
        visit({ path: name, content: Buffer.concat(chunks) });
        next();
      });
    });
    const gzip = /\.(tgz|gz)$/i.test(path);
    const source = createReadStream(path);
    try {
      await (gzip ? pipeline(source, createGunzip(), tar) : pipeline(source, tar));
    } catch (error) {
      throw new JobFailure(
        `the artifact "${ref}" is not a readable tar${gzip ? '.gz' : ''} archive: ${(error as Error).message}`,
      );
    }
  }
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** An archive entry's path, or `undefined` when it tries to leave the archive (`..`, absolute). */
function normalizeEntryName(name: string): string | undefined {
  const parts = name
    .replace(/^\.\//, '')
    .split('/')
    .filter((part) => part !== '' && part !== '.');
  if (parts.length === 0 || parts.includes('..') || name.startsWith('/')) {
    return undefined;
  }
  return parts.join('/');
}
