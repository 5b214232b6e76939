/**
 * Replicas of every stream, and overrides by stream (keyed by the name upper-cased with other
 * characters as `_`, as in `VIGIL_STREAM_REPLICAS_<STREAM>`); a plain number applies to all.
 */
export type StreamReplicas =
  number | { readonly default: number; readonly byStream?: Readonly<Record<string, number>> };

/** The replicas configured for one stream. */
export function replicasFor(stream: string, replicas: StreamReplicas | undefined): number {
  if (replicas === undefined || typeof replicas === 'number') {
    return replicas ?? 1;
  }
  return replicas.byStream?.[streamEnvName(stream)] ?? replicas.default;
}

/** A stream's name as it appears in `VIGIL_STREAM_REPLICAS_<STREAM>`. */
export function streamEnvName(stream: string): string {
  return stream.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}
