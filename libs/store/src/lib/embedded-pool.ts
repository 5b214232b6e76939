import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { EMBEDDED_POSTGRES_CONF, initializeEmbeddedStore } from './embedded-initdb';
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

/** Where a datastore URL points, for start-up lines (never with a password). */
export function describeDatabase(url: string): string {
  if (isEmbeddedUrl(url)) {
    return `the embedded store in ${resolve(url.slice(EMBEDDED_SCHEME.length))}`;
  }
  try {
    const parsed = new URL(url);
    return `PostgreSQL database ${parsed.pathname.slice(1)} on ${parsed.host}`;
  } catch {
    return 'PostgreSQL (unparsable URL)';
  }
}

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
    const ready = initializeEmbeddedStore(folder);
    store = {
      db: ready.then(() => PGlite.create(folder, { postgresqlconf: EMBEDDED_POSTGRES_CONF })),
      users: 0,
    };
    open.set(folder, store);
  }
  store.users++;
  const shared = store;
  let closed = false;
  return {
    query: async <Row>(text: string, values?: readonly unknown[]) =>
      run<Row>(await shared.db, text, values),
    transaction: async <T>(work: (client: SqlClient) => Promise<T>): Promise<T> => {
      const db = await shared.db;
      return db.transaction((tx) =>
        work({
          query: <Row>(text: string, values?: readonly unknown[]) => run<Row>(tx, text, values),
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

/**
 * A statement with parameters goes through the extended protocol; one without may hold several
 * statements (a migration), which only the simple protocol (`exec`) takes: its last result is
 * returned.
 */
async function run<Row>(
  db: Pick<PGlite, 'query' | 'exec'>,
  text: string,
  values?: readonly unknown[],
): Promise<{ rows: Row[] }> {
  if (values && values.length > 0) {
    return { rows: (await db.query<Row>(text, values as unknown[])).rows };
  }
  const results = await db.exec(text);
  return { rows: (results.at(-1)?.rows ?? []) as Row[] };
}
