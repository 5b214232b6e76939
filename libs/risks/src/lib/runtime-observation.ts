import type { RuntimeV1 } from '@vigil/signals';

/** What one `runtime` heartbeat says about one agent of one application. */
export interface RuntimeObservation {
  readonly app: string;
  readonly agentId: string;
  readonly agentVersion: string;
  readonly processUser: string | undefined;
  readonly uid: number | undefined;
  readonly runtime: { readonly name: string; readonly version: string };
  /** The host clock minus the receive time (ms), when the heartbeat carries its clock. */
  readonly clockSkewMs: number | undefined;
  readonly clockSynchronized: boolean | undefined;
  readonly packages: ReadonlyArray<{ ecosystem: string; name: string; version: string }>;
  /** When the heartbeat was received (ms since the epoch). */
  readonly receivedAt: number;
}

/** Why a heartbeat was not used. */
export type SkippedHeartbeat = 'no-application' | 'no-agent' | 'implausible-clock';

/** Packages read per heartbeat at most; the schema allows 5 000. */
export const MAX_PACKAGES = 5_000;
/** A skew beyond this is not a skewed clock but a broken one: the heartbeat is skipped. */
const IMPLAUSIBLE_SKEW_MS = 10 * 365 * 86_400_000;

/**
 * Reads a `runtime` heartbeat (already valid against its schema) into the facts the rules use.
 * Implausible facts are refused rather than trusted: a clock years away from the receive time
 * (the heartbeat is skipped, and counted by the caller), more packages than the bound (the
 * rest are ignored).
 */
export function observeRuntime(
  event: Readonly<Record<string, unknown>>,
  receivedAt: number,
): { ok: true; observation: RuntimeObservation } | { ok: false; reason: SkippedHeartbeat } {
  const app = event['subject'];
  if (typeof app !== 'string' || app.length === 0) {
    return { ok: false, reason: 'no-application' };
  }
  const data = event['data'] as RuntimeV1;
  if (!data?.agent?.id) {
    return { ok: false, reason: 'no-agent' };
  }
  const clock = data.clock?.time ? Date.parse(data.clock.time) : Number.NaN;
  const skew = Number.isNaN(clock) ? undefined : clock - receivedAt;
  if (skew !== undefined && Math.abs(skew) > IMPLAUSIBLE_SKEW_MS) {
    return { ok: false, reason: 'implausible-clock' };
  }
  return {
    ok: true,
    observation: {
      app,
      agentId: data.agent.id,
      agentVersion: data.agent.version,
      processUser: data.process.user,
      uid: data.process.uid,
      runtime: { name: data.runtime.name, version: data.runtime.version },
      clockSkewMs: skew,
      clockSynchronized: data.clock?.synchronized,
      packages: (data.packages ?? []).slice(0, MAX_PACKAGES),
      receivedAt,
    },
  };
}
