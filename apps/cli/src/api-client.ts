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
    const key = this.settings.apiKey;
    if (!key) {
      throw new ApiCallError(
        0,
        'no-api-key',
        'no API key: pass --api-key, set VIGIL_API_KEY, or run where npm start saved .vigil/api.key (VIGIL_DATA_DIR)',
      );
    }
    return this.call(method, path, key, body);
  }

  private async call<T>(method: string, path: string, key: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.settings.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${key}`,
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
    const text = await response.text();
    const parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    if (!response.ok) {
      throw new ApiCallError(
        response.status,
        String(parsed['error'] ?? response.status),
        String(parsed['message'] ?? response.statusText),
        parsed,
      );
    }
    return parsed as T;
  }
}
