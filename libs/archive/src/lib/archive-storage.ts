/** One stored object of the archive. */
export interface ArchiveObject {
  /** Key relative to the archive root, `/`-separated. */
  readonly key: string;
  readonly size: number;
  readonly modifiedAt: Date;
}

/**
 * Where archive files are kept. Every implementation makes a file visible only once it is
 * complete and durable, so readers never see half a file and the archiver may acknowledge the
 * messages it holds as soon as {@link ArchiveStorage.putFile} resolves.
 */
export interface ArchiveStorage {
  /** Where the data lives, for start-up logs (no credentials). */
  readonly description: string;
  /** Stores a finished local file under `key`; the local file is consumed. */
  putFile(key: string, localPath: string): Promise<void>;
  /** Stores a small object (ledger entries) atomically. */
  putBytes(key: string, bytes: Uint8Array): Promise<void>;
  /** Reads a small object, or undefined when it does not exist. */
  getBytes(key: string): Promise<Buffer | undefined>;
  /** True when the object exists. */
  exists(key: string): Promise<boolean>;
  /** Objects whose key starts with `prefix`, in no particular order. */
  list(prefix: string): AsyncIterable<ArchiveObject>;
  /** Deletes objects; missing ones are ignored. */
  delete(keys: readonly string[]): Promise<void>;
  /** A local file with the object's content, for the query engine (the object itself when local). */
  localPath(object: ArchiveObject): Promise<string>;
  /** Releases connections and sockets, if the storage holds any. */
  close?(): void;
}

/** The storage could not be reached or refused an operation; the caller retries later. */
export class ArchiveStorageError extends Error {
  override readonly name = 'ArchiveStorageError';
}
