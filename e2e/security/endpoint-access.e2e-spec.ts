import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALL_SCOPES } from '@vigil/tenants';
import { freePort, issueApiKey } from '@vigil/testing';
import { PRODUCT_NAMES } from '@vigil/topology';
import {
  npmStart,
  stopAndRemove,
  waitUntilReady,
  type StartedPlatform,
} from '../platform/npm-start';

const OPERATOR_KEY = 'e2e-security-operator-key-0123456789abcdef';
/** A key of the right shape that no tenant holds. */
const FORGED_KEY = 'vgl_forged_0123456789abcdef0123456789abcdef';

interface OpenApiDocument {
  readonly paths: Record<
    string,
    Record<
      string,
      { readonly security?: readonly unknown[]; readonly 'x-vigil-requires'?: readonly string[] }
    >
  >;
}

/** A documented operation; `open` when its document declares it public (`security: []`). */
interface Operation {
  readonly method: string;
  readonly path: string;
  readonly open: boolean;
  /** `operator`, or the scopes of which a key needs one. */
  readonly requires: readonly string[];
}

/** Every documented operation of every product, as `METHOD /path` with placeholders filled. */
async function documentedOperations(url: string): Promise<Operation[]> {
  const products = PRODUCT_NAMES.filter((name) => name !== 'scan-workers');
  const operations: Operation[] = [];
  for (const product of products) {
    const response = await fetch(`${url}/openapi/${product}.json`);
    expect({ product, status: response.status }).toEqual({ product, status: 200 });
    const document = (await response.json()) as OpenApiDocument;
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        operations.push({
          method: method.toUpperCase(),
          path: path.replace(/\{[^}]+\}/g, 'probe-id'),
          open: operation.security?.length === 0,
          requires: operation['x-vigil-requires'] ?? [],
        });
      }
    }
  }
  return operations;
}

/**
 * Every operation the API documents list, called without a key, with a forged one and with a
 * malformed header: each answers 401 with the common error shape and no stack trace, except
 * those its document declares public (`security: []`) — generated from the documents,
 * so a new endpoint is covered without touching this test (`npm start`, a real platform).
 */
describe('security: no endpoint answers without a valid key and the right scope (generated from the API documents; npm start)', () => {
  let dataDir: string;
  let platform: StartedPlatform;
  let url: string;
  let operations: Operation[];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'vigil-security-e2e-'));
    platform = npmStart({
      VIGIL_DATA_DIR: dataDir,
      VIGIL_PORT: String(await freePort()),
      VIGIL_ADMIN_KEY: OPERATOR_KEY,
    });
    url = await waitUntilReady(platform);
    operations = await documentedOperations(url);
  }, 180_000);

  afterAll(() => stopAndRemove(platform, dataDir), 60_000);

  const call = async (method: string, path: string, authorization?: string) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        ...(authorization ? { authorization } : {}),
        ...(method === 'GET' || method === 'DELETE' ? {} : { 'content-type': 'application/json' }),
      },
      body: method === 'GET' || method === 'DELETE' ? undefined : '{}',
    });
    const text = await response.text();
    return { status: response.status, text };
  };

  it('documents the operations it checks; the only public ones are reads of the schema registry', () => {
    expect(operations.length).toBeGreaterThan(30);
    expect(operations.filter((o) => o.open).map((o) => `${o.method} ${o.path}`)).toEqual([
      'GET /v1/schemas',
      'GET /v1/schemas/probe-id/probe-id',
    ]);
  });

  it('refuses every documented operation a key without the right with 403', async () => {
    const tenantKey = readFileSync(join(dataDir, 'api.key'), 'utf8').trim();
    const keys = new Map<string, string>([['operator', OPERATOR_KEY]]);
    for (const scope of ALL_SCOPES) {
      keys.set(scope, await issueApiKey(url, tenantKey, { scopes: [scope] }));
    }
    const answers: Answer[] = [];
    for (const { method, path, requires, open } of operations.filter((o) => !o.open)) {
      const wrong = requires.includes('operator')
        ? [...ALL_SCOPES]
        : ['operator', ...ALL_SCOPES.filter((scope) => !requires.includes(scope))];
      expect({ operation: `${method} ${path}`, documented: requires.length > 0, open }).toEqual({
        operation: `${method} ${path}`,
        documented: true,
        open: false,
      });
      for (const holder of wrong) {
        const { status, text } = await call(method, path, `Bearer ${keys.get(holder) ?? ''}`);
        answers.push({ operation: `${method} ${path}`, holder, status, error: safeError(text) });
      }
    }
    expect(answers.length).toBeGreaterThan(60);
    // Only ingestion holds the operator key: elsewhere it is just an unknown key (401).
    const refused = (a: Answer) =>
      (a.status === 403 && a.error === 'forbidden') ||
      (a.holder === 'operator' && a.status === 401 && a.error === 'unauthorized');
    expect(answers.filter((a) => !refused(a))).toEqual([]);
  });

  it.each([
    ['without a key', undefined],
    ['with a forged key', `Bearer ${FORGED_KEY}`],
    ['with a malformed header', 'Basic dXNlcjpwYXNz'],
  ])('refuses every documented operation %s with 401', async (_case, authorization) => {
    const answers: Answer[] = [];
    for (const { method, path } of operations.filter((operation) => !operation.open)) {
      const { status, text } = await call(method, path, authorization);
      answers.push({ operation: `${method} ${path}`, status, error: safeError(text) });
    }
    const wrong = answers.filter((a) => a.status !== 401 || a.error !== 'unauthorized');
    expect(wrong).toEqual([]);
  });
});

/** What one call answered, and with whose key. */
interface Answer {
  readonly operation: string;
  readonly holder?: string;
  readonly status: number;
  readonly error: string;
}

/** The `error` of a JSON error body, or a marker when the body is not the common shape or leaks a stack. */
function safeError(text: string): string {
  if (/\n\s+at /.test(text)) {
    return 'stack-trace-in-body';
  }
  try {
    return String((JSON.parse(text) as { error?: unknown }).error);
  } catch {
    return 'not-json';
  }
}
