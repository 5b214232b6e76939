import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import {
  copyFile,
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rm,
  rmdir,
  stat,
  unlink,
} from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { ArchiveObject, ArchiveStorage } from './archive-storage';

/**
 * The archive in a local folder (the default). A file is first written under a temporary name
 * next to its final place, flushed to disk, then renamed — a rename is atomic, so a reader sees
 * the whole file or none of it — and the folder entry is flushed too.
 */
export class LocalArchiveStorage implements ArchiveStorage {
  readonly description: string;

  constructor(private readonly root: string) {
    this.description = `local folder ${root}`;
  }

  async putFile(key: string, localPath: string): Promise<void> {
    const target = this.pathOf(key);
    const temporary = await this.temporaryNextTo(target);
    try {
      await moveFile(localPath, temporary);
      await fsyncPath(temporary);
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    await fsyncPath(dirname(target));
  }

  async putBytes(key: string, bytes: Uint8Array): Promise<void> {
    const target = this.pathOf(key);
    const temporary = await this.temporaryNextTo(target);
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
    await fsyncPath(dirname(target));
  }

  async getBytes(key: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      if (isMissing(error)) {
        return undefined;
      }
      throw error;
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      await stat(this.pathOf(key));
      return true;
    } catch (error) {
      if (isMissing(error)) {
        return false;
      }
      throw error;
    }
  }

  async *list(prefix: string): AsyncIterable<ArchiveObject> {
    // Walk from the deepest folder the prefix names; filter the rest by prefix.
    const folder = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    for await (const path of walk(join(this.root, folder))) {
      const key = relative(this.root, path).split(sep).join('/');
      if (!key.startsWith(prefix)) {
        continue;
      }
      const info = await stat(path).catch(() => undefined);
      if (info?.isFile()) {
        yield { key, size: info.size, modifiedAt: info.mtime };
      }
    }
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      await unlink(this.pathOf(key)).catch((error: unknown) => {
        if (!isMissing(error)) {
          throw error;
        }
      });
      await removeEmptyParents(dirname(this.pathOf(key)), this.root);
    }
  }

  async localPath(object: ArchiveObject): Promise<string> {
    return this.pathOf(object.key);
  }

  private pathOf(key: string): string {
    if (key.split('/').some((part) => part === '..' || part === '')) {
      throw new Error(`invalid archive key: ${key}`);
    }
    return join(this.root, ...key.split('/'));
  }

  private async temporaryNextTo(target: string): Promise<string> {
    await mkdir(dirname(target), { recursive: true });
    return `${target}.${randomUUID()}.tmp`;
  }
}

async function moveFile(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') {
      throw error;
    }
    // Another file system: copy, then drop the original.
    await copyFile(from, to, constants.COPYFILE_EXCL);
    await unlink(from);
  }
}

async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function* walk(folder: string): AsyncIterable<string> {
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    if (isMissing(error)) {
      return;
    }
    throw error;
  }
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      yield* walk(path);
    } else if (entry.isFile()) {
      yield path;
    }
  }
}

async function removeEmptyParents(folder: string, root: string): Promise<void> {
  let current = folder;
  while (current.startsWith(root) && current !== root) {
    const entries = await readdir(current).catch(() => ['?']);
    if (entries.length > 0) {
      return;
    }
    await rmdir(current).catch(() => undefined);
    current = dirname(current);
  }
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}
