/**
 * One signal of a group: its event time, envelope id and, per threshold, the value it counts
 * distinctly (empty for a plain count).
 */
export interface Point {
  readonly t: number;
  readonly id: string;
  readonly values: readonly string[];
}

/** A detection's episode: from its crossing, quiet until `quietUntil` (event time). */
export interface Episode {
  anchor: Point;
  /** The threshold (index) that crossed at the anchor. */
  threshold: number;
  quietUntil: number;
  /** The id of the detection the episode was first reported as; kept through revisions. */
  detectionId: string | undefined;
}

/** What the group's window held at a crossing. */
export interface Crossing {
  readonly episode: Episode;
  /** True when an episode already reported changed (signals arrived out of order). */
  readonly revised: boolean;
  /** Signals within the crossing threshold's window, oldest first, the crossing signal last. */
  readonly window: readonly Point[];
  /** Signals, or distinct values, within that window at the crossing. */
  readonly count: number;
}

/** Where a signal landed. */
export type Placement =
  | { readonly kind: 'late' | 'duplicate' | 'quiet' }
  | { readonly kind: 'counted'; readonly crossings: readonly Crossing[] };

/** One threshold: `count` signals (or distinct values) within `windowMs` of event time. */
export interface TimelineThreshold {
  readonly windowMs: number;
  readonly count: number;
  readonly distinct: boolean;
}

/** What makes a group's crossings. */
export interface TimelineRule {
  /** Any of them crossing opens an episode, which quiets all of them. */
  readonly thresholds: readonly TimelineThreshold[];
  /** The longest of the thresholds' windows. */
  readonly longestWindowMs: number;
  /** How long a group stays quiet after a crossing (event time). */
  readonly quietMs: number;
  /** Signals kept at most; beyond, the oldest are forgotten (order independence then ends). */
  readonly maxPoints: number;
}

/**
 * One group's signals in event-time order and its detection episodes, defined by the set of
 * signals rather than by their arrival order. Ordered by (event time, id), a crossing is the
 * first signal at which the window ending there holds one of the thresholds; the episode it
 * opens is quiet forward in event time only (a signal before a crossing is never quiet), and
 * the next episode counts from the quiet period's end. A signal that arrives after later ones
 * can only move a crossing earlier or join its window, which is reported as a revision of the
 * same episode. Quiet signals are not kept, so a crossing that moves earlier by more than the
 * quiet period is reported as an episode of its own: with quiet periods at least as long as the
 * arrival disorder this never happens.
 */
export class GroupTimeline {
  private readonly points: Point[] = [];
  /**
   * Ids of the points, once there are more than a few: most groups (one client, one request)
   * never need the set, and a flood holds hundreds of thousands of them.
   */
  private ids: Set<string> | undefined;
  private readonly episodes: Episode[] = [];

  constructor(readonly rule: TimelineRule) {}

  /**
   * Places a signal; `horizon` is the event time before which nothing can change any more
   * (older signals are late, older state is dropped).
   */
  add(point: Point, horizon: number): Placement {
    this.prune(horizon);
    if (point.t < horizon) {
      return { kind: 'late' };
    }
    const episode = this.episodes.find(
      (e) => compare(point, e.anchor) >= 0 && point.t < e.quietUntil,
    );
    if (episode) {
      return { kind: compare(point, episode.anchor) === 0 ? 'duplicate' : 'quiet' };
    }
    if (this.holds(point.id)) {
      return { kind: 'duplicate' };
    }
    this.insert(point);
    return { kind: 'counted', crossings: this.crossingsFrom(point) };
  }

  /** Keeps the group quiet for an episode reported before (a restart, a partition taken over). */
  restore(anchorTime: number, detectionId: string): void {
    if (this.episodes.some((e) => e.detectionId === detectionId)) {
      return;
    }
    // An empty id sorts before every signal of the same instant: the crossing itself is quiet.
    const anchor: Point = { t: anchorTime, id: '', values: [] };
    this.openEpisode(anchor, 0, detectionId);
  }

  /** The latest event time until which the group is quiet (0 when never). */
  quietUntil(): number {
    return this.episodes.at(-1)?.quietUntil ?? 0;
  }

  /** The longest window of the group's thresholds (ms). */
  longestWindow(): number {
    return this.rule.longestWindowMs;
  }

  private crossingsFrom(start: Point): Crossing[] {
    const crossings: Crossing[] = [];
    let from = start;
    for (;;) {
      const crossing = this.firstCrossingFrom(from);
      if (!crossing) {
        return crossings;
      }
      crossings.push(crossing);
      // Signals after this episode's quiet period start a new one (a burst longer than it).
      const { anchor, quietUntil } = crossing.episode;
      const next = this.points.find((p) => p.t >= quietUntil && compare(p, anchor) > 0);
      if (!next || crossing.revised) {
        return crossings;
      }
      from = next;
    }
  }

  /**
   * The first crossing at or after `start` within its segment (between two episodes), or the
   * next episode recounted when `start` joined its window without moving it.
   */
  private firstCrossingFrom(start: Point): Crossing | undefined {
    const segmentStart = this.segmentStart(start);
    const nextEpisode = this.episodes.find((e) => compare(e.anchor, start) > 0);
    for (let i = this.position(start); i < this.points.length; i++) {
      const candidate = this.points[i] as Point;
      if (candidate.t >= start.t + this.rule.longestWindowMs) {
        break;
      }
      if (nextEpisode && compare(candidate, nextEpisode.anchor) >= 0) {
        break;
      }
      const crossing = this.crossingAt(i, segmentStart);
      if (crossing) {
        return this.cross(candidate, crossing, nextEpisode);
      }
    }
    return nextEpisode && this.recount(nextEpisode, start, segmentStart);
  }

  /** The first threshold (in playbook order) the window ending at point `end` holds. */
  private crossingAt(
    end: number,
    segmentStart: number,
  ): { threshold: number; from: number; count: number } | undefined {
    for (let threshold = 0; threshold < this.rule.thresholds.length; threshold++) {
      const from = this.windowStart(end, threshold, segmentStart);
      const count = this.countWithin(from, end, threshold);
      if (count >= (this.rule.thresholds[threshold] as TimelineThreshold).count) {
        return { threshold, from, count };
      }
    }
    return undefined;
  }

  private cross(
    anchor: Point,
    at: { threshold: number; from: number; count: number },
    nextEpisode: Episode | undefined,
  ): Crossing {
    const window = this.points.slice(at.from, this.points.indexOf(anchor) + 1);
    const quietUntil = anchor.t + this.rule.quietMs;
    if (nextEpisode && nextEpisode.anchor.t < quietUntil) {
      Object.assign(nextEpisode, { anchor, threshold: at.threshold, quietUntil });
      this.dropQuiet(nextEpisode);
      const revised = nextEpisode.detectionId !== undefined;
      return { episode: nextEpisode, revised, window, count: at.count };
    }
    const episode = this.openEpisode(anchor, at.threshold, undefined);
    return { episode, revised: false, window, count: at.count };
  }

  /**
   * The crossing of an episode whose window a new signal joined, though it did not move the
   * crossing: its counts and first signal change, so it is reported again as a revision.
   * Episodes restored from storage have no window to recount.
   */
  private recount(episode: Episode, start: Point, segmentStart: number): Crossing | undefined {
    const { anchor } = episode;
    const threshold = this.rule.thresholds[episode.threshold] as TimelineThreshold;
    if (anchor.id === '' || start.t <= anchor.t - threshold.windowMs) {
      return undefined;
    }
    const window = this.points.filter(
      (p) => p.t > anchor.t - threshold.windowMs && p.t >= segmentStart && compare(p, anchor) < 0,
    );
    window.push(anchor);
    const count = threshold.distinct
      ? new Set(window.map((p) => p.values[episode.threshold])).size
      : window.length;
    return { episode, revised: episode.detectionId !== undefined, window, count };
  }

  /**
   * Signals (or distinct values) of one threshold from `from` to `end`. Every earlier signal of
   * an open segment is below every threshold, so a distinct value already in the window cannot
   * make a crossing: the usual case returns without building the set.
   */
  private countWithin(from: number, end: number, threshold: number): number {
    if (!(this.rule.thresholds[threshold] as TimelineThreshold).distinct) {
      return end - from + 1;
    }
    const value = (this.points[end] as Point).values[threshold];
    for (let i = end - 1; i >= from; i--) {
      if ((this.points[i] as Point).values[threshold] === value) {
        return 0;
      }
    }
    const values = new Set<string | undefined>();
    for (let i = from; i <= end; i++) {
      values.add((this.points[i] as Point).values[threshold]);
    }
    return values.size;
  }

  private openEpisode(anchor: Point, threshold: number, detectionId: string | undefined): Episode {
    const quietUntil = anchor.t + this.rule.quietMs;
    const episode: Episode = { anchor, threshold, quietUntil, detectionId };
    const at = this.episodes.findIndex((e) => compare(e.anchor, anchor) > 0);
    this.episodes.splice(at === -1 ? this.episodes.length : at, 0, episode);
    this.dropQuiet(episode);
    return episode;
  }

  /**
   * Index of the oldest signal in a threshold's window ending at point `end`: after the
   * window's start and not before its segment's start.
   */
  private windowStart(end: number, threshold: number, segmentStart: number): number {
    const windowMs = (this.rule.thresholds[threshold] as TimelineThreshold).windowMs;
    const after = (this.points[end] as Point).t - windowMs;
    let lo = 0;
    let hi = end;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const t = (this.points[mid] as Point).t;
      if (t <= after || t < segmentStart) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Where the segment holding `point` starts: the end of the quiet period before it. */
  private segmentStart(point: Point): number {
    let start = Number.NEGATIVE_INFINITY;
    for (const episode of this.episodes) {
      if (compare(episode.anchor, point) < 0) {
        start = Math.max(start, episode.quietUntil);
      }
    }
    return start;
  }

  /** Signals an episode now covers are no longer counted. */
  private dropQuiet(episode: Episode): void {
    for (let i = this.points.length - 1; i >= 0; i--) {
      const p = this.points[i] as Point;
      if (compare(p, episode.anchor) >= 0 && p.t < episode.quietUntil) {
        this.points.splice(i, 1);
        this.ids?.delete(p.id);
      }
    }
  }

  private insert(point: Point): void {
    this.points.splice(this.position(point), 0, point);
    if (this.ids) {
      this.ids.add(point.id);
    } else if (this.points.length > SET_FROM) {
      this.ids = new Set(this.points.map((p) => p.id));
    }
    if (this.points.length > this.rule.maxPoints) {
      const dropped = this.points.shift() as Point;
      this.ids?.delete(dropped.id);
    }
  }

  private holds(id: string): boolean {
    return this.ids ? this.ids.has(id) : this.points.some((p) => p.id === id);
  }

  private prune(horizon: number): void {
    let drop = 0;
    while (drop < this.points.length && (this.points[drop] as Point).t < horizon) {
      this.ids?.delete((this.points[drop] as Point).id);
      drop++;
    }
    if (drop > 0) {
      this.points.splice(0, drop);
    }
    while (this.episodes.length > 0 && (this.episodes[0] as Episode).quietUntil < horizon) {
      this.episodes.shift();
    }
  }

  /** Index of the first point not ordered before `point` (appends are the usual case). */
  private position(point: Point): number {
    const last = this.points.at(-1);
    if (!last || compare(last, point) < 0) {
      return this.points.length;
    }
    let lo = 0;
    let hi = this.points.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compare(this.points[mid] as Point, point) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}

/** Points held before their ids are kept in a set as well. */
const SET_FROM = 8;

/** Event-time order, ties broken by envelope id so that every arrival order sorts alike. */
function compare(a: Point, b: Point): number {
  if (a.t !== b.t) {
    return a.t - b.t;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
