import type { NatsConnection, Subscription } from '@vigil/bus';
import { KEY_DIRECTORY_SUBJECTS } from '@vigil/topology';
import { TenantRuleError } from './tenant-errors';
import type { KeyDirectory } from './key-directory';
import type { IssuedApiKey, StoredApiKey, TenantRepository } from './tenant.repository';

/** Subjects of the key directory (request/reply, answered by ingestion's queue group). */
export { KEY_DIRECTORY_SUBJECTS };

const QUEUE = 'vigil-key-directory';
const DEFAULT_TIMEOUT_MS = 2_000;
/** Keys issued over the bus live at most this long (a job's deadline plus grace is far less). */
const MAX_ISSUED_LIFETIME_MS = 7 * 86_400_000;
const ISSUABLE_SCOPES = new Set(['signals:write', 'read']);
const MAX_REQUEST_BYTES = 4_096;

type Answer<T> = { readonly ok: T } | { readonly error: string; readonly rule?: boolean };

/** The directory could not be asked (ingestion unreachable, timed out): callers answer 503. */
export class KeyDirectoryUnavailableError extends Error {}

/**
 * A product's view of the platform's keys, asked of ingestion over NATS request/reply. The
 * presented secret never leaves the product: the lookup returns the stored key with its
 * secret's hash, and `CredentialVerifier` compares locally and caches the answer.
 */
export class BusKeyDirectory implements KeyDirectory {
  constructor(
    private readonly nc: NatsConnection,
    private readonly timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {}

  async findKey(id: string): Promise<StoredApiKey | undefined> {
    return (await this.ask<StoredApiKey | null>(KEY_DIRECTORY_SUBJECTS.find, { id })) ?? undefined;
  }

  createKey(
    tenant: string,
    scopes: readonly unknown[],
    app: string | undefined,
    expiresAt: Date,
  ): Promise<IssuedApiKey> {
    return this.ask(KEY_DIRECTORY_SUBJECTS.issue, {
      tenant,
      scopes,
      app,
      expiresAt: expiresAt.toISOString(),
    });
  }

  revokeKey(tenant: string, id: string): Promise<boolean> {
    return this.ask(KEY_DIRECTORY_SUBJECTS.revoke, { tenant, id });
  }

  private async ask<T>(subject: string, body: unknown): Promise<T> {
    let answer: Answer<T>;
    try {
      const reply = await this.nc.request(subject, JSON.stringify(body), {
        timeout: this.timeoutMs,
      });
      answer = reply.json<Answer<T>>();
    } catch (error) {
      throw new KeyDirectoryUnavailableError(
        `the key directory (ingestion) does not answer on ${subject}: ${(error as Error).message}`,
      );
    }
    if ('ok' in answer) {
      return answer.ok;
    }
    throw answer.rule ? new TenantRuleError(answer.error) : new Error(answer.error);
  }
}

/**
 * Ingestion's side: answers the directory's requests from the platform store. Only keys that
 * expire can be issued or revoked this way, with at most the `signals:write` and `read`
 * scopes, so a bus client can never mint or revoke a tenant's lasting (admin) keys.
 */
export function serveKeyDirectory(
  nc: NatsConnection,
  repository: Pick<TenantRepository, 'findKey' | 'createKey' | 'revokeExpiringKey'>,
  onRevoked: (keyId: string) => void,
): Subscription[] {
  const serve = <T>(subject: string, handle: (body: Record<string, unknown>) => Promise<T>) =>
    nc.subscribe(subject, {
      queue: QUEUE,
      callback: (error, message) => {
        if (error) {
          return;
        }
        void answer(() => handle(parse(message.data))).then((reply) => message.respond(reply));
      },
    });
  return [
    serve(KEY_DIRECTORY_SUBJECTS.find, async ({ id }) =>
      typeof id === 'string' && id.length <= 64 ? ((await repository.findKey(id)) ?? null) : null,
    ),
    serve(KEY_DIRECTORY_SUBJECTS.issue, ({ tenant, scopes, app, expiresAt }) => {
      const expiry = issuableExpiry(expiresAt);
      if (!Array.isArray(scopes) || !scopes.every((scope) => ISSUABLE_SCOPES.has(String(scope)))) {
        throw new TenantRuleError('keys issued over the bus may only have signals:write and read');
      }
      if (typeof tenant !== 'string' || (app !== undefined && typeof app !== 'string')) {
        throw new TenantRuleError('"tenant" and "app" must be strings');
      }
      return repository.createKey(tenant, scopes, app, expiry);
    }),
    serve(KEY_DIRECTORY_SUBJECTS.revoke, async ({ tenant, id }) => {
      if (typeof tenant !== 'string' || typeof id !== 'string') {
        throw new TenantRuleError('"tenant" and "id" must be strings');
      }
      const revoked = await repository.revokeExpiringKey(tenant, id);
      if (revoked) {
        onRevoked(id);
      }
      return revoked;
    }),
  ];
}

function parse(data: Uint8Array): Record<string, unknown> {
  if (data.length > MAX_REQUEST_BYTES) {
    throw new TenantRuleError(`a key directory request holds at most ${MAX_REQUEST_BYTES} bytes`);
  }
  const body: unknown = JSON.parse(new TextDecoder().decode(data));
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new TenantRuleError('a key directory request is a JSON object');
  }
  return body as Record<string, unknown>;
}

function issuableExpiry(value: unknown): Date {
  const expiry = typeof value === 'string' ? new Date(value) : new Date(NaN);
  const lifetime = expiry.getTime() - Date.now();
  if (Number.isNaN(lifetime) || lifetime <= 0 || lifetime > MAX_ISSUED_LIFETIME_MS) {
    throw new TenantRuleError('"expiresAt" must be a date-time within the next 7 days');
  }
  return expiry;
}

async function answer<T>(handle: () => Promise<T> | T): Promise<string> {
  try {
    return JSON.stringify({ ok: await handle() });
  } catch (error) {
    const rule = error instanceof TenantRuleError || error instanceof SyntaxError;
    return JSON.stringify({
      error: rule ? (error as Error).message : 'the key store failed',
      rule,
    });
  }
}
