/**
 * @vigil/sdk — publish security signals to Vigil from any Node program: typed `publish()` for the
 * built-in signal types, batching, gzip, retries that honour `Retry-After`, a bounded queue with a
 * declared overflow policy, an optional on-disk spool, and counters. No framework dependency.
 * Agents follow security responses (blocks of IPs and users) with `client.responses.subscribe`.
 */
export { createClient, SignalRejectedError, VigilClient } from './lib/vigil-client';
export { DeliveryError } from './lib/batch-sender';
export { fetchValidator, type FetchValidatorOptions } from './lib/remote-validator';
export { HttpTransport } from './lib/http-transport';
export {
  ResponseSubscription,
  type ResponseChange,
  type SecurityResponse,
  type SubscribeOptions,
} from './lib/response-subscription';
export type {
  ClientCounters,
  ClientOptions,
  OverflowPolicy,
  PublishOptions,
  RejectedSignal,
  Transport,
  TransportResponse,
} from './lib/sdk.types';
