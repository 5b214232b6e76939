import {
  bucketStream,
  DEFAULT_TOPOLOGY_SETTINGS,
  PRODUCT_NAMES,
  productDeclarations,
  pulledConsumers,
  REPLAY_STREAM,
  SIGNALS_STREAM,
  type ProductDeclaration,
  type TopologySettings,
} from '@vigil/topology';
import type { EnvironmentConfig } from './infra-config';

/** The team that owns ingestion and everything shared (streams, buckets, archive, search). */
export const PLATFORM_TEAM = 'platform';

/** A team with its products' declarations. */
export interface TeamPlan {
  readonly team: string;
  readonly products: readonly ProductDeclaration[];
}

/** What the stacks of one environment are built from. */
export interface InfraPlan {
  readonly environment: EnvironmentConfig;
  readonly settings: TopologySettings;
  readonly platform: TeamPlan;
  readonly teams: readonly TeamPlan[];
  /** The longest archive retention rule (days), or undefined when everything is kept. */
  readonly archiveExpirationDays: number | undefined;
}

/** Infrastructure configuration that breaks a rule; the message names team, resource and rule. */
export class InfraConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`infrastructure configuration refused:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'InfraConfigError';
  }
}

/** The archive keeps nothing for less than a day: the bucket's lifecycle expires whole days. */
export const ARCHIVE_MINIMUM_RETENTION_DAYS = 1;

/** Streams whose subjects every team may read (the signals themselves). */
const SHARED_SUBJECTS: Readonly<Record<string, readonly string[]>> = {
  [SIGNALS_STREAM]: ['signals.>'],
};

/** Resolves an environment into teams and declarations, or throws every rule it breaks. */
export function planInfra(environment: EnvironmentConfig): InfraPlan {
  const problems: string[] = [];
  const settings: TopologySettings = {
    ...DEFAULT_TOPOLOGY_SETTINGS,
    ...environment.topology,
    replicas: environment.jetStream.replicas,
  };
  const declarations = new Map(
    [
      ...productDeclarations(settings),
      ...environment.teams.flatMap((team) => team.declarations ?? []),
    ].map((p) => [p.name, p]),
  );
  const teamOf = new Map<string, string>();
  const resolve = (team: string, products: readonly string[]): TeamPlan => ({
    team,
    products: products.flatMap((name) => {
      const declaration = declarations.get(name);
      if (!declaration) {
        problems.push(
          `team ${team}: product "${name}" is unknown (rule: known-product; known: ${PRODUCT_NAMES.join(', ')})`,
        );
        return [];
      }
      const owner = teamOf.get(name);
      if (owner !== undefined) {
        problems.push(
          `team ${team}: product ${name} is already owned by team ${owner} (rule: one-owner)`,
        );
        return [];
      }
      teamOf.set(name, team);
      return [declaration];
    }),
  });
  const platform = resolve(PLATFORM_TEAM, ['ingestion']);
  const teams = environment.teams.map((team) => resolve(team.team, team.products));
  const all = [platform, ...teams];
  checkUniqueStreams(all, problems);
  checkConsumerSubjects(all, problems);
  checkReplicas(all, environment, problems);
  const archiveExpirationDays = archiveExpiration(environment, problems);
  if (problems.length > 0) {
    throw new InfraConfigError(problems);
  }
  return { environment, settings, platform, teams, archiveExpirationDays };
}

function streamsOf(plan: TeamPlan): { name: string; replicas: number }[] {
  return plan.products.flatMap((product) => [
    ...product.streams.map((s) => ({ name: s.name, replicas: s.num_replicas })),
    ...product.buckets.map((b) => ({ name: bucketStream(b.bucket), replicas: b.replicas })),
  ]);
}

function checkUniqueStreams(teams: readonly TeamPlan[], problems: string[]): void {
  const seen = new Map<string, string>();
  for (const plan of teams) {
    for (const { name } of streamsOf(plan)) {
      const first = seen.get(name);
      if (first !== undefined) {
        problems.push(
          `team ${plan.team}: stream ${name} is also declared by team ${first} (rule: unique-stream)`,
        );
      }
      seen.set(name, plan.team);
    }
  }
}

/** A consumer reads its team's own streams, the shared signals, or its own replays — nothing else. */
function checkConsumerSubjects(teams: readonly TeamPlan[], problems: string[]): void {
  for (const plan of teams) {
    const owned = new Set(
      plan.products.flatMap((product) => product.streams.map((stream) => stream.name)),
    );
    const consumers = plan.products.flatMap((product) => [
      ...product.consumers,
      ...pulledConsumers(product),
    ]);
    for (const { stream, config } of consumers) {
      const allowed = owned.has(stream)
        ? ['>']
        : stream === REPLAY_STREAM
          ? [`replay.${config.durable_name}.>`]
          : (SHARED_SUBJECTS[stream] ?? []);
      if (!allowed.some((pattern) => covers(pattern, config.filter_subject))) {
        problems.push(
          `team ${plan.team}: consumer ${config.durable_name} on ${stream} filters "${config.filter_subject}", subjects team ${plan.team} does not own (rule: own-subjects)`,
        );
      }
    }
  }
}

function checkReplicas(
  teams: readonly TeamPlan[],
  environment: EnvironmentConfig,
  problems: string[],
): void {
  const cluster = environment.jetStream.clusterSize;
  for (const plan of teams) {
    for (const { name, replicas } of streamsOf(plan)) {
      if (replicas > cluster) {
        problems.push(
          `team ${plan.team}: stream ${name} asks for ${replicas} replicas but the ${environment.name} JetStream cluster has ${cluster} servers (rule: replicas-within-cluster)`,
        );
      }
    }
  }
}

const RULE = /^(?:[a-z0-9-]+\/|\*\/)?(?:[a-z0-9._-]+|\*)=(\d+)([smhd])$/;
const UNIT_DAYS: Readonly<Record<string, number>> = {
  s: 1 / 86_400,
  m: 1 / 1_440,
  h: 1 / 24,
  d: 1,
};

/** The bucket expires what the archive's longest rule lets go; no rule shorter than the minimum. */
function archiveExpiration(environment: EnvironmentConfig, problems: string[]): number | undefined {
  const { bucket, retention } = environment.archive;
  let longest: number | undefined;
  let everything = false;
  for (const rule of retention
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean)) {
    const match = RULE.exec(rule);
    if (!match) {
      problems.push(
        `team ${PLATFORM_TEAM}: archive bucket ${bucket}: "${rule}" is not <tenant>/<type>=<duration> as VIGIL_ARCHIVE_RETENTION takes it (rule: archive-retention-syntax)`,
      );
      continue;
    }
    const days = Number(match[1]) * (UNIT_DAYS[match[2] as string] as number);
    if (days < ARCHIVE_MINIMUM_RETENTION_DAYS) {
      problems.push(
        `team ${PLATFORM_TEAM}: archive bucket ${bucket}: retention rule ${rule} is shorter than the archive's minimum of ${ARCHIVE_MINIMUM_RETENTION_DAYS} day (rule: archive-retention-minimum)`,
      );
    }
    longest = Math.max(longest ?? 0, Math.ceil(days));
    everything ||= rule.startsWith('*=') || rule.startsWith('*/*=');
  }
  // Without a rule for everything, some signals are kept forever: the bucket must not expire them.
  return everything ? longest : undefined;
}

/** True when subject pattern `outer` matches every subject `inner` matches. */
function covers(outer: string, inner: string): boolean {
  const a = outer.split('.');
  const b = inner.split('.');
  for (let i = 0; i < a.length; i++) {
    if (a[i] === '>') {
      return b.length > i;
    }
    if (i >= b.length || b[i] === '>') {
      return false;
    }
    if (a[i] !== '*' && (a[i] !== b[i] || b[i] === '*')) {
      return false;
    }
  }
  return a.length === b.length;
}
