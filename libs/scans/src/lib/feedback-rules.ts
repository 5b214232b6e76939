import { jobKey, type JobSpec } from './job-plan';
import type { Observation } from './tool-result';

/** A completed job, as feedback rules see it. */
export interface CompletedJob {
  readonly kind: string;
  readonly depth: number;
  readonly observations: readonly Observation[];
}

/** Turns what one tool observed into follow-up jobs for another. */
export interface FeedbackRule {
  /** Shown in the follow-up job's record, e.g. `open-http-port→http-headers`. */
  readonly name: string;
  /** The kind whose results the rule reads. */
  readonly from: string;
  follow(observation: Observation): Omit<JobSpec, 'depth'> | undefined;
}

/** An open port that answers HTTP gets its security headers checked. */
export const OPEN_HTTP_PORT_RULE: FeedbackRule = {
  name: 'open-http-port→http-headers',
  from: 'ports',
  follow(observation) {
    if (observation.type !== 'open-port' || observation.service !== 'http') {
      return undefined;
    }
    if (observation.host === undefined || observation.port === undefined) {
      return undefined;
    }
    return {
      kind: 'http-headers',
      input: { hosts: [observation.host], ports: [observation.port] },
    };
  },
};

/** The rules Vigil ships. */
export const BUILT_IN_FEEDBACK_RULES: readonly FeedbackRule[] = [OPEN_HTTP_PORT_RULE];

/** A follow-up job and the rule that asked for it. */
export type FollowUpJob = JobSpec & { readonly rule: string };

/**
 * Follow-up jobs of a completed job. Loops cannot form: a follow-up is never deeper than
 * `maxDepth`, never of the job's own kind, and never a job the scan already has (`existingKeys`,
 * by {@link jobKey}); duplicates among the follow-ups themselves are dropped too.
 */
export function followUpJobs(
  job: CompletedJob,
  rules: readonly FeedbackRule[],
  existingKeys: ReadonlySet<string>,
  maxDepth: number,
  runnableKinds: readonly string[],
): FollowUpJob[] {
  if (job.depth >= maxDepth) {
    return [];
  }
  const seen = new Set(existingKeys);
  const jobs: FollowUpJob[] = [];
  for (const rule of rules.filter((candidate) => candidate.from === job.kind)) {
    for (const observation of job.observations) {
      const next = rule.follow(observation);
      if (!next || next.kind === job.kind || !runnableKinds.includes(next.kind)) {
        continue;
      }
      const key = jobKey(next);
      if (seen.has(key)) {
        continue;
      }
      seen.add(key);
      jobs.push({ ...next, depth: job.depth + 1, rule: rule.name });
    }
  }
  return jobs;
}
