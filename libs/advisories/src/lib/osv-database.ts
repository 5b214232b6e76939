import { readFileSync } from 'node:fs';
import semver from 'semver';

/** How severe an advisory is, on the platform's scale. */
export type AdvisorySeverity = 'low' | 'medium' | 'high' | 'critical';

/**
 * Package ecosystems as agents and lockfiles name them, and as OSV spells them. Versions are
 * compared as semantic versions, which fits npm, crates and most of the others; one that is not
 * a semantic version only matches an advisory listing it exactly.
 */
export const OSV_ECOSYSTEMS = {
  npm: 'npm',
  pypi: 'PyPI',
  maven: 'Maven',
  rubygems: 'RubyGems',
  go: 'Go',
  nuget: 'NuGet',
  packagist: 'Packagist',
  cargo: 'crates.io',
} as const;

/** An ecosystem the database indexes. */
export type Ecosystem = keyof typeof OSV_ECOSYSTEMS;

/** The part of an OSV advisory (https://ossf.github.io/osv-schema/) the matcher reads. */
interface OsvAdvisory {
  id: string;
  summary?: string;
  details?: string;
  aliases?: string[];
  references?: Array<{ url?: string }>;
  database_specific?: { severity?: string };
  affected?: Array<{
    package?: { ecosystem?: string; name?: string };
    versions?: string[];
    ranges?: Array<{ type?: string; events?: Array<Record<string, string>> }>;
  }>;
}

/** An advisory that affects one installed package version. */
export interface AdvisoryMatch {
  readonly id: string;
  readonly summary: string;
  readonly details: string;
  readonly aliases: readonly string[];
  readonly references: readonly string[];
  readonly severity: AdvisorySeverity;
  /** The first fixed version of the range that matched, when the advisory gives one. */
  readonly fixedIn?: string;
}

const SEVERITY_NAMES: Readonly<Record<string, AdvisorySeverity>> = {
  LOW: 'low',
  MODERATE: 'medium',
  MEDIUM: 'medium',
  HIGH: 'high',
  CRITICAL: 'critical',
};

/**
 * A local database of advisories in OSV format (a JSON array of advisories, or
 * `{ "vulns": [...] }`), indexed by ecosystem and package name: scans and the risks product
 * match against the same file without network access.
 */
export class OsvDatabase {
  private readonly byPackage = new Map<string, OsvAdvisory[]>();

  constructor(advisories: readonly unknown[]) {
    for (const advisory of advisories) {
      this.index(advisory as OsvAdvisory);
    }
  }

  /** Loads the database from a file; throws naming the file when it is not OSV JSON. */
  static fromFile(path: string): OsvDatabase {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new Error(`cannot read the advisory file ${path}: ${(error as Error).message}`);
    }
    const list = Array.isArray(parsed) ? parsed : (parsed as { vulns?: unknown[] })?.vulns;
    if (!Array.isArray(list)) {
      throw new Error(`the advisory file ${path} is not a JSON array of OSV advisories`);
    }
    return new OsvDatabase(list);
  }

  /** The advisories affecting `name@version` of `ecosystem` (npm by default). */
  match(name: string, version: string, ecosystem: Ecosystem = 'npm'): AdvisoryMatch[] {
    const matches: AdvisoryMatch[] = [];
    const osvName = OSV_ECOSYSTEMS[ecosystem];
    for (const advisory of this.byPackage.get(keyOf(osvName, name)) ?? []) {
      const hit = affects(advisory, osvName, name, version);
      if (hit) {
        matches.push(toMatch(advisory, hit.fixedIn));
      }
    }
    return matches;
  }

  private index(advisory: OsvAdvisory): void {
    if (typeof advisory?.id !== 'string' || !Array.isArray(advisory.affected)) {
      return;
    }
    for (const affected of advisory.affected) {
      const name = affected.package?.name;
      const ecosystem = affected.package?.ecosystem;
      if (typeof ecosystem !== 'string' || typeof name !== 'string') {
        continue;
      }
      const key = keyOf(ecosystem, name);
      const list = this.byPackage.get(key) ?? [];
      if (!list.includes(advisory)) {
        list.push(advisory);
      }
      this.byPackage.set(key, list);
    }
  }
}

function keyOf(ecosystem: string, name: string): string {
  return `${ecosystem}\u0000${name}`;
}

function affects(
  advisory: OsvAdvisory,
  ecosystem: string,
  name: string,
  version: string,
): { fixedIn?: string } | undefined {
  for (const affected of advisory.affected ?? []) {
    if (affected.package?.ecosystem !== ecosystem || affected.package.name !== name) {
      continue;
    }
    if (affected.versions?.includes(version)) {
      return {};
    }
    for (const range of affected.ranges ?? []) {
      const hit = inRange(range.events ?? [], version);
      if (hit) {
        return hit;
      }
    }
  }
  return undefined;
}

/** OSV range events in order: `introduced` opens an interval, `fixed` / `last_affected` close it. */
function inRange(
  events: ReadonlyArray<Record<string, string>>,
  version: string,
): { fixedIn?: string } | undefined {
  if (!semver.valid(version)) {
    return undefined;
  }
  let introduced: string | undefined;
  for (const event of events) {
    if (event['introduced'] !== undefined) {
      introduced = event['introduced'] === '0' ? '0.0.0' : event['introduced'];
      continue;
    }
    if (introduced === undefined || !semver.valid(introduced)) {
      continue;
    }
    const fixed = event['fixed'];
    const last = event['last_affected'];
    if (
      fixed &&
      semver.valid(fixed) &&
      semver.gte(version, introduced) &&
      semver.lt(version, fixed)
    ) {
      return { fixedIn: fixed };
    }
    if (
      last &&
      semver.valid(last) &&
      semver.gte(version, introduced) &&
      semver.lte(version, last)
    ) {
      return {};
    }
    introduced = undefined;
  }
  // An interval left open affects every later version.
  if (introduced !== undefined && semver.valid(introduced) && semver.gte(version, introduced)) {
    return {};
  }
  return undefined;
}

function toMatch(advisory: OsvAdvisory, fixedIn: string | undefined): AdvisoryMatch {
  const severityName = advisory.database_specific?.severity?.toUpperCase() ?? '';
  return {
    id: advisory.id,
    summary: advisory.summary ?? advisory.id,
    details: advisory.details ?? '',
    aliases: (advisory.aliases ?? []).filter((alias) => typeof alias === 'string'),
    references: (advisory.references ?? [])
      .map((reference) => reference.url)
      .filter((url): url is string => typeof url === 'string' && /^https?:\/\//.test(url)),
    severity: SEVERITY_NAMES[severityName] ?? 'medium',
    ...(fixedIn ? { fixedIn } : {}),
  };
}
