import { accessSync, constants } from 'node:fs';
import { resolve } from 'node:path';
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;
const DURATION_MS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};
const SIZE = /^(\d+(?:\.\d+)?)(B|KiB|MiB|GiB|TiB)?$/;
const SIZE_BYTES: Record<string, number> = {
  B: 1,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
  TiB: 1024 ** 4,
};

/**
 * Reads typed values from the environment. Every problem is collected rather than thrown, so
 * start-up can list all bad keys at once ({@link ConfigError}).
 */
export class EnvParser {
  readonly errors: string[] = [];
  /** Variables read under a name that is going away, with what to use instead (log them at start). */
  readonly deprecations: string[] = [];

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  /** A string; required when no fallback is given. */
  string(name: string, fallback?: string): string {
    const value = this.env[name]?.trim();
    if (value) {
      return value;
    }
    if (fallback === undefined) {
      this.errors.push(`${name} is required`);
      return '';
    }
    return fallback;
  }

  /**
   * The name a renamed variable now has: `current` when set, else `former` (still honoured for
   * one release, noted in {@link EnvParser.deprecations}).
   */
  renamed(current: string, former: string): string {
    if (this.optional(current) === undefined && this.optional(former) !== undefined) {
      this.deprecations.push(`${former} is deprecated and will be removed: set ${current} instead`);
      return former;
    }
    return current;
  }

  /** A string, or `undefined` when unset or blank. */
  optional(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value ? value : undefined;
  }

  /** An integer within bounds. */
  integer(name: string, fallback: number, min: number, max: number): number {
    const raw = this.optional(name);
    if (raw === undefined) {
      return fallback;
    }
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      this.errors.push(
        `${name} must be an integer from ${min} to ${max} (got ${JSON.stringify(raw)})`,
      );
      return fallback;
    }
    return value;
  }

  /** A duration such as `500ms`, `30s`, `10m`, `7d`, in milliseconds. */
  duration(name: string, fallback: string): number {
    const raw = this.optional(name) ?? fallback;
    const match = DURATION.exec(raw);
    if (!match) {
      this.errors.push(
        `${name} must be a duration such as 500ms, 30s, 10m, 12h or 7d (got ${JSON.stringify(raw)})`,
      );
      return parseDuration(fallback);
    }
    return Math.round(Number(match[1]) * (DURATION_MS[match[2] as string] as number));
  }

  /** A size such as `512KiB`, `5MiB`, `10GiB` or plain bytes. */
  size(name: string, fallback: string): number {
    const raw = this.optional(name) ?? fallback;
    const match = SIZE.exec(raw);
    if (!match) {
      this.errors.push(
        `${name} must be a size such as 512KiB, 5MiB or 10GiB (got ${JSON.stringify(raw)})`,
      );
      return parseSize(fallback);
    }
    return Math.round(Number(match[1]) * (SIZE_BYTES[match[2] ?? 'B'] as number));
  }

  /** Comma-separated `key=duration` pairs such as `attack=90d,metric=7d`, in milliseconds. */
  durations(name: string, fallback: string): Record<string, number> {
    const result: Record<string, number> = {};
    for (const pair of (this.optional(name) ?? fallback)
      .split(',')
      .filter((p) => p.trim() !== '')) {
      const [key, value] = pair.split('=').map((part) => part.trim());
      const match = value === undefined ? null : DURATION.exec(value);
      if (!key || !match) {
        this.errors.push(
          `${name} must list key=duration pairs such as attack=90d,metric=7d (got ${JSON.stringify(pair)})`,
        );
        continue;
      }
      result[key] = Math.round(Number(match[1]) * (DURATION_MS[match[2] as string] as number));
    }
    return result;
  }

  /** A comma-separated list. */
  list(name: string): string[] {
    return (this.optional(name) ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0);
  }

  /** One of a fixed set of words. */
  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.optional(name) ?? fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      this.errors.push(`${name} must be one of ${allowed.join(', ')} (got ${JSON.stringify(raw)})`);
      return fallback;
    }
    return raw as T;
  }

  /** `LOG_LEVEL`: one of pino's levels; default `info`. */
  logLevel(): LogLevel {
    return this.oneOf('LOG_LEVEL', LOG_LEVELS, 'info');
  }

  /**
   * What every product service reads alike: where it listens (`VIGIL_HOST`, `VIGIL_PORT`), its
   * data folder, the bus, the platform store (API keys), the log level and the key cache.
   */
  product(defaultPort: number): ProductBasics {
    return {
      logLevel: this.logLevel(),
      host: this.string('VIGIL_HOST', '127.0.0.1'),
      port: this.integer('VIGIL_PORT', defaultPort, 0, 65535),
      dataDir: resolve(this.string('VIGIL_DATA_DIR', './.vigil')),
      natsUrl: this.string('NATS_URL', 'nats://127.0.0.1:4222'),
      natsCredentials: this.natsCredentials(),
      keyCacheTtlMs: this.duration('VIGIL_KEY_CACHE_TTL', '30s'),
    };
  }

  /**
   * How to authenticate to NATS — `NATS_USER` with `NATS_PASSWORD`, `NATS_TOKEN`,
   * `NATS_NKEY_SEED_FILE` or `NATS_CREDS_FILE` (one of them) — and TLS (`NATS_TLS_CA_FILE`,
   * `NATS_TLS_CERT_FILE` with `NATS_TLS_KEY_FILE`); undefined when none is set (a bus that
   * accepts anonymous clients, e.g. a test server). Files must exist and be readable.
   */
  natsCredentials(): NatsCredentials | undefined {
    const user = this.optional('NATS_USER');
    const pass = this.optional('NATS_PASSWORD');
    if ((user === undefined) !== (pass === undefined)) {
      this.fail('NATS_USER and NATS_PASSWORD go together: set both, or neither');
      return undefined;
    }
    const methods = {
      'NATS_USER/NATS_PASSWORD': user,
      NATS_TOKEN: this.optional('NATS_TOKEN'),
      NATS_NKEY_SEED_FILE: this.readableFile('NATS_NKEY_SEED_FILE'),
      NATS_CREDS_FILE: this.readableFile('NATS_CREDS_FILE'),
    };
    const chosen = Object.entries(methods).filter(([, value]) => value !== undefined);
    if (chosen.length > 1) {
      this.fail(
        `set one way to authenticate to NATS, not ${chosen.map(([name]) => name).join(' and ')}`,
      );
      return undefined;
    }
    const tls = this.natsTls();
    const auth = natsAuth(methods, user, pass);
    if (!auth && !tls) {
      return undefined;
    }
    return { ...auth, ...(tls ? { tls } : {}) } as NatsCredentials;
  }

  private natsTls(): NatsTls | undefined {
    const tls = {
      caFile: this.readableFile('NATS_TLS_CA_FILE'),
      certFile: this.readableFile('NATS_TLS_CERT_FILE'),
      keyFile: this.readableFile('NATS_TLS_KEY_FILE'),
    };
    if ((tls.certFile === undefined) !== (tls.keyFile === undefined)) {
      this.fail('NATS_TLS_CERT_FILE and NATS_TLS_KEY_FILE go together: set both, or neither');
    }
    const set = Object.entries(tls).filter(([, value]) => value !== undefined);
    return set.length === 0 ? undefined : Object.fromEntries(set);
  }

  /** An optional path that must name a readable file. */
  private readableFile(name: string): string | undefined {
    const path = this.optional(name);
    if (path === undefined) {
      return undefined;
    }
    try {
      accessSync(path, constants.R_OK);
      return resolve(path);
    } catch {
      this.fail(`${name} names ${JSON.stringify(path)}, which is not a readable file`);
      return undefined;
    }
  }

  /**
   * Copies of each stream in a JetStream cluster: `VIGIL_STREAM_REPLICAS` (default 1) for every
   * stream, and `VIGIL_STREAM_REPLICAS_<STREAM>` for one (the stream name upper-cased, other
   * characters as `_`: `VIGIL_STREAM_REPLICAS_DEADLETTER=1`).
   */
  streamReplicas(): StreamReplicaSettings {
    const byStream: Record<string, number> = {};
    for (const name of Object.keys(this.env)) {
      const stream = /^VIGIL_STREAM_REPLICAS_([A-Z0-9_]+)$/.exec(name)?.[1];
      if (stream) {
        byStream[stream] = this.integer(name, 1, 1, 5);
      }
    }
    return { default: this.integer('VIGIL_STREAM_REPLICAS', 1, 1, 5), byStream };
  }

  /** Records a problem found by a check that is not a single variable's format. */
  fail(message: string): void {
    this.errors.push(message);
  }

  /** Throws a {@link ConfigError} listing every problem, if there is any. */
  assertValid(service: string): void {
    if (this.errors.length > 0) {
      throw new ConfigError(service, this.errors);
    }
  }
}

/** The settings every product service shares (see {@link EnvParser.product}). */
export interface ProductBasics {
  readonly logLevel: LogLevel;
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly natsUrl: string;
  readonly natsCredentials: NatsCredentials | undefined;
  readonly keyCacheTtlMs: number;
}

/** How a service authenticates to the bus and checks it (see {@link EnvParser.natsCredentials}). */
export type NatsCredentials = (
  | { readonly user: string; readonly pass: string }
  | { readonly token: string }
  | { readonly nkeySeedFile: string }
  | { readonly credsFile: string }
  | Record<never, never>
) & { readonly tls?: NatsTls };

/** Replicas of every stream, and per stream by its env-style name (see {@link EnvParser.streamReplicas}). */
export interface StreamReplicaSettings {
  readonly default: number;
  readonly byStream: Readonly<Record<string, number>>;
}

/** TLS files (PEM) for the bus. */
export interface NatsTls {
  readonly caFile?: string;
  readonly certFile?: string;
  readonly keyFile?: string;
}

function natsAuth(
  methods: Record<string, string | undefined>,
  user: string | undefined,
  pass: string | undefined,
): NatsCredentials | undefined {
  if (user !== undefined && pass !== undefined) {
    return { user, pass };
  }
  const token = methods['NATS_TOKEN'];
  const nkeySeedFile = methods['NATS_NKEY_SEED_FILE'];
  const credsFile = methods['NATS_CREDS_FILE'];
  if (token !== undefined) {
    return { token };
  }
  if (nkeySeedFile !== undefined) {
    return { nkeySeedFile };
  }
  return credsFile !== undefined ? { credsFile } : undefined;
}

/** The log levels `LOG_LEVEL` accepts. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** A log level. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Start-up configuration is invalid; the message lists every bad key. */
export class ConfigError extends Error {
  constructor(
    service: string,
    readonly problems: readonly string[],
  ) {
    super(`${service}: invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function parseDuration(text: string): number {
  const match = DURATION.exec(text) as RegExpExecArray;
  return Number(match[1]) * (DURATION_MS[match[2] as string] as number);
}

function parseSize(text: string): number {
  const match = SIZE.exec(text) as RegExpExecArray;
  return Number(match[1]) * (SIZE_BYTES[match[2] ?? 'B'] as number);
}
