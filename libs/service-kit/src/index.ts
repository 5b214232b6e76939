/**
 * @vigil/service-kit — what every Vigil HTTP service shares: API-key authentication before the
 * body is read, scope guards, the operator key check and the JSON error shape.
 */
export { ApiError } from './lib/api-error';
export { ApiExceptionFilter } from './lib/api-exception.filter';
export { Auth, AuthGuard } from './lib/auth.guard';
export { registerAuthentication } from './lib/authentication.hook';
export { HealthController, SERVICE_HEALTH, type ServiceHealth } from './lib/health.controller';
export { listeningUrl } from './lib/listening-url';
export {
  runService,
  type Announce,
  type RunningService,
  type ServiceEntry,
} from './lib/run-service';
export { ServiceKitModule, type ProductRuntimeHealth } from './lib/service-kit.module';
export {
  startProductApp,
  type ProductApp,
  type ProductAppOptions,
  type ProductRuntime,
} from './lib/product-app';
export { OperatorKey } from './lib/operator-key';
export { keyFollowingVerifier } from './lib/key-following-verifier';
export {
  EventOutbox,
  eventOutboxMigration,
  type EventOutboxOptions,
  type OutboxEvents,
} from './lib/event-outbox';
export {
  getRequestAuth,
  setRequestAuth,
  tenantCredential,
  type RequestAuth,
} from './lib/request-auth';
