/** One observation kept by a window: its event time and envelope id. */
export interface Observation {
  readonly t: number;
  readonly id: string;
}

/**
 * The last `limit` observations of a group, ordered by event time. Keeping only `limit` is
 * enough to answer "did `limit` signals happen within the window?", which bounds memory per
 * group by the threshold whatever the traffic.
 */
export class CountWindow {
  private readonly entries: Observation[] = [];
  private readonly ids = new Set<string>();

  constructor(readonly limit: number) {}

  /** Adds an observation; false when this envelope id is already counted (a redelivery). */
  add(observation: Observation): boolean {
    if (this.ids.has(observation.id)) {
      return false;
    }
    let at = this.entries.length;
    while (at > 0 && (this.entries[at - 1]?.t ?? 0) > observation.t) {
      at--;
    }
    this.entries.splice(at, 0, observation);
    this.ids.add(observation.id);
    if (this.entries.length > this.limit) {
      const dropped = this.entries.shift();
      this.ids.delete(dropped?.id ?? '');
    }
    return true;
  }

  /** How many kept observations fall within `windowMs` of the newest one. */
  countWithin(windowMs: number): number {
    const newest = this.entries.at(-1)?.t ?? 0;
    return this.entries.filter((entry) => entry.t > newest - windowMs).length;
  }

  /** Kept observations, oldest first. */
  observations(): readonly Observation[] {
    return this.entries;
  }
}

/**
 * The `limit` most recently seen distinct values of a field in a group, each with its latest
 * observation: enough to answer "did `limit` distinct values occur within the window?".
 */
export class DistinctWindow {
  private readonly latest = new Map<string, Observation>();

  constructor(readonly limit: number) {}

  /** Records `value`; false when this exact observation is already known (a redelivery). */
  add(value: string, observation: Observation): boolean {
    const known = this.latest.get(value);
    if (known?.id === observation.id) {
      return false;
    }
    if (!known || known.t < observation.t) {
      this.latest.set(value, observation);
    }
    if (this.latest.size > this.limit) {
      this.latest.delete(this.oldestValue());
    }
    return true;
  }

  /** Distinct values whose latest observation is within `windowMs` of the newest one. */
  countWithin(windowMs: number): number {
    const newest = Math.max(...[...this.latest.values()].map((o) => o.t));
    return [...this.latest.values()].filter((o) => o.t > newest - windowMs).length;
  }

  /** Latest observation of each kept value. */
  observations(): readonly Observation[] {
    return [...this.latest.values()].sort((a, b) => a.t - b.t);
  }

  private oldestValue(): string {
    let oldest: [string, Observation] | undefined;
    for (const entry of this.latest) {
      if (!oldest || entry[1].t < oldest[1].t) {
        oldest = entry;
      }
    }
    return oldest?.[0] ?? '';
  }
}
