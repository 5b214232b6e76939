import type { AppSummaryDelta } from '../summary-delta';

/**
 * Painless script applying one {@link AppSummaryDelta} to a summary document (scripted upsert):
 * increments counters, keeps the latest runtime facts and finding states, and drops hours and
 * attacker days older than the summary needs. Attacker IPs per day are capped so that a flood of
 * spoofed addresses cannot grow a summary without bound.
 */
export const SUMMARY_SCRIPT = `
def s = ctx._source;
if (s.signals == null) {
  s.tenant = params.tenant; s.app = params.app; s.firstSeen = params.firstSeen; s.lastSeen = params.lastSeen;
  s.signals = 0; s.hours = [:]; s.attackers = [:]; s.agents = [:]; s.findings = [:];
}
if (params.firstSeen.compareTo(s.firstSeen) < 0) { s.firstSeen = params.firstSeen; }
if (params.lastSeen.compareTo(s.lastSeen) > 0) { s.lastSeen = params.lastSeen; }
s.signals += params.signals;
for (e in params.hours.entrySet()) {
  def h = s.hours.get(e.getKey());
  if (h == null) { s.hours.put(e.getKey(), e.getValue()); }
  else { h.attacks += e.getValue().attacks; h.failedLogins += e.getValue().failedLogins; }
}
for (d in params.attackers.entrySet()) {
  def day = s.attackers.get(d.getKey());
  if (day == null) { day = [:]; s.attackers.put(d.getKey(), day); }
  for (ip in d.getValue().entrySet()) {
    if (day.containsKey(ip.getKey()) || day.size() < params.maxIpsPerDay) {
      day.put(ip.getKey(), day.getOrDefault(ip.getKey(), 0) + ip.getValue());
    }
  }
}
for (a in params.agents.entrySet()) {
  def seen = s.agents.get(a.getKey());
  if (seen == null || a.getValue().compareTo(seen) > 0) { s.agents.put(a.getKey(), a.getValue()); }
}
if (params.runtime != null && (s.runtime == null || params.runtime.reportedAt.compareTo(s.runtime.reportedAt) > 0)) {
  s.runtime = params.runtime;
}
for (f in params.findings.entrySet()) {
  def known = s.findings.get(f.getKey());
  if (known == null || f.getValue().lastSeen.compareTo(known.lastSeen) >= 0) { s.findings.put(f.getKey(), f.getValue()); }
}
s.hours.keySet().removeIf(k -> k.compareTo(params.oldestHour) < 0);
s.attackers.keySet().removeIf(k -> k.compareTo(params.oldestDay) < 0);
`.trim();

/** Distinct attacker IPs a summary keeps per day. */
export const MAX_ATTACKER_IPS_PER_DAY = 1_000;

/** The bulk `update` action of one delta (scripted upsert, retried on version conflicts). */
export function summaryUpdate(
  index: string,
  delta: AppSummaryDelta,
  oldestHour: string,
): [Record<string, unknown>, Record<string, unknown>] {
  return [
    { update: { _index: index, _id: `${delta.tenant}:${delta.app}`, retry_on_conflict: 5 } },
    {
      scripted_upsert: true,
      upsert: {},
      script: {
        lang: 'painless',
        source: SUMMARY_SCRIPT,
        params: {
          ...delta,
          runtime: delta.runtime ?? null,
          maxIpsPerDay: MAX_ATTACKER_IPS_PER_DAY,
          oldestHour,
          oldestDay: oldestHour.slice(0, 10),
        },
      },
    },
  ];
}
