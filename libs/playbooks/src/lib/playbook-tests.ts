import type { PlaybookDefinition } from './compiled-playbook';
import type { ListResolver } from './conditions';
import { blockTarget, type Detection } from './detection';
import { DetectionEngine } from './detection-engine';
import { shippedLists } from './lists/list-matcher';

/** One test case a playbook file carries: signals in, the detections expected out. */
export interface PlaybookTestCase {
  readonly name: string;
  /** Envelopes (with `time`), fed in the order given, each received one second after its time. */
  readonly signals: ReadonlyArray<Readonly<Record<string, unknown>>>;
  readonly expect: {
    /** How many detections the signals make. */
    readonly detections: number;
    /** The IPs or users blocked, in detection order, when given. */
    readonly targets?: ReadonlyArray<{ readonly ip?: string; readonly user?: string }>;
  };
}

/** How one test case went. */
export interface PlaybookTestOutcome {
  readonly name: string;
  readonly passed: boolean;
  /** Why it failed; empty when it passed. */
  readonly message: string;
}

const RECEIVED_AFTER_MS = 1_000;

/**
 * Runs a playbook's test cases, each on an engine of its own (as detections as code: the file
 * in git carries what it must and must not catch). Lists resolve to the shipped ones unless
 * `lists` is given.
 */
export function runPlaybookTests(
  definition: PlaybookDefinition,
  cases: readonly PlaybookTestCase[],
  lists: ListResolver = shippedLists(),
): PlaybookTestOutcome[] {
  return cases.map((testCase) => {
    const found = detect(definition, testCase, lists);
    const targets = found.map((d) => blockTarget(d.response));
    const { detections, targets: wanted } = testCase.expect;
    if (found.length !== detections) {
      const seen =
        targets.length > 0 ? ` (${targets.map((t) => t.ip ?? t.user ?? '-').join(', ')})` : '';
      return fail(testCase, `expected ${detections} detection(s), got ${found.length}${seen}`);
    }
    if (wanted && JSON.stringify(wanted) !== JSON.stringify(targets)) {
      return fail(
        testCase,
        `expected targets ${JSON.stringify(wanted)}, got ${JSON.stringify(targets)}`,
      );
    }
    return { name: testCase.name, passed: true, message: '' };
  });
}

function detect(
  definition: PlaybookDefinition,
  testCase: PlaybookTestCase,
  lists: ListResolver,
): Detection[] {
  let now = 0;
  const engine = new DetectionEngine(() => [{ definition, version: 1 }], {
    maxGroupsPerTenant: 100_000,
    lateAllowanceMs: 120_000,
    maxClockSkewMs: 30_000,
    responseClock: 'event-time',
    now: () => now,
    listsOf: () => lists,
  });
  const found = new Map<string, Detection>();
  for (const event of testCase.signals) {
    const receivedAt = Date.parse(String(event['time'])) + RECEIVED_AFTER_MS;
    now = Math.max(now, receivedAt);
    for (const detection of engine.observe({ tenant: 'test', event, receivedAt }).detections) {
      found.set(detection.id, detection);
    }
  }
  return [...found.values()];
}

function fail(testCase: PlaybookTestCase, message: string): PlaybookTestOutcome {
  return { name: testCase.name, passed: false, message };
}
