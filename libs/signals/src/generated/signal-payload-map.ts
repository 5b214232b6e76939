/* eslint-disable */
/**
 * GENERATED FILE — DO NOT EDIT.
 * Source: schemas/signals/*. Regenerate with `npm run codegen`; CI fails when this file drifts.
 */
import type { AttackV1 } from './attack-v1';
import type { AuthV1 } from './auth-v1';
import type { FindingV1 } from './finding-v1';
import type { HttpRequestV1 } from './http-request-v1';
import type { MetricV1 } from './metric-v1';
import type { ResponseV1 } from './response-v1';
import type { RiskV1 } from './risk-v1';
import type { RuntimeV1 } from './runtime-v1';
import type { ScanRequestedV1 } from './scan-requested-v1';

/** Payload type of every built-in signal type, by type and version. */
export interface SignalPayloadMap {
  'attack': { 1: AttackV1; };
  'auth': { 1: AuthV1; };
  'finding': { 1: FindingV1; };
  'http.request': { 1: HttpRequestV1; };
  'metric': { 1: MetricV1; };
  'response': { 1: ResponseV1; };
  'risk': { 1: RiskV1; };
  'runtime': { 1: RuntimeV1; };
  'scan.requested': { 1: ScanRequestedV1; };
}

/** The built-in signal types. */
export type BuiltInSignalType = keyof SignalPayloadMap;
