import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { SqlClient, SqlPool } from './sql-client';

/** URL scheme of an embedded store: `pglite:<folder>` (e.g. `pglite:./.vigil/db/playbooks`). */
export const EMBEDDED_SCHEME = 'pglite:';

interface OpenStore {
  readonly db: Promise<PGlite>;
  users: number;
}

/**
 * One PGlite instance per folder in this process: PGlite is a single-connection, in-process
 * PostgreSQL, so every pool opened on a folder shares it (the products of the one-command
 * mode share the platform store this way). Closed when its last pool closes.
 */
const open = new Map<string, OpenStore>();

/** True when `url` names an embedded store. */
export function isEmbeddedUrl(url: string): boolean {
  return url.startsWith(EMBEDDED_SCHEME);
}

/**
 * An embedded PostgreSQL (PGlite, WebAssembly) in a folder, behind the same {@link SqlPool}
 * interface and migrations as a server: for the one-command mode, with no database to install.
 * Statements run one at a time; a transaction holds the store until it ends, so code inside a
 * transaction must use the transaction's client, never the pool.
 */
export function createEmbeddedPool(url: string): SqlPool {
  const folder = resolve(url.slice(EMBEDDED_SCHEME.length).replace(/^\/\/(?=\/)/, ''));
  let store = open.get(folder);
  if (!store) {
    mkdirSync(folder, { recursive: true });
    store = { db: PGlite.create(folder), users: 0 };
    open.set(folder, store);
  }
  store.users++;
  const shared = store;
  let closed = false;
  return {
    query: async <Row>(text: string, values?: readonly unknown[]) => {
      const db = await shared.db;
      return { rows: (await db.query<Row>(text, values as unknown[] | undefined)).rows };
    },
    transaction: async <T>(work: (client: SqlClient) => Promise<T>): Promise<T> => {
      const db = await shared.db;
      return db.transaction((tx) =>
        work({
          query: async <Row>(text: string, values?: readonly unknown[]) => ({
            rows: (await tx.query<Row>(text, values as unknown[] | undefined)).rows,
          }),
        }),
      );
    },
    close: async () => {
      if (closed) {
        return;
      }
      closed = true;
      shared.users--;
      if (shared.users === 0) {
        open.delete(folder);
        await (await shared.db).close();
      }
    },
  };
}
