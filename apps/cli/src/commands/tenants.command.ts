import { Command } from 'commander';
import type { ApiClient } from '../api-client';
import { printResult, type CliIo } from '../output';

/** `vigil tenants create <name>` and `vigil tenants list` (operator key). */
export function tenantsCommand(client: () => ApiClient, io: CliIo): Command {
  const tenants = new Command('tenants').description('manage tenants (needs the operator key)');
  tenants
    .command('create <name>')
    .description('create a tenant and print its first API key (shown once)')
    .option('--json', 'print JSON')
    .action(async (name: string, options: { json?: boolean }) => {
      const created = await client().asOperator<{ tenant: string; apiKey: string }>(
        'POST',
        '/v1/admin/tenants',
        { name },
      );
      printResult(io, options.json === true, created, () => [
        `tenant ${created.tenant} created`,
        `API key (shown once): ${created.apiKey}`,
      ]);
    });
  tenants
    .command('list')
    .description('list tenants')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const listed = await client().asOperator<{ tenants: string[] }>('GET', '/v1/admin/tenants');
      printResult(io, options.json === true, listed, () => listed.tenants);
    });
  return tenants;
}
