import type { ActivePlaybook } from './compiled-playbook';
import type { ListResolver } from './conditions';
import { blockTarget, type Detection } from './detection';
import { DetectionEngine } from './detection-engine';

/** One archived signal as a backtest reads it. */
export interface BacktestSignal {
  readonly event: Readonly<Record<string, unknown>>;
  /** When ingestion received it (ms since the epoch). */
  readonly receivedAt: number;
}

/** What a backtest runs and within which bounds. */
export interface BacktestRequest {
  readonly tenant: string;
  /** The playbook tested. */
  readonly candidate: ActivePlaybook;
  /** The active version of the same playbook, to compare with (a changed playbook). */
  readonly baseline?: ActivePlaybook;
  readonly lists: ListResolver;
  readonly lateAllowanceMs: number;
  readonly maxClockSkewMs: number;
  /** Groups held at most (per run), as in live detection. */
  readonly maxGroups: number;
  /** Detections kept at most per playbook; beyond, the result says it is truncated. */
  readonly maxDetections: number;
  /** Called every `progressEvery` signals. */
  readonly onProgress?: (read: number) => void;
  readonly progressEvery?: number;
}

/** A would-be detection, as a backtest reports it. */
export interface WouldBeDetection {
  readonly playbookId: string;
  readonly thresholdName: string;
  readonly app: string | undefined;
  readonly group: Readonly<Record<string, string>>;
  /** The IP or user a block would target; absent for notify-only playbooks. */
  readonly target?: { readonly ip?: string; readonly user?: string };
  readonly count: number;
  readonly signalsSeen: number;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly detectedAt: string;
}

/** Would-be detections of one playbook over the window. */
export interface BacktestRun {
  readonly version: number;
  readonly detections: readonly WouldBeDetection[];
  readonly truncated: boolean;
}

/** What a backtest found. */
export interface BacktestResult {
  readonly signalsRead: number;
  /** Signals the candidate matched but did not count, by reason (missing fields, late…). */
  readonly skipped: Readonly<Record<string, number>>;
  readonly candidate: BacktestRun;
  readonly baseline?: BacktestRun;
  /** Against the baseline: detections only the candidate makes, only the baseline, and both. */
  readonly difference?: {
    readonly added: readonly WouldBeDetection[];
    readonly removed: readonly WouldBeDetection[];
    readonly unchanged: number;
  };
}

const SWEEP_EVERY = 10_000;

/**
 * Runs playbooks over archived signals, isolated from live state: engines of their own, block
 * lifetimes in event time, nothing stored and nothing sent — only the would-be detections are
 * returned. Signals are read once, in arrival order; memory is bounded by the groups and the
 * detections kept. A changed playbook runs beside its active version on the same signals.
 */
export async function runBacktest(
  request: BacktestRequest,
  signals: AsyncIterable<BacktestSignal>,
): Promise<BacktestResult> {
  let clock = 0;
  const engineFor = (playbook: ActivePlaybook) =>
    new DetectionEngine(() => [playbook], {
      maxGroupsPerTenant: request.maxGroups,
      lateAllowanceMs: request.lateAllowanceMs,
      maxClockSkewMs: request.maxClockSkewMs,
      responseClock: 'event-time',
      // The clock follows the signals read: idle groups are swept as they would have been.
      now: () => clock,
      listsOf: () => request.lists,
    });
  const runs = [request.candidate, request.baseline].flatMap((playbook) =>
    playbook
      ? [{ playbook, engine: engineFor(playbook), found: new Map<string, Detection>() }]
      : [],
  );
  const skipped: Record<string, number> = {};
  let read = 0;
  for await (const signal of signals) {
    read++;
    clock = Math.max(clock, signal.receivedAt);
    runs.forEach((run, index) => {
      const outcome = run.engine.observe({ tenant: request.tenant, ...signal });
      outcome.detections.forEach((d) => keep(run.found, d, request.maxDetections));
      if (index === 0) {
        outcome.skipped.forEach(({ reason }) => (skipped[reason] = (skipped[reason] ?? 0) + 1));
      }
    });
    if (read % SWEEP_EVERY === 0) {
      runs.forEach((run) => run.engine.sweep());
    }
    if (request.onProgress && read % (request.progressEvery ?? 10_000) === 0) {
      request.onProgress(read);
    }
  }
  const [candidate, baseline] = runs.map((run) => resultOf(run, request.maxDetections));
  return {
    signalsRead: read,
    skipped,
    candidate: candidate as BacktestRun,
    ...(baseline && { baseline, difference: differenceOf(candidate as BacktestRun, baseline) }),
  };
}

/** Revisions replace the detection they revise; beyond the bound, new ones are dropped. */
function keep(found: Map<string, Detection>, detection: Detection, max: number): void {
  if (found.has(detection.id) || found.size <= max) {
    found.set(detection.id, detection);
  }
}

function resultOf(
  run: { playbook: ActivePlaybook; found: Map<string, Detection> },
  max: number,
): BacktestRun {
  const detections = [...run.found.values()]
    .map(wouldBe)
    .sort((a, b) => a.detectedAt.localeCompare(b.detectedAt))
    .slice(0, max);
  return { version: run.playbook.version, detections, truncated: run.found.size > max };
}

function wouldBe(detection: Detection): WouldBeDetection {
  const target =
    detection.response.action === 'notify' ? undefined : blockTarget(detection.response);
  return {
    playbookId: detection.playbookId,
    thresholdName: detection.thresholdName,
    app: detection.app,
    group: detection.group,
    ...(target && { target }),
    count: detection.count,
    signalsSeen: detection.signalsSeen,
    firstSeen: detection.firstSeen,
    lastSeen: detection.lastSeen,
    detectedAt: detection.detectedAt,
  };
}

/** Detections are the same when they name the same group crossing at the same signal time. */
function differenceOf(candidate: BacktestRun, baseline: BacktestRun) {
  const key = (d: WouldBeDetection) => JSON.stringify([d.group, d.detectedAt]);
  const before = new Set(baseline.detections.map(key));
  const after = new Set(candidate.detections.map(key));
  return {
    added: candidate.detections.filter((d) => !before.has(key(d))),
    removed: baseline.detections.filter((d) => !after.has(key(d))),
    unchanged: candidate.detections.filter((d) => before.has(key(d))).length,
  };
}
