/** One signal of a group: its event time, envelope id and, for distinct counts, the counted value. */
export interface Point {
  readonly t: number;
  readonly id: string;
  readonly value: string;
}

/** A detection's episode: from its crossing, quiet until `quietUntil` (event time). */
export interface Episode {
  anchor: Point;
  quietUntil: number;
  /** The id of the detection the episode was first reported as; kept through revisions. */
  detectionId: string | undefined;
}

/** What the group's window held at a crossing. */
export interface Crossing {
  readonly episode: Episode;
  /** True when an episode already reported moved earlier (signals arrived out of order). */
  readonly revised: boolean;
  /** Signals within the window at the crossing, oldest first, the crossing signal last. */
  readonly window: readonly Point[];
  /** Signals, or distinct values, within the window at the crossing. */
  readonly count: number;
}

/** Where a signal landed. */
export type Placement =
  | { readonly kind: 'late' | 'duplicate' | 'quiet' }
  | { readonly kind: 'counted'; readonly crossings: readonly Crossing[] };

/** What makes a crossing: `count` signals (or distinct values) within `windowMs` of event time. */
export interface TimelineRule {
  readonly windowMs: number;
  readonly count: number;
  readonly distinct: boolean;
  /** How long a group stays quiet after a crossing (event time). */
  readonly quietMs: number;
  /** Signals kept at most; beyond, the oldest are forgotten (order independence then ends). */
  readonly maxPoints: number;
}

/**
 * One group's signals in event-time order and its detection episodes, defined by the set of
 * signals rather than by their arrival order. Ordered by (event time, id), a crossing is the
 * first signal at which the window ending there holds the threshold; the episode it opens is
 * quiet forward in event time only (a signal before a crossing is never quiet), and the next
 * episode counts from the quiet period's end. A signal that arrives after a later one can only
 * move a crossing earlier (adding signals never removes one), which is reported as a revision
 * of the same episode. Quiet signals are not kept, so a crossing that moves earlier by more than
 * the quiet period is reported as an episode of its own: with quiet periods at least as long as
 * the arrival disorder this never happens.
 */
export class GroupTimeline {
  private readonly points: Point[] = [];
  private readonly ids = new Set<string>();
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
    if (this.ids.has(point.id)) {
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
    const anchor: Point = { t: anchorTime, id: '', value: '' };
    this.openEpisode(anchor, detectionId);
    this.dropQuiet(anchor, anchor.t + this.rule.quietMs);
  }

  /** The latest event time until which the group is quiet (0 when never). */
  quietUntil(): number {
    return this.episodes.at(-1)?.quietUntil ?? 0;
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
      const next = this.points.find(
        (p) => p.t >= crossing.episode.quietUntil && compare(p, crossing.episode.anchor) > 0,
      );
      if (!next || crossing.revised) {
        return crossings;
      }
      from = next;
    }
  }

  /** The first crossing at or after `start` within its segment (between two episodes). */
  private firstCrossingFrom(start: Point): Crossing | undefined {
    const { windowMs } = this.rule;
    const lowerBound = this.segmentStart(start);
    const nextEpisode = this.episodes.find((e) => compare(e.anchor, start) > 0);
    for (let i = this.position(start); i < this.points.length; i++) {
      const candidate = this.points[i] as Point;
      if (candidate.t >= start.t + windowMs) {
        return undefined;
      }
      if (nextEpisode && compare(candidate, nextEpisode.anchor) >= 0) {
        return this.recount(nextEpisode, start, lowerBound);
      }
      const from = this.windowStart(i, lowerBound);
      const count = this.countWithin(from, i);
      if (count >= this.rule.count) {
        return this.cross(candidate, this.points.slice(from, i + 1), count, nextEpisode);
      }
    }
    return nextEpisode && start.t > nextEpisode.anchor.t - windowMs
      ? this.recount(nextEpisode, start, lowerBound)
      : undefined;
  }

  /**
   * The crossing of an episode whose window a new signal joined, though it did not move the
   * crossing: its counts and first signal change, so it is reported again as a revision.
   * Episodes restored from storage have no window to recount.
   */
  private recount(episode: Episode, start: Point, lowerBound: number): Crossing | undefined {
    const { anchor } = episode;
    if (anchor.id === '' || start.t <= anchor.t - this.rule.windowMs) {
      return undefined;
    }
    const window = this.points.filter(
      (p) => p.t > anchor.t - this.rule.windowMs && p.t >= lowerBound && compare(p, anchor) < 0,
    );
    window.push(anchor);
    const count = this.rule.distinct ? new Set(window.map((p) => p.value)).size : window.length;
    return { episode, revised: episode.detectionId !== undefined, window, count };
  }

  /**
   * Signals (or distinct values) from `from` to `end`. Every earlier signal of an open segment
   * is below the threshold, so a distinct value already in the window cannot make a crossing:
   * the usual case returns without building the set.
   */
  private countWithin(from: number, end: number): number {
    if (!this.rule.distinct) {
      return end - from + 1;
    }
    const value = (this.points[end] as Point).value;
    for (let i = end - 1; i >= from; i--) {
      if ((this.points[i] as Point).value === value) {
        return 0;
      }
    }
    const values = new Set<string>();
    for (let i = from; i <= end; i++) {
      values.add((this.points[i] as Point).value);
    }
    return values.size;
  }

  private cross(
    anchor: Point,
    window: Point[],
    count: number,
    nextEpisode: Episode | undefined,
  ): Crossing {
    const quietUntil = anchor.t + this.rule.quietMs;
    if (nextEpisode && nextEpisode.anchor.t < quietUntil) {
      nextEpisode.anchor = anchor;
      nextEpisode.quietUntil = quietUntil;
      this.dropQuiet(anchor, quietUntil);
      return {
        episode: nextEpisode,
        revised: nextEpisode.detectionId !== undefined,
        window,
        count,
      };
    }
    const episode = this.openEpisode(anchor, undefined);
    episode.quietUntil = quietUntil;
    this.dropQuiet(anchor, quietUntil);
    return { episode, revised: false, window, count };
  }

  private openEpisode(anchor: Point, detectionId: string | undefined): Episode {
    const episode: Episode = { anchor, quietUntil: anchor.t + this.rule.quietMs, detectionId };
    const at = this.episodes.findIndex((e) => compare(e.anchor, anchor) > 0);
    this.episodes.splice(at === -1 ? this.episodes.length : at, 0, episode);
    return episode;
  }

  /**
   * Index of the oldest signal in the window ending at point `end`: after the window's start
   * and not before its segment's start.
   */
  private windowStart(end: number, segmentStart: number): number {
    const after = (this.points[end] as Point).t - this.rule.windowMs;
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
  private dropQuiet(anchor: Point, quietUntil: number): void {
    for (let i = this.points.length - 1; i >= 0; i--) {
      const p = this.points[i] as Point;
      if (compare(p, anchor) >= 0 && p.t < quietUntil) {
        this.points.splice(i, 1);
        this.ids.delete(p.id);
      }
    }
  }

  private insert(point: Point): void {
    const at = this.position(point);
    this.points.splice(at, 0, point);
    this.ids.add(point.id);
    if (this.points.length > this.rule.maxPoints) {
      const dropped = this.points.shift() as Point;
      this.ids.delete(dropped.id);
    }
  }

  private prune(horizon: number): void {
    let drop = 0;
    while (drop < this.points.length && (this.points[drop] as Point).t < horizon) {
      this.ids.delete((this.points[drop] as Point).id);
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

/** Event-time order, ties broken by envelope id so that every arrival order sorts alike. */
function compare(a: Point, b: Point): number {
  if (a.t !== b.t) {
    return a.t - b.t;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
