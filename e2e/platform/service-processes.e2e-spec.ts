import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@vigil/sdk';
import { eventually, freePort } from '@vigil/testing';
import { interrupt, npmStart, waitUntilReady, type StartedPlatform } from './npm-start';

const SERVICES = ['archive', 'ingestion', 'insights', 'playbooks', 'scan-workers', 'scans'];

/** The launcher's service processes of the platform using `dataDir`, by service name. */
function serviceProcesses(dataDir: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    const read = (file: string) => {
      try {
        return readFileSync(`/proc/${entry}/${file}`, 'utf8');
      } catch {
        return '';
      }
    };
    const args = read('cmdline').split('\0');
    const at = args.findIndex((arg) => /service-child\.[jt]s$/.test(arg));
    if (at >= 0 && read('environ').split('\0').includes(`VIGIL_DATA_DIR=${dataDir}`)) {
      found.set(args[at + 1] ?? '?', Number(entry));
    }
  }
  return found;
}

/**
 * `npm start` runs every service in a process of its own under the launcher (both cores used,
 * no embedded store blocking another product): a service that crashes is started again and
 * the platform recovers; a launcher killed outright leaves no service behind.
 */
describe('npm start: one process per service under the launcher', () => {
  let dataDir: string;
  let platform: StartedPlatform;
  let url: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'vigil-processes-e2e-'));
    platform = npmStart({
      VIGIL_DATA_DIR: dataDir,
      VIGIL_PORT: String(await freePort()),
      VIGIL_ARCHIVE_BATCH_AGE: '1s',
    });
    url = await waitUntilReady(platform);
  }, 180_000);

  afterAll(async () => {
    await interrupt(platform);
    // After the launcher was killed outright, its nats-server is still in the process group.
    try {
      process.kill(-(platform.child.pid ?? 0), 'SIGKILL');
    } catch {
      // the group is already gone
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs each service in its own process', () => {
    expect([...serviceProcesses(dataDir).keys()].sort()).toEqual(SERVICES);
  });

  it('starts a crashed product again, which then indexes what arrived meanwhile', async () => {
    const before = serviceProcesses(dataDir).get('insights') ?? 0;
    process.kill(before, 'SIGKILL');
    const key = readFileSync(join(dataDir, 'api.key'), 'utf8').trim();
    const sdk = createClient({
      endpoint: url,
      apiKey: key,
      source: 'agent://restarted/pod-1',
      subject: 'restarted',
    });
    for (let i = 0; i < 5; i++) {
      sdk.publish('attack', {
        category: 'sqli',
        action: 'blocked',
        rule: { id: 'sqli-001' },
        actor: { ip: `203.0.113.${i + 1}` },
      });
    }
    await sdk.close();
    expect(sdk.counters()).toMatchObject({ sent: 5, rejected: 0, dropped: 0 });
    await eventually(async () => {
      const now = serviceProcesses(dataDir).get('insights');
      return now !== undefined && now !== before;
    }, 60_000);
    expect(platform.output()).toMatch(/insights exited unexpectedly \(SIGKILL\); restarting it/);
    await eventually(async () => (await fetch(`${url}/readyz`)).status === 200, 60_000);
    await eventually(async () => {
      const response = await fetch(`${url}/v1/apps/restarted`, {
        headers: { authorization: `Bearer ${key}` },
      });
      const summary = (await response.json()) as { attacks?: { last24h: number } };
      return summary.attacks?.last24h === 5;
    }, 60_000);
  }, 180_000);

  it('leaves no service running when the launcher itself is killed', async () => {
    const launcher = launcherPid(serviceProcesses(dataDir).get('ingestion') ?? 0);
    process.kill(launcher, 'SIGKILL');
    await eventually(async () => serviceProcesses(dataDir).size === 0, 40_000);
  }, 60_000);
});

/** The parent of a service process: the launcher. */
function launcherPid(child: number): number {
  const stat = readFileSync(`/proc/${child}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}
