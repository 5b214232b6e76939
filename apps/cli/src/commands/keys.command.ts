import { Command } from 'commander';
import type { ApiClient } from '../api-client';
import { printResult, type CliIo } from '../output';

interface KeyInfo {
  readonly id: string;
  readonly scopes: readonly string[];
  readonly app: string | null;
  readonly createdAt: string;
  readonly revokedAt: string | null;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** `vigil keys create|list|revoke` (a tenant key with the `admin` scope). */
export function keysCommand(client: () => ApiClient, io: CliIo): Command {
  const keys = new Command('keys').description(
    "manage your tenant's API keys (needs an admin-scoped key)",
  );
  keys
    .command('create')
    .description('issue an API key and print it (shown once)')
    .requiredOption(
      '--scope <scope>',
      'a scope: signals:write, read or admin (repeatable)',
      collect,
    )
    .option('--app <app>', 'only allow signals about this application')
    .option('--json', 'print JSON')
    .action(async (options: { scope: string[]; app?: string; json?: boolean }) => {
      const body =
        options.app === undefined
          ? { scopes: options.scope }
          : { scopes: options.scope, app: options.app };
      const issued = await client().asTenant<{ id: string; apiKey: string }>(
        'POST',
        '/v1/admin/keys',
        body,
      );
      printResult(io, options.json === true, issued, () => [
        `key ${issued.id} created`,
        `API key (shown once): ${issued.apiKey}`,
      ]);
    });
  keys
    .command('list')
    .description('list API keys (never their secrets)')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const listed = await client().asTenant<{ keys: KeyInfo[] }>('GET', '/v1/admin/keys');
      printResult(io, options.json === true, listed, () =>
        listed.keys.map(
          (k) =>
            `${k.id}  ${k.scopes.join(',')}${k.app ? `  app=${k.app}` : ''}${k.revokedAt ? '  (revoked)' : ''}`,
        ),
      );
    });
  keys
    .command('revoke <id>')
    .description('revoke an API key')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }) => {
      await client().asTenant('DELETE', `/v1/admin/keys/${encodeURIComponent(id)}`);
      printResult(io, options.json === true, { id, revoked: true }, () => [`key ${id} revoked`]);
    });
  return keys;
}
