/**
 * @vigil/service-kit — the product host every Vigil service runs in ({@link startProduct}):
 * configuration, bus, database and migrations, the event outbox, API-key authentication before
 * the body is read, scope guards, bus handlers as Nest methods, query validation, the JSON
 * error shape, health, metrics and the start and stop order.
 */
export { ApiError } from './lib/api-error';
export { Auth, AuthGuard } from './lib/auth.guard';
export {
  runService,
  type Announce,
  type RunningService,
  type ServiceEntry,
} from './lib/run-service';
export {
  startProduct,
  type ProductApp,
  type ProductDefinition,
  type ProductHttpOptions,
} from './lib/product-app';
export type { ProductDatabase } from './lib/host/host-resources';
export { BUS, DATABASE, KEY_DIRECTORY, PRODUCT_CONFIG } from './lib/host/product-tokens';
export { ProductLog } from './lib/host/product-log';
export { ReadinessChecks, type ReadinessCheck } from './lib/host/readiness-checks';
export { BackgroundJobs } from './lib/host/background-jobs';
export { waitForPlatformStream } from './lib/host/stream-wait';
export { OnBusBatch, OnBusMessage, type FromConfig } from './lib/host/bus-handler.decorators';
export { QuerySchemaPipe, type QueryIssue } from './lib/query-schema.pipe';
export { OperatorKey } from './lib/operator-key';
export {
  EventOutbox,
  eventOutboxMigration,
  type EventOutboxOptions,
  type OutboxEvents,
} from './lib/event-outbox';
export { callerTenant, tenantCredential } from './lib/request-auth';
export {
  PlatformSchemasModule,
  type PlatformSchemasOptions,
} from './lib/schemas/platform-schemas.module';
