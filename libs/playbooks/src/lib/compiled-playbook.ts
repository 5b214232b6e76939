import type { PlaybookV1, PlaybookV2 } from '@vigil/signals';
import { compileCondition, type EventPredicate, type ListResolver } from './conditions';

/** A playbook as tenants write it: language version 1 or 2 (`"language": 2`). */
export type PlaybookDefinition = PlaybookV1 | PlaybookV2;

/** A playbook in force for a tenant: its definition and the version it was saved as. */
export interface ActivePlaybook {
  readonly definition: PlaybookDefinition;
  readonly version: number;
}

/** One threshold of a playbook for one application, overrides applied. */
export interface ThresholdRule {
  readonly name: string;
  readonly windowMs: number;
  readonly count: number;
  readonly distinct: string | undefined;
}

/** A playbook ready for the engine: conditions compiled, thresholds resolved per application. */
export interface CompiledPlaybook {
  readonly id: string;
  readonly version: number;
  readonly name: string;
  readonly enabled: boolean;
  readonly simulated: boolean;
  readonly type: string;
  readonly groupBy: readonly string[];
  readonly response: PlaybookV2['response'];
  /** True for a version 1 playbook: one threshold, detection ids as they always were. */
  readonly legacy: boolean;
  matches: EventPredicate;
  thresholdsFor(app: string): readonly ThresholdRule[];
}

/** The name version 1 playbooks' single threshold takes in version 2. */
export const DEFAULT_THRESHOLD = 'default';

/** A playbook in language version 2; a version 1 playbook is rewritten with the same meaning. */
export function toLanguageV2(definition: PlaybookDefinition): PlaybookV2 {
  if ('language' in definition) {
    return definition;
  }
  const { windowSeconds, threshold, overrides, ...common } = definition;
  return {
    ...common,
    language: 2,
    thresholds: [{ name: DEFAULT_THRESHOLD, windowSeconds, ...threshold }],
    ...(overrides && {
      overrides: Object.fromEntries(
        Object.entries(overrides).map(([app, tuning]) => [app, { [DEFAULT_THRESHOLD]: tuning }]),
      ),
    }),
  };
}

/** Compiles a playbook once for the engine; `lists` resolves `inList` names for its tenant. */
export function compilePlaybook(active: ActivePlaybook, lists: ListResolver): CompiledPlaybook {
  const definition = toLanguageV2(active.definition);
  const conditions = (definition.match.where ?? []).map((c) => compileCondition(c, lists));
  const defaults = definition.thresholds.map((t) => rule(t, undefined));
  const perApp = new Map(
    Object.entries(definition.overrides ?? {}).map(([app, tuning]) => [
      app,
      definition.thresholds.map((t) => rule(t, tuning?.[t.name])),
    ]),
  );
  return {
    id: definition.id,
    version: active.version,
    name: definition.name,
    enabled: definition.enabled !== false,
    simulated: definition.mode === 'simulate',
    type: definition.match.type,
    groupBy: definition.groupBy,
    response: definition.response,
    legacy: !('language' in active.definition),
    matches: (event) => conditions.every((condition) => condition(event)),
    thresholdsFor: (app) => perApp.get(app) ?? defaults,
  };
}

/** The longest window of a playbook, overrides included (seconds): how far back state matters. */
export function longestWindowSeconds(definition: PlaybookDefinition): number {
  const { thresholds, overrides } = toLanguageV2(definition);
  const tuned = Object.values(overrides ?? {}).flatMap((byName) =>
    Object.values(byName ?? {}).map((tuning) => tuning?.windowSeconds ?? 0),
  );
  return Math.max(...thresholds.map((t) => t.windowSeconds), ...tuned);
}

function rule(
  threshold: PlaybookV2['thresholds'][number],
  tuning: { windowSeconds?: number; count?: number } | undefined,
): ThresholdRule {
  return {
    name: threshold.name,
    windowMs: (tuning?.windowSeconds ?? threshold.windowSeconds) * 1_000,
    count: tuning?.count ?? threshold.count,
    distinct: threshold.distinct,
  };
}
