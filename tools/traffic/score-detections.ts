/**
 * Scores detections against a generated day's ground truth: per attack class, planted
 * instances caught (a detection naming the attacker on its application while or soon after it
 * ran), the detection delay in event time, and the targets acted on that were never attackers.
 */
import type { GeneratedDay, PlantedAttack } from './day-traffic';

/** What a detection must carry to be scored (the API's and the engine's shapes both have it). */
export interface ScoredDetection {
  readonly playbookId: string;
  readonly app?: string | undefined;
  readonly group: Readonly<Record<string, string>>;
  readonly detectedAt: string;
  readonly response?: { readonly action: string; readonly ip?: string; readonly user?: string };
}

/** One attack class's score. */
export interface ClassScore {
  readonly class: string;
  readonly playbook: string;
  readonly planted: number;
  readonly caught: number;
  /** Median delay from the attack's first signal to its detection (event time, seconds). */
  readonly medianDelaySeconds: number | undefined;
}

/** The whole score. */
export interface DetectionScore {
  readonly classes: readonly ClassScore[];
  readonly caught: number;
  readonly planted: number;
  /** Targets detections named that were no attacker (benign look-alikes or visitors). */
  readonly falsePositiveTargets: readonly string[];
}

const GRACE_MS = 3_600_000;

/** Scores `detections` against `day`. */
export function scoreDetections(
  day: GeneratedDay,
  detections: readonly ScoredDetection[],
): DetectionScore {
  const byClass = new Map<
    string,
    { attack: PlantedAttack; delays: number[]; caught: number; planted: number }
  >();
  for (const attack of day.attacks) {
    const entry = byClass.get(attack.class) ?? { attack, delays: [], caught: 0, planted: 0 };
    entry.planted++;
    const found = detections
      .filter((d) => d.app === attack.app && names(d, attack.target))
      .map((d) => Date.parse(d.detectedAt))
      .filter((t) => t >= attack.start && t <= attack.end + GRACE_MS)
      .sort((a, b) => a - b);
    if (found.length > 0) {
      entry.caught++;
      entry.delays.push(((found[0] as number) - attack.start) / 1_000);
    }
    byClass.set(attack.class, entry);
  }
  const attackers = new Set(
    day.attacks
      .flatMap((a) => [a.target.ip, a.target.user, ...attackerAddresses(a)])
      .filter(Boolean),
  );
  const falsePositiveTargets = [
    ...new Set(detections.map(targetOf).filter((t): t is string => !!t && !attackers.has(t))),
  ];
  const classes = [...byClass.values()].map(({ attack, delays, caught, planted }) => ({
    class: attack.class,
    playbook: attack.playbook,
    planted,
    caught,
    medianDelaySeconds: median(delays),
  }));
  return {
    classes,
    caught: classes.reduce((sum, c) => sum + c.caught, 0),
    planted: classes.reduce((sum, c) => sum + c.planted, 0),
    falsePositiveTargets,
  };
}

/** A distributed attack's own addresses (its /24) are the attacker's too. */
function attackerAddresses(attack: PlantedAttack): string[] {
  return attack.target.ip ? [attack.target.ip.split('.').slice(0, 3).join('.')] : [];
}

function names(detection: ScoredDetection, target: PlantedAttack['target']): boolean {
  const values = [targetOf(detection), ...Object.values(detection.group)];
  return values.includes(target.ip ?? target.user);
}

function targetOf(detection: ScoredDetection): string | undefined {
  const { response } = detection;
  if (response?.ip || response?.user) {
    return response.ip ?? response.user;
  }
  return detection.group['/data/client/ip'] ?? detection.group['/data/actor/ip'];
}

function median(values: readonly number[]): number | undefined {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? undefined : sorted[Math.floor(sorted.length / 2)];
}
