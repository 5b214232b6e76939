import { createHash } from 'node:crypto';
import type { Detection, DetectionResponse } from './detection';
import { readPointer } from '@vigil/signals';
import type { PlaybookDefinition } from './playbook-checker';
import { CountWindow, DistinctWindow, type Observation } from './sliding-window';

/** A playbook in force for a tenant: its definition and the version it was saved as. */
export interface ActivePlaybook {
  readonly definition: PlaybookDefinition;
  readonly version: number;
}

/** One signal as the engine sees it. */
export interface ObservedSignal {
  readonly tenant: string;
  /** The producer's envelope. */
  readonly event: Readonly<Record<string, unknown>>;
  /** When ingestion received it (ms since the epoch). */
  readonly receivedAt: number;
}

/** Why a playbook did not count a signal. */
export type SkipReason = 'late' | 'missing-field' | 'duplicate' | 'quiet';

/** What one signal did. */
export interface ObserveOutcome {
  readonly detections: Detection[];
  /** Playbooks that matched the signal but did not count it, with why. */
  readonly skipped: ReadonlyArray<{ readonly playbookId: string; readonly reason: SkipReason }>;
}

/** Limits of the engine. */
export interface DetectionEngineOptions {
  /** Groups kept per tenant at most; the least recently active are evicted beyond. */
  readonly maxGroupsPerTenant: number;
  /** A signal received more than this after its event time is late and not counted (ms). */
  readonly lateAllowanceMs: number;
  /** Event times further ahead of the receive time than this are taken as the receive time (ms). */
  readonly maxClockSkewMs: number;
  /** Wall clock, for response expiry. */
  readonly now?: () => number;
  /** Called when a tenant's group limit evicts a group (for a metric and a rate-limited log). */
  readonly onEviction?: (tenant: string) => void;
}

const SAMPLE_SIZE = 5;

/** A stored detection, as far as the engine needs it to keep its group quiet after a restart. */
export interface PastDetection {
  readonly tenant: string;
  readonly playbookId: string;
  readonly playbookVersion: number;
  /** The group's field values by field (`/subject`, `/data/actor/ip`…). */
  readonly group: Readonly<Record<string, string>>;
  /** Event time of the crossing (ms since the epoch). */
  readonly detectedAt: number;
}

/** One group's counter: the window and the state of its current episode. */
interface GroupState {
  readonly window: CountWindow | DistinctWindow;
  /** The application (`subject`) of the group's signals, for forgetting a partition's groups. */
  readonly app: string;
  signalsSeen: number;
  firstSeen: number;
  lastSeen: number;
  lastActive: number;
  /** Event time until which the group stays quiet after a detection. */
  quietUntil: number;
  readonly windowMs: number;
}

/**
 * Real-time detection over a tenant's signals: each active playbook reads the signals it
 * matches, groups them (e.g. by application and actor IP) and keeps a sliding window per group
 * in event time. Crossing a threshold yields one {@link Detection}; the group then stays quiet
 * for the response's duration, so an attack in progress fires once. Memory is bounded by the
 * threshold per group and by `maxGroupsPerTenant` per tenant. Framework- and IO-free: the
 * playbooks service feeds it and stores what it returns.
 */
export class DetectionEngine {
  private readonly groups = new Map<string, Map<string, GroupState>>();
  private readonly now: () => number;

  constructor(
    private readonly playbooksOf: (tenant: string) => readonly ActivePlaybook[],
    private readonly options: DetectionEngineOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Feeds one signal to every active playbook of its tenant. */
  observe(signal: ObservedSignal): ObserveOutcome {
    const detections: Detection[] = [];
    const skipped: Array<{ playbookId: string; reason: SkipReason }> = [];
    const type = signal.event['type'];
    for (const playbook of this.playbooksOf(signal.tenant)) {
      const { definition } = playbook;
      if (
        definition.enabled === false ||
        definition.match.type !== type ||
        !matches(definition, signal.event)
      ) {
        continue;
      }
      const outcome = this.count(playbook, signal);
      if (typeof outcome === 'string') {
        skipped.push({ playbookId: definition.id, reason: outcome });
      } else if (outcome) {
        detections.push(outcome);
      }
    }
    return { detections, skipped };
  }

  /**
   * Drops groups idle for longer than their window (and past their quiet time), examining at most
   * `maxExamined` groups: each tenant's groups are ordered least recently active first, so a
   * bounded sweep run often reaches the idle ones without stalling the event loop on a large map.
   */
  sweep(maxExamined = Number.POSITIVE_INFINITY): number {
    const now = this.now();
    let dropped = 0;
    let examined = 0;
    for (const [tenant, groups] of this.groups) {
      for (const [key, group] of groups) {
        if (examined++ >= maxExamined) {
          return dropped;
        }
        if (now - group.lastActive > group.windowMs && now > group.quietUntil) {
          groups.delete(key);
          dropped++;
        }
      }
      if (groups.size === 0) {
        this.groups.delete(tenant);
      }
    }
    return dropped;
  }

  /**
   * Keeps a group quiet after a detection stored earlier (by this instance before a restart, or
   * by the instance that held the group's partition before): re-read signals of that episode are
   * then skipped as quiet instead of crossing again at another signal.
   */
  restoreQuiet(past: PastDetection): void {
    const playbook = this.playbooksOf(past.tenant).find(
      (p) => p.definition.id === past.playbookId && p.version === past.playbookVersion,
    );
    if (!playbook) {
      return;
    }
    const values = playbook.definition.groupBy.map((field) => past.group[field]);
    if (values.some((value) => value === undefined)) {
      return;
    }
    const app = past.group['/subject'] ?? '';
    const tuning = tuningOf(playbook.definition, app);
    const group = this.groupFor(past.tenant, playbook, values as string[], app, tuning);
    const quietUntil = past.detectedAt + playbook.definition.response.durationSeconds * 1_000;
    if (quietUntil > group.quietUntil) {
      group.lastActive = this.now();
      this.startQuiet(past.tenant, playbook, values as string[], group, past.detectedAt);
    }
  }

  /** Drops every group of the applications `belongs` names (a partition given to another instance). */
  forget(belongs: (tenant: string, app: string) => boolean): number {
    let dropped = 0;
    for (const [tenant, groups] of this.groups) {
      for (const [key, group] of groups) {
        if (belongs(tenant, group.app)) {
          groups.delete(key);
          dropped++;
        }
      }
      if (groups.size === 0) {
        this.groups.delete(tenant);
      }
    }
    return dropped;
  }

  /** Groups held, in total. */
  size(): number {
    let total = 0;
    for (const groups of this.groups.values()) {
      total += groups.size;
    }
    return total;
  }

  private count(
    playbook: ActivePlaybook,
    signal: ObservedSignal,
  ): Detection | SkipReason | undefined {
    const { definition } = playbook;
    const t = eventTime(signal, this.options.maxClockSkewMs);
    if (signal.receivedAt - t > this.options.lateAllowanceMs) {
      return 'late';
    }
    const values = definition.groupBy.map((field) => scalarText(readPointer(signal.event, field)));
    const distinct = definition.threshold.distinct;
    const distinctValue = distinct ? scalarText(readPointer(signal.event, distinct)) : '';
    if (values.some((v) => v === undefined) || distinctValue === undefined) {
      return 'missing-field';
    }
    const app = scalarText(signal.event['subject']) ?? '';
    const tuning = tuningOf(definition, app);
    const { windowMs, threshold } = tuning;
    const group = this.groupFor(signal.tenant, playbook, values as string[], app, tuning);
    group.lastActive = this.now();
    if (t < group.quietUntil) {
      return 'quiet';
    }
    const id = String(signal.event['id']);
    const observation: Observation = { t, id };
    const added =
      group.window instanceof DistinctWindow
        ? group.window.add(distinctValue, observation)
        : group.window.add(observation);
    if (!added) {
      return 'duplicate';
    }
    group.signalsSeen++;
    group.firstSeen = Math.min(group.firstSeen, t);
    group.lastSeen = Math.max(group.lastSeen, t);
    const within = group.window.countWithin(windowMs);
    if (within < threshold) {
      return undefined;
    }
    const detection = this.detection(signal, playbook, group, {
      values: values as string[],
      within,
      threshold,
      t,
      id,
    });
    this.startQuiet(signal.tenant, playbook, values as string[], group, t);
    return detection;
  }

  private detection(
    signal: ObservedSignal,
    playbook: ActivePlaybook,
    group: GroupState,
    crossing: { values: string[]; within: number; threshold: number; t: number; id: string },
  ): Detection {
    const { definition, version } = playbook;
    const groupFields = Object.fromEntries(
      definition.groupBy.map((field, i) => [field, crossing.values[i] as string]),
    );
    const samples = group.window
      .observations()
      .map((o) => o.id)
      .filter((sample) => sample !== crossing.id);
    return {
      id: detectionId(signal.tenant, definition.id, version, crossing.values, crossing.id),
      tenant: signal.tenant,
      playbookId: definition.id,
      playbookVersion: version,
      playbookName: definition.name,
      simulated: definition.mode === 'simulate',
      app: scalarText(signal.event['subject']),
      group: groupFields,
      count: crossing.within,
      threshold: crossing.threshold,
      windowSeconds: group.windowMs / 1_000,
      signalsSeen: group.signalsSeen,
      firstSeen: new Date(group.firstSeen).toISOString(),
      lastSeen: new Date(group.lastSeen).toISOString(),
      sampleIds: [...samples.slice(-(SAMPLE_SIZE - 1)), crossing.id],
      triggerId: crossing.id,
      detectedAt: new Date(crossing.t).toISOString(),
      // Event time, like the windows and quiet periods: replayed history yields blocks that
      // ended long ago, not fresh ones.
      response: responseOf(definition, groupFields, crossing.t),
    };
  }

  /** After a detection the group starts a new, quiet episode. */
  private startQuiet(
    tenant: string,
    playbook: ActivePlaybook,
    values: string[],
    group: GroupState,
    t: number,
  ): void {
    const fresh = this.newGroup(playbook, group.app, group.windowMs, thresholdOf(group));
    fresh.quietUntil = t + playbook.definition.response.durationSeconds * 1_000;
    fresh.lastActive = group.lastActive;
    this.groups.get(tenant)?.set(groupKey(playbook, values), fresh);
  }

  private groupFor(
    tenant: string,
    playbook: ActivePlaybook,
    values: string[],
    app: string,
    tuning: { threshold: number; windowMs: number },
  ): GroupState {
    const { threshold, windowMs } = tuning;
    let groups = this.groups.get(tenant);
    if (!groups) {
      groups = new Map();
      this.groups.set(tenant, groups);
    }
    const key = groupKey(playbook, values);
    const existing = groups.get(key);
    if (existing && existing.windowMs === windowMs && thresholdOf(existing) === threshold) {
      // Re-insert: the map's order is the least recently active first, for eviction.
      groups.delete(key);
      groups.set(key, existing);
      return existing;
    }
    const created = this.newGroup(playbook, app, windowMs, threshold);
    groups.set(key, created);
    this.evictBeyondLimit(tenant, groups);
    return created;
  }

  private newGroup(
    playbook: ActivePlaybook,
    app: string,
    windowMs: number,
    threshold: number,
  ): GroupState {
    return {
      window: playbook.definition.threshold.distinct
        ? new DistinctWindow(threshold)
        : new CountWindow(threshold),
      app,
      signalsSeen: 0,
      firstSeen: Number.POSITIVE_INFINITY,
      lastSeen: 0,
      lastActive: 0,
      quietUntil: 0,
      windowMs,
    };
  }

  /**
   * Evicts the least recently active groups beyond the limit, 1% of the limit at a time through
   * one iterator: V8 keeps deleted entries at the front of a Map until it rehashes, so looking up
   * the first key once per eviction would walk them all each time (quadratic under a flood).
   */
  private evictBeyondLimit(tenant: string, groups: Map<string, GroupState>): void {
    const limit = this.options.maxGroupsPerTenant;
    if (groups.size <= limit) {
      return;
    }
    let excess = groups.size - limit + Math.floor(limit / 100);
    for (const key of groups.keys()) {
      if (excess-- <= 0) {
        return;
      }
      groups.delete(key);
      this.options.onEviction?.(tenant);
    }
  }
}

function tuningOf(
  definition: PlaybookDefinition,
  app: string,
): { windowMs: number; threshold: number } {
  const tuning = definition.overrides?.[app];
  return {
    windowMs: (tuning?.windowSeconds ?? definition.windowSeconds) * 1_000,
    threshold: tuning?.count ?? definition.threshold.count,
  };
}

function thresholdOf(group: GroupState): number {
  return group.window.limit;
}

function groupKey(playbook: ActivePlaybook, values: readonly string[]): string {
  return `${playbook.definition.id}@${playbook.version}\u0000${values.join('\u0000')}`;
}

function matches(
  definition: PlaybookDefinition,
  event: Readonly<Record<string, unknown>>,
): boolean {
  return (definition.match.where ?? []).every((condition) => {
    const value = readPointer(event, condition.field);
    if (condition.exists !== undefined) {
      return (value !== undefined) === condition.exists;
    }
    if (condition.in !== undefined) {
      return (condition.in as unknown[]).includes(value);
    }
    return value === condition.equals;
  });
}

function eventTime(signal: ObservedSignal, maxClockSkewMs: number): number {
  const time = Date.parse(String(signal.event['time']));
  if (Number.isNaN(time) || time > signal.receivedAt + maxClockSkewMs) {
    return signal.receivedAt;
  }
  return time;
}

/** Groupable text of a value: strings, numbers and booleans; anything else is missing. */
function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string' && value.length > 0) {
    return value;
  }
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

/** The response a crossing at event time `at` asks for: a block lasts its duration from then. */
function responseOf(
  definition: PlaybookDefinition,
  group: Readonly<Record<string, string>>,
  at: number,
): DetectionResponse {
  const { action, target, durationSeconds } = definition.response;
  const until = new Date(at + durationSeconds * 1_000).toISOString();
  const value = target ? group[target] : undefined;
  if (action === 'block-ip' && value) {
    return { action, ip: value, until };
  }
  if (action === 'block-user' && value) {
    return { action, user: value, until };
  }
  return { action: 'notify' };
}

function detectionId(
  tenant: string,
  playbookId: string,
  version: number,
  values: readonly string[],
  triggerId: string,
): string {
  const identity = [tenant, playbookId, String(version), ...values, triggerId].join('\u0000');
  return `det_${createHash('sha256').update(identity).digest('base64url').slice(0, 22)}`;
}
