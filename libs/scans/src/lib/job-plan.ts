import type { ScanJobV1 } from '@vigil/signals';
import { networkTargets, type ScanRequest } from './scan-request-checker';

/** What a job works on (the `input` of a scan job). */
export type JobInput = ScanJobV1['input'];

/** A job to create: its kind, its input, and how deep in the feedback chain it is. */
export interface JobSpec {
  readonly kind: string;
  readonly input: JobInput;
  readonly depth: number;
}

const NETWORK_KINDS = new Set(['ports', 'http-headers']);

/** One job per requested kind, each given only the part of the request its kind uses. */
export function planJobs(request: ScanRequest): JobSpec[] {
  return request.kinds.map((kind) => ({ kind, input: inputFor(kind, request), depth: 0 }));
}

function inputFor(kind: string, request: ScanRequest): JobInput {
  if (NETWORK_KINDS.has(kind)) {
    return networkTargets(request);
  }
  const { hosts, ports } = networkTargets(request);
  return {
    artifact: { ...request.artifact },
    ...(hosts.length > 0 ? { hosts } : {}),
    ...(ports.length > 0 ? { ports } : {}),
  };
}

/**
 * The identity of a job within its scan: kind and canonical input. Two jobs with one key are
 * the same work, so feedback never queues a job twice (which is what stops loops).
 */
export function jobKey(spec: Pick<JobSpec, 'kind' | 'input'>): string {
  return JSON.stringify([spec.kind, canonical(spec.input)]);
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(canonical).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}
