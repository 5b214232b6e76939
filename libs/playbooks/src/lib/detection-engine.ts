import { createHash } from 'node:crypto';
import { readPointer } from '@vigil/signals';
import {
  compilePlaybook,
  type ActivePlaybook,
  type CompiledPlaybook,
  type ThresholdRule,
} from './compiled-playbook';
import type { ListResolver } from './conditions';
import type { Detection, DetectionResponse } from './detection';
import { GroupTimeline, type Crossing, type TimelineRule } from './group-timeline';
import { shippedLists } from './lists/list-matcher';

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
  /** New detections, and revisions of earlier ones (`revised`) when signals came out of order. */
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
  /**
   * How block lifetimes are counted. `live` (the default): from the wall clock for signals
   * received within the late allowance, from the crossing's event time for older ones (replayed
   * history yields blocks that ended long ago). `event-time`: always from the crossing (backtests).
   */
  readonly responseClock?: 'live' | 'event-time';
  /** Wall clock, for response expiry and idle groups. */
  readonly now?: () => number;
  /** A tenant's named lists; the shipped ones when not given. */
  readonly listsOf?: (tenant: string) => ListResolver;
  /** Called when a tenant's group limit evicts a group (for a metric and a rate-limited log). */
  readonly onEviction?: (tenant: string) => void;
}

const SAMPLE_SIZE = 5;

/** A stored detection, as far as the engine needs it to keep its group quiet after a restart. */
export interface PastDetection {
  readonly id: string;
  readonly tenant: string;
  readonly playbookId: string;
  readonly playbookVersion: number;
  /** The group's field values by field (`/subject`, `/data/actor/ip`…). */
  readonly group: Readonly<Record<string, string>>;
  /** Event time of the crossing (ms since the epoch). */
  readonly detectedAt: number;
}

/** One group's counter for one threshold. */
interface GroupState {
  readonly timeline: GroupTimeline;
  /** The application (`subject`) of the group's signals, for forgetting a partition's groups. */
  readonly app: string;
  lastActive: number;
  /** The latest receive time of the group's signals: what its horizon is measured from. */
  latestReceived: number;
}

/** What one signal brings to one playbook. */
interface Reading {
  readonly playbook: CompiledPlaybook;
  readonly signal: ObservedSignal;
  readonly t: number;
  readonly id: string;
  readonly app: string;
  readonly values: readonly string[];
}

/**
 * Real-time detection over a tenant's signals: each active playbook reads the signals it
 * matches, groups them (e.g. by application and actor IP) and keeps, per group, a timeline in
 * event time. A crossing of any of the playbook's thresholds yields one {@link Detection}; the
 * episode it opens is quiet, for all of them, for the response's duration, forward in event time. Detections depend on which signals
 * arrived, not on their order: a signal older than what was already counted can move a crossing
 * earlier, reported as a revision of the same detection (same id). Memory is bounded per group
 * by the threshold and the horizon (window plus late allowance), and by `maxGroupsPerTenant`
 * per tenant. Framework- and IO-free: the playbooks service feeds it and stores what it returns.
 */
export class DetectionEngine {
  private readonly groups = new Map<string, Map<string, GroupState>>();
  private readonly compiled = new WeakMap<ActivePlaybook, Map<string, CompiledPlaybook>>();
  /** The compiled list per tenant for the array `playbooksOf` returned: no work per signal. */
  private readonly compiledLists = new WeakMap<
    readonly ActivePlaybook[],
    Map<string, CompiledPlaybook[]>
  >();
  /** One timeline rule per playbook and tuning, shared by all its groups. */
  private readonly rules = new WeakMap<readonly ThresholdRule[], TimelineRule>();
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
    for (const playbook of this.compiledOf(signal.tenant)) {
      if (!playbook.enabled || playbook.type !== signal.event['type']) {
        continue;
      }
      if (!playbook.matches(signal.event)) {
        continue;
      }
      const reading = this.read(playbook, signal);
      if (typeof reading === 'string') {
        skipped.push({ playbookId: playbook.id, reason: reading });
        continue;
      }
      const outcome = this.count(reading);
      if (typeof outcome === 'string') {
        skipped.push({ playbookId: playbook.id, reason: outcome });
      } else {
        detections.push(...outcome);
      }
    }
    return { detections, skipped };
  }

  /**
   * Drops groups idle for longer than their horizon (and past their quiet time), examining at
   * most `maxExamined` groups: each tenant's groups are ordered least recently active first, so a
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
        const idleFor = group.timeline.longestWindow() + this.options.lateAllowanceMs;
        if (now - group.lastActive > idleFor && now > group.timeline.quietUntil()) {
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
    const playbook = this.compiledOf(past.tenant).find(
      (p) => p.id === past.playbookId && p.version === past.playbookVersion,
    );
    if (!playbook) {
      return;
    }
    const values = playbook.groupBy.map((field) => past.group[field]);
    if (values.some((value) => value === undefined)) {
      return;
    }
    const app = past.group['/subject'] ?? '';
    const group = this.groupFor(past.tenant, playbook, values as string[], app);
    group.lastActive = this.now();
    group.timeline.restore(past.detectedAt, past.id);
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

  /** The signal's event time, group and application for one playbook, or why it is skipped. */
  private read(playbook: CompiledPlaybook, signal: ObservedSignal): Reading | SkipReason {
    const t = eventTime(signal, this.options.maxClockSkewMs);
    if (signal.receivedAt - t > this.options.lateAllowanceMs) {
      return 'late';
    }
    const values = playbook.groupBy.map((field) => scalarText(readPointer(signal.event, field)));
    if (values.some((v) => v === undefined)) {
      return 'missing-field';
    }
    const app = scalarText(signal.event['subject']) ?? '';
    const id = String(signal.event['id']);
    return { playbook, signal, t, id, app, values: values as string[] };
  }

  private count(reading: Reading): Detection[] | SkipReason {
    const { playbook, signal } = reading;
    const thresholds = playbook.thresholdsFor(reading.app);
    const values = distinctValues(thresholds, signal.event);
    if (values === undefined) {
      return 'missing-field';
    }
    const group = this.groupFor(signal.tenant, playbook, reading.values, reading.app);
    group.lastActive = this.now();
    group.latestReceived = Math.max(group.latestReceived, signal.receivedAt);
    const longest = group.timeline.longestWindow();
    const horizon = group.latestReceived - this.options.lateAllowanceMs - longest;
    const point = { t: reading.t, id: reading.id, values };
    const placement = group.timeline.add(point, horizon);
    if (placement.kind !== 'counted') {
      return placement.kind;
    }
    return placement.crossings.map((crossing) =>
      this.detection(reading, thresholds[crossing.episode.threshold] as ThresholdRule, crossing),
    );
  }

  private detection(reading: Reading, rule: ThresholdRule, crossing: Crossing): Detection {
    const { playbook, signal } = reading;
    const { anchor } = crossing.episode;
    const group = Object.fromEntries(
      playbook.groupBy.map((field, i) => [field, reading.values[i] as string]),
    );
    const id =
      crossing.episode.detectionId ??
      detectionId(signal.tenant, playbook, rule.name, reading.values, anchor.id);
    crossing.episode.detectionId = id;
    const window = crossing.window;
    return {
      id,
      revised: crossing.revised,
      tenant: signal.tenant,
      playbookId: playbook.id,
      playbookVersion: playbook.version,
      playbookName: playbook.name,
      thresholdName: rule.name,
      simulated: playbook.simulated,
      app: scalarText(signal.event['subject']),
      group,
      count: crossing.count,
      threshold: rule.count,
      windowSeconds: rule.windowMs / 1_000,
      signalsSeen: window.length,
      firstSeen: new Date(window[0]?.t ?? anchor.t).toISOString(),
      lastSeen: new Date(anchor.t).toISOString(),
      sampleIds: window.slice(-SAMPLE_SIZE).map((p) => p.id),
      triggerId: anchor.id,
      detectedAt: new Date(anchor.t).toISOString(),
      response: responseOf(playbook, group, this.lifetimeStart(signal, anchor.t)),
    };
  }

  /** When a block starts: now for live traffic, the crossing's event time for history. */
  private lifetimeStart(signal: ObservedSignal, crossingTime: number): number {
    const now = this.now();
    const live = now - signal.receivedAt <= this.options.lateAllowanceMs;
    return this.options.responseClock !== 'event-time' && live ? now : crossingTime;
  }

  private compiledOf(tenant: string): CompiledPlaybook[] {
    const active = this.playbooksOf(tenant);
    let byTenant = this.compiledLists.get(active);
    if (!byTenant) {
      byTenant = new Map();
      this.compiledLists.set(active, byTenant);
    }
    let compiled = byTenant.get(tenant);
    if (!compiled) {
      compiled = active.map((playbook) => this.compileOnce(tenant, playbook));
      byTenant.set(tenant, compiled);
    }
    return compiled;
  }

  /** Compiles a playbook once per tenant, across reloads of the catalog that keep it. */
  private compileOnce(tenant: string, active: ActivePlaybook): CompiledPlaybook {
    const lists = this.options.listsOf ?? shippedLists;
    let byTenant = this.compiled.get(active);
    if (!byTenant) {
      byTenant = new Map();
      this.compiled.set(active, byTenant);
    }
    let compiled = byTenant.get(tenant);
    if (!compiled) {
      compiled = compilePlaybook(active, (name) => lists(tenant)(name));
      byTenant.set(tenant, compiled);
    }
    return compiled;
  }

  private groupFor(
    tenant: string,
    playbook: CompiledPlaybook,
    values: readonly string[],
    app: string,
  ): GroupState {
    let groups = this.groups.get(tenant);
    if (!groups) {
      groups = new Map();
      this.groups.set(tenant, groups);
    }
    const thresholds = playbook.thresholdsFor(app);
    const key = groupKey(playbook, thresholds, values);
    const existing = groups.get(key);
    if (existing) {
      // Re-insert: the map's order is the least recently active first, for eviction.
      groups.delete(key);
      groups.set(key, existing);
      return existing;
    }
    const created: GroupState = {
      timeline: new GroupTimeline(this.ruleOf(playbook, thresholds)),
      app,
      lastActive: 0,
      latestReceived: 0,
    };
    groups.set(key, created);
    this.evictBeyondLimit(tenant, groups);
    return created;
  }

  private ruleOf(playbook: CompiledPlaybook, thresholds: readonly ThresholdRule[]): TimelineRule {
    let rule = this.rules.get(thresholds);
    if (!rule) {
      rule = {
        thresholds: thresholds.map((t) => ({ ...t, distinct: t.distinct !== undefined })),
        longestWindowMs: Math.max(...thresholds.map((t) => t.windowMs)),
        quietMs: playbook.response.durationSeconds * 1_000,
        maxPoints: Math.max(1_024, ...thresholds.map((t) => t.count * 4)),
      };
      this.rules.set(thresholds, rule);
    }
    return rule;
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

/** Per playbook version, thresholds (with overrides, their tuning differs) and group values. */
function groupKey(
  playbook: CompiledPlaybook,
  thresholds: readonly ThresholdRule[],
  values: readonly string[],
): string {
  const tuning = thresholds.map((t) => `${t.windowMs}:${t.count}`).join(',');
  return `${playbook.id}@${playbook.version}#${tuning}\u0000${values.join('\u0000')}`;
}

function eventTime(signal: ObservedSignal, maxClockSkewMs: number): number {
  const time = Date.parse(String(signal.event['time']));
  if (Number.isNaN(time) || time > signal.receivedAt + maxClockSkewMs) {
    return signal.receivedAt;
  }
  return time;
}

/** Shared by every point of count-only thresholds (nothing counted distinctly). */
const NO_VALUES: readonly string[] = [];

/** Per threshold, the value a point counts distinctly; undefined when one is missing. */
function distinctValues(
  thresholds: readonly ThresholdRule[],
  event: Readonly<Record<string, unknown>>,
): readonly string[] | undefined {
  if (thresholds.every((t) => t.distinct === undefined)) {
    return NO_VALUES;
  }
  const values = thresholds.map((t) =>
    t.distinct ? scalarText(readPointer(event, t.distinct)) : '',
  );
  return values.some((value) => value === undefined) ? undefined : (values as string[]);
}

/** Groupable text of a value: strings, numbers and booleans; anything else is missing. */
function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string' && value.length > 0) {
    return value;
  }
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

/** The response a crossing asks for: a block lasts its duration from `from`. */
function responseOf(
  playbook: CompiledPlaybook,
  group: Readonly<Record<string, string>>,
  from: number,
): DetectionResponse {
  const { action, target, durationSeconds } = playbook.response;
  const until = new Date(from + durationSeconds * 1_000).toISOString();
  const value = target ? group[target] : undefined;
  if (action === 'block-ip' && value) {
    return { action, ip: value, until };
  }
  if (action === 'block-user' && value) {
    return { action, user: value, until };
  }
  return { action: 'notify' };
}

/**
 * Deterministic for one crossing: the same playbook version, group and crossing signal give the
 * same id. Version 1 playbooks keep the ids they always had (their single threshold is unnamed).
 */
function detectionId(
  tenant: string,
  playbook: CompiledPlaybook,
  thresholdName: string,
  values: readonly string[],
  triggerId: string,
): string {
  const threshold = playbook.legacy ? [] : [thresholdName];
  const identity = [
    tenant,
    playbook.id,
    String(playbook.version),
    ...threshold,
    ...values,
    triggerId,
  ];
  return `det_${createHash('sha256').update(identity.join('\u0000')).digest('base64url').slice(0, 22)}`;
}
