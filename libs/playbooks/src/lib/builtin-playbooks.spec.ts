import type { ActivePlaybook } from './compiled-playbook';
import { blockTarget, type Detection } from './detection';
import { DetectionEngine } from './detection-engine';
import { BUILTIN_PLAYBOOKS } from './builtin-playbooks';
import { ATTACK_CLASSES } from './fixtures/attack-traffic';
import { BENIGN_CLASSES } from './fixtures/benign-traffic';
import type { TrafficPiece, TrafficScene } from './fixtures/traffic';

const START = Date.parse('2026-12-01T08:00:00.000Z');
const scene: TrafficScene = { app: 'shop', start: START, seed: 42, ip: '203.0.113.10' };

/** Every built-in over one piece of traffic, fed in receive order; final detections by id. */
function detect(piece: TrafficPiece, only?: string): Detection[] {
  const active: ActivePlaybook[] = BUILTIN_PLAYBOOKS.filter((p) => !only || p.id === only).map(
    (definition) => ({ definition, version: 0 }),
  );
  let now = START;
  const engine = new DetectionEngine(() => active, {
    maxGroupsPerTenant: 100_000,
    lateAllowanceMs: 120_000,
    maxClockSkewMs: 30_000,
    now: () => now,
  });
  const byId = new Map<string, Detection>();
  const inReceiveOrder = [...piece.signals].sort((a, b) => a.receivedAt - b.receivedAt);
  for (const signal of inReceiveOrder) {
    now = signal.receivedAt;
    for (const detection of engine.observe({ tenant: 'acme', ...signal }).detections) {
      byId.set(detection.id, detection);
    }
  }
  return [...byId.values()];
}

describe('built-in playbooks over their fixtures', () => {
  it.each(ATTACK_CLASSES.map((c) => [c.name, c.playbook, c] as const))(
    '%s: %s fires exactly once, on the attacker',
    (_name, playbook, attack) => {
      const piece = attack.generate(scene);
      const detections = detect(piece, playbook);
      expect(detections.map((d) => d.playbookId)).toEqual([playbook]);
      expect(blockTarget((detections[0] as Detection).response)).toEqual(piece.target);
    },
  );

  it.each(BENIGN_CLASSES.map((c) => [c.name, c] as const))(
    '%s: no built-in playbook fires',
    (_name, benign) => {
      const piece = benign.generate(scene);
      expect(piece.signals.length).toBeGreaterThan(0);
      expect(detect(piece).map((d) => `${d.playbookId}/${d.thresholdName}`)).toEqual([]);
    },
  );

  it('every built-in playbook has an attack fixture that it must catch', () => {
    const covered = new Set(ATTACK_CLASSES.map((c) => c.playbook));
    expect(BUILTIN_PLAYBOOKS.map((p) => p.id).filter((id) => !covered.has(id))).toEqual([]);
  });

  it('fixtures are deterministic: the same scene yields the same signals', () => {
    const [first] = ATTACK_CLASSES;
    expect(first?.generate(scene)).toEqual(first?.generate(scene));
    expect(first?.generate({ ...scene, seed: 43 })).not.toEqual(first?.generate(scene));
  });
});
