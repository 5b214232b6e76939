import type { PlaybookV2 } from '@vigil/signals';
import { runBacktest, type BacktestSignal } from './backtest';
import { BUILTIN_PLAYBOOKS } from './builtin-playbooks';
import { ATTACK_CLASSES } from './fixtures/attack-traffic';
import { BENIGN_CLASSES } from './fixtures/benign-traffic';
import { listResolver } from './lists/list-matcher';
import { SHIPPED_LISTS } from './lists/shipped-lists';

const DAY_AGO = Date.parse('2026-11-20T10:00:00.000Z');
const bruteForce = BUILTIN_PLAYBOOKS.find((p) => p.id === 'brute-force') as PlaybookV2;

/** Archived traffic: a brute force on one account, and a user who mistypes four times. */
function archived(): BacktestSignal[] {
  const scene = { app: 'shop', start: DAY_AGO, seed: 5, ip: '203.0.113.60' };
  const attack = ATTACK_CLASSES.find((c) => c.name === 'brute-force')?.generate(scene);
  const typo = BENIGN_CLASSES.find((c) => c.name === 'mistyped-password')?.generate(scene);
  return [...(attack?.signals ?? []), ...(typo?.signals ?? [])].sort(
    (a, b) => a.receivedAt - b.receivedAt,
  );
}

async function* stream(signals: readonly BacktestSignal[]): AsyncIterable<BacktestSignal> {
  yield* signals;
}

const limits = {
  tenant: 'acme',
  lists: listResolver(SHIPPED_LISTS),
  lateAllowanceMs: 120_000,
  maxClockSkewMs: 30_000,
  maxGroups: 10_000,
  maxDetections: 1_000,
};

describe('runBacktest', () => {
  it('reports would-be detections over history: the attacker, not the user who mistypes', async () => {
    const result = await runBacktest(
      { ...limits, candidate: { definition: bruteForce, version: 0 } },
      stream(archived()),
    );
    expect(result.signalsRead).toBe(205);
    expect(result.candidate.detections).toEqual([
      expect.objectContaining({
        playbookId: 'brute-force',
        thresholdName: 'burst',
        target: { ip: '203.0.113.60' },
        count: 10,
      }),
    ]);
    expect(result.baseline).toBeUndefined();
  });

  it('compares a changed playbook with the active version on the same signals', async () => {
    const stricter: PlaybookV2 = {
      ...bruteForce,
      thresholds: [{ name: 'burst', windowSeconds: 300, count: 4 }],
    };
    const result = await runBacktest(
      {
        ...limits,
        candidate: { definition: stricter, version: 2 },
        baseline: { definition: bruteForce, version: 1 },
      },
      stream(archived()),
    );
    // At 4 failures the mistyping user is caught too, and the attack crosses earlier.
    const added = result.difference?.added.map((d) => d.group['/data/user/login']) ?? [];
    expect(added.sort()).toEqual(['admin', 'alice@example.com']);
    expect(result.difference?.removed.map((d) => d.group['/data/user/login'])).toEqual(['admin']);
    expect(result.difference?.unchanged).toBe(0);
  });

  it('an empty window is an empty result, not an error', async () => {
    const result = await runBacktest(
      { ...limits, candidate: { definition: bruteForce, version: 0 } },
      stream([]),
    );
    expect(result).toMatchObject({
      signalsRead: 0,
      candidate: { detections: [], truncated: false },
    });
  });

  it('keeps at most the bound of detections and says it truncated', async () => {
    const noisy: PlaybookV2 = {
      ...bruteForce,
      thresholds: [{ name: 'burst', windowSeconds: 300, count: 1 }],
      response: { action: 'notify', durationSeconds: 5 },
    };
    const result = await runBacktest(
      { ...limits, maxDetections: 3, candidate: { definition: noisy, version: 0 } },
      stream(archived()),
    );
    expect(result.candidate.detections).toHaveLength(3);
    expect(result.candidate.truncated).toBe(true);
  });
});
