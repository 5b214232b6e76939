import semver from 'semver';
import type { AdvisoryMatch, Ecosystem, OsvDatabase } from '@vigil/advisories';
import { RUNTIME_EOL_CHECKED, runtimeLineOf } from './runtime-eol';
import type { RuntimeObservation } from './runtime-observation';

/** How severe a risk is. */
export type RiskSeverity = 'low' | 'medium' | 'high' | 'critical';

/** A risk one heartbeat shows: which rule, about what within the application, and why. */
export interface RiskFinding {
  readonly rule: string;
  /** What it is about within the application (`process`, `npm:lodash@4.17.20`…). */
  readonly key: string;
  readonly severity: RiskSeverity;
  readonly title: string;
  readonly evidence: Readonly<Record<string, string | number | boolean>>;
}

/** Thresholds a tenant may tune. */
export interface RiskSettings {
  /** A clock further than this from the receive time is skewed (ms). */
  readonly clockSkewMs: number;
  /** Consecutive heartbeats of one agent beyond the skew before it is a risk. */
  readonly skewHeartbeats: number;
  /** Agents older than this version are outdated. */
  readonly minimumAgentVersion: string;
}

/** The defaults: 2 minutes of skew over 3 heartbeats; agents from 1.0.0. */
export const DEFAULT_RISK_SETTINGS: RiskSettings = {
  clockSkewMs: 120_000,
  skewHeartbeats: 3,
  minimumAgentVersion: '1.0.0',
};

/** What a rule may read beyond the heartbeat. */
export interface RuleContext {
  readonly settings: RiskSettings;
  readonly advisories: OsvDatabase;
  /** This agent's last clock skews, the current heartbeat's last (ms). */
  readonly recentSkewsMs: readonly number[];
  /** Today, for end-of-life dates. */
  readonly today: Date;
}

/** A risk rule: what it finds, how severe it is, what it keeps and how it resolves. */
export interface RiskRule {
  readonly id: string;
  readonly severity: RiskSeverity;
  readonly description: string;
  /** The facts a finding keeps. */
  readonly evidence: string;
  /** How a finding of this rule resolves. */
  readonly resolves: string;
  evaluate(observation: RuntimeObservation, context: RuleContext): RiskFinding[];
}

const processRoot: RiskRule = {
  id: 'process-root',
  severity: 'high',
  description:
    'The application process runs as root (uid 0): any code execution it suffers gets the whole host or container.',
  evidence: 'the process user and uid',
  resolves: 'when no agent of the application reports a root process for N heartbeats',
  evaluate: (o) =>
    o.uid === 0 || o.processUser === 'root'
      ? [
          {
            rule: 'process-root',
            key: 'process',
            severity: 'high',
            title: `runs as root (user ${o.processUser ?? '?'}, uid ${o.uid ?? '?'})`,
            evidence: { user: o.processUser ?? '', uid: o.uid ?? -1 },
          },
        ]
      : [],
};

const clockSkew: RiskRule = {
  id: 'clock-skew',
  severity: 'medium',
  description:
    "The host's clock is off: token expiry, TLS validity and signatures are checked against a wrong time, and its logs do not line up.",
  evidence: 'the latest skew and the number of heartbeats it was seen over',
  resolves: 'when the skew is back under the threshold for N heartbeats',
  evaluate: (o, { settings, recentSkewsMs }) => {
    const recent = recentSkewsMs.slice(-settings.skewHeartbeats);
    const skewed =
      recent.length >= settings.skewHeartbeats &&
      recent.every((skew) => Math.abs(skew) > settings.clockSkewMs);
    if (!skewed) {
      return [];
    }
    const seconds = Math.round((recent.at(-1) ?? 0) / 1_000);
    return [
      {
        rule: 'clock-skew',
        key: `agent:${o.agentId}`,
        severity: 'medium',
        title: `clock ${Math.abs(seconds)} s ${seconds > 0 ? 'ahead' : 'behind'} on agent ${o.agentId}`,
        evidence: { skewSeconds: seconds, heartbeats: recent.length },
      },
    ];
  },
};

const clockUnsynchronized: RiskRule = {
  id: 'clock-unsynchronized',
  severity: 'low',
  description:
    'The host reports its clock is not synchronised (no NTP or equivalent): it will drift.',
  evidence: 'the agent that reports it',
  resolves: 'when the host reports a synchronised clock for N heartbeats',
  evaluate: (o) =>
    o.clockSynchronized === false
      ? [
          {
            rule: 'clock-unsynchronized',
            key: `agent:${o.agentId}`,
            severity: 'low',
            title: `clock not synchronised on agent ${o.agentId}`,
            evidence: { synchronized: false },
          },
        ]
      : [],
};

const runtimeEol: RiskRule = {
  id: 'runtime-eol',
  severity: 'high',
  description:
    'The language runtime is past its end of life: security fixes for it are no longer released.',
  evidence: `the runtime, its line and end-of-life date (table checked ${RUNTIME_EOL_CHECKED})`,
  resolves: 'when agents report a supported runtime for N heartbeats',
  evaluate: (o, { today }) => {
    const line = runtimeLineOf(o.runtime.name, o.runtime.version);
    if (!line || Date.parse(line.endOfLife) > today.getTime()) {
      return [];
    }
    return [
      {
        rule: 'runtime-eol',
        key: `${o.runtime.name}@${line.line}`,
        severity: 'high',
        title: `${o.runtime.name} ${line.line} reached its end of life on ${line.endOfLife}`,
        evidence: {
          runtime: o.runtime.name,
          version: o.runtime.version,
          endOfLife: line.endOfLife,
        },
      },
    ];
  },
};

const SEVERITY_ORDER: readonly RiskSeverity[] = ['low', 'medium', 'high', 'critical'];

const vulnerablePackage: RiskRule = {
  id: 'vulnerable-package',
  severity: 'high',
  description:
    'A package in the live inventory has a known vulnerability (the OSV advisories the dependency scanner uses).',
  evidence: 'the advisories and the first fixed version',
  resolves: 'when no agent reports that package version for N heartbeats (upgraded or removed)',
  evaluate: (o, { advisories }) =>
    o.packages.flatMap((pkg) => {
      if (pkg.ecosystem === 'other') {
        return [];
      }
      const matches = advisories.match(pkg.name, pkg.version, pkg.ecosystem as Ecosystem);
      return matches.length === 0 ? [] : [packageFinding(pkg, matches)];
    }),
};

function packageFinding(
  pkg: { ecosystem: string; name: string; version: string },
  matches: readonly AdvisoryMatch[],
): RiskFinding {
  const severity = matches
    .map((m) => m.severity)
    .reduce((a, b) => (SEVERITY_ORDER.indexOf(b) > SEVERITY_ORDER.indexOf(a) ? b : a));
  const fixedIn = matches.map((m) => m.fixedIn).filter(Boolean);
  return {
    rule: 'vulnerable-package',
    key: `${pkg.ecosystem}:${pkg.name}@${pkg.version}`,
    severity,
    title: `${pkg.ecosystem} ${pkg.name}@${pkg.version} has ${matches.length} known vulnerabilit${matches.length === 1 ? 'y' : 'ies'}`,
    evidence: {
      advisories: matches
        .map((m) => m.id)
        .join(', ')
        .slice(0, 512),
      ...(fixedIn.length > 0 && { fixedIn: fixedIn.sort(semverOrder).at(-1) as string }),
    },
  };
}

function semverOrder(a: string | undefined, b: string | undefined): number {
  return semver.valid(a) && semver.valid(b) ? semver.compare(a as string, b as string) : 0;
}

const agentOutdated: RiskRule = {
  id: 'agent-outdated',
  severity: 'low',
  description:
    'The agent is older than the supported minimum: it may lack protections and the platform may stop understanding it.',
  evidence: 'the agent version and the minimum',
  resolves: 'when the agent reports a supported version for N heartbeats',
  evaluate: (o, { settings }) => {
    const version = semver.coerce(o.agentVersion);
    if (!version || semver.gte(version, settings.minimumAgentVersion)) {
      return [];
    }
    return [
      {
        rule: 'agent-outdated',
        key: `agent:${o.agentId}`,
        severity: 'low',
        title: `agent ${o.agentId} runs ${o.agentVersion}, older than ${settings.minimumAgentVersion}`,
        evidence: { version: o.agentVersion, minimum: settings.minimumAgentVersion },
      },
    ];
  },
};

/** Every rule, in the order findings are reported. */
export const RISK_RULES: readonly RiskRule[] = [
  processRoot,
  runtimeEol,
  vulnerablePackage,
  clockSkew,
  clockUnsynchronized,
  agentOutdated,
];
