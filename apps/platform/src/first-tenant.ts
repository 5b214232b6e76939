import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the first tenant's API key is saved for the CLI (`VIGIL_API_KEY` wins over it). */
export function apiKeyFile(dataDir: string): string {
  return join(dataDir, 'api.key');
}

/**
 * On first start, creates the first tenant through ingestion's admin API with the operator key,
 * prints its API key once and saves it (owner-only) for the CLI. Later starts find the file and
 * do nothing.
 */
export async function ensureFirstTenant(
  ingestionUrl: string,
  dataDir: string,
  name: string,
  adminKey: string | undefined,
  log: (line: string) => void,
): Promise<void> {
  const file = apiKeyFile(dataDir);
  if (existsSync(file)) {
    return;
  }
  const operatorKey = adminKey ?? readFileSync(join(dataDir, 'operator.key'), 'utf8').trim();
  const response = await fetch(`${ingestionUrl}/v1/admin/tenants`, {
    method: 'POST',
    headers: { authorization: `Bearer ${operatorKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  const answer = (await response.json()) as { apiKey?: string; message?: string };
  if (!answer.apiKey) {
    log(
      `vigil: the first tenant "${name}" was not created (${answer.message ?? response.status}); create one with: npx vigil tenants create <name>`,
    );
    return;
  }
  writeFileSync(file, `${answer.apiKey}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  log(
    `vigil: created the first tenant "${name}"; its API key (shown once, saved to ${file} for the CLI): ${answer.apiKey}`,
  );
}
