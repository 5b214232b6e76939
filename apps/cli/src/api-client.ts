import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** An error answer of the Vigil API, with its status and the server's message. */
export class ApiCallError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The whole error body (e.g. `errors`, `breaking`), for commands that print the details. */
    readonly body: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'ApiCallError';
  }
}

/** Where the API is and which keys to use, from flags and the environment. */
export interface ClientSettings {
  readonly url: string;
  /** A tenant API key (`--api-key`, `VIGIL_API_KEY`, else `<VIGIL_DATA_DIR>/api.key`). */
  readonly apiKey: string | undefined;
  /** The operator key (`VIGIL_ADMIN_KEY`, else `<VIGIL_DATA_DIR>/operator.key`). */
  readonly operatorKey: string | undefined;
}

/** Resolves the client settings; flags win over the environment. */
export function clientSettings(
  flags: { url?: string; apiKey?: string },
  env: NodeJS.ProcessEnv,
): ClientSettings {
  const dataDir = resolve(env['VIGIL_DATA_DIR'] ?? '.vigil');
  return {
    url: (flags.url ?? env['VIGIL_URL'] ?? 'http://127.0.0.1:8080').replace(/\/+$/, ''),
    apiKey: flags.apiKey ?? env['VIGIL_API_KEY'] ?? readKeyFile(join(dataDir, 'api.key')),
    operatorKey: env['VIGIL_ADMIN_KEY'] ?? readKeyFile(join(dataDir, 'operator.key')),
  };
}

/** A key saved in the data folder (`npm start` saves the operator key and the first tenant's key). */
function readKeyFile(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8').trim() : undefined;
}

/** A thin JSON client of the Vigil HTTP API. */
export class ApiClient {
  constructor(private readonly settings: ClientSettings) {}

  /** Calls the API with the operator key. */
  asOperator<T>(method: string, path: string, body?: unknown): Promise<T> {
    const key = this.settings.operatorKey;
    if (!key) {
      throw new ApiCallError(
        0,
        'no-operator-key',
        'no operator key: set VIGIL_ADMIN_KEY, or run where the platform wrote .vigil/operator.key (VIGIL_DATA_DIR)',
      );
    }
    return this.call(method, path, key, body);
  }

  /** Calls the API with the tenant API key. */
  asTenant<T>(method: string, path: string, body?: unknown): Promise<T> {
    return this.call(method, path, this.tenantKey(), body);
  }

  /**
   * Calls the API with the tenant key, asking for newline-delimited JSON: each line is handed
   * to `onLine` as it arrives (progress), and the last one is returned.
   */
  async streamAsTenant(
    method: string,
    path: string,
    body: unknown,
    onLine: (line: Record<string, unknown>) => void,
  ): Promise<Record<string, unknown> | undefined> {
    const response = await this.send(method, path, this.tenantKey(), body, 'application/x-ndjson');
    if (!response.ok || !response.body) {
      throw await callError(response);
    }
    let last: Record<string, unknown> | undefined;
    let pending = '';
    const decoder = new TextDecoder();
    for await (const chunk of response.body) {
      const lines = (pending + decoder.decode(chunk, { stream: true })).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines.filter((l) => l.length > 0)) {
        last = JSON.parse(line) as Record<string, unknown>;
        onLine(last);
      }
    }
    return last;
  }

  /** The tenant API key, or the error every command gives without one. */
  tenantKey(): string {
    const key = this.settings.apiKey;
    if (!key) {
      throw new ApiCallError(
        0,
        'no-api-key',
        'no API key: pass --api-key, set VIGIL_API_KEY, or run where npm start saved .vigil/api.key (VIGIL_DATA_DIR)',
      );
    }
    return key;
  }

  private async call<T>(method: string, path: string, key: string, body?: unknown): Promise<T> {
    const response = await this.send(method, path, key, body);
    if (!response.ok) {
      throw await callError(response);
    }
    const text = await response.text();
    return (text ? JSON.parse(text) : {}) as T;
  }

  private async send(
    method: string,
    path: string,
    key: string,
    body: unknown,
    accept = 'application/json',
  ): Promise<Response> {
    try {
      return await fetch(`${this.settings.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${key}`,
          accept,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new ApiCallError(
        0,
        'unreachable',
        `cannot reach Vigil at ${this.settings.url} (set VIGIL_URL or --url): ${(error as Error).message}`,
      );
    }
  }
}

async function callError(response: Response): Promise<ApiCallError> {
  const text = await response.text();
  const parsed = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
  return new ApiCallError(
    response.status,
    String(parsed['error'] ?? response.status),
    String(parsed['message'] ?? response.statusText),
    parsed,
  );
}
