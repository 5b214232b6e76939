/**
 * @vigil/testing — helpers that give each integration test file its own real services:
 * a private nats-server with JetStream and a private PostgreSQL database.
 */
export { startNatsServer, type NatsServerOptions, type TestNatsServer } from './lib/nats-server';
export { startNatsCluster, type TestNatsCluster } from './lib/nats-cluster';
export {
  createTestDatabase,
  type TestDatabase,
  type TestDatabaseOptions,
} from './lib/postgres-database';
export { freePort } from './lib/free-port';
export { startService, type ServiceProcess } from './lib/service-process';
export { eventually } from './lib/eventually';
export { createTenant, issueApiKey } from './lib/platform-api';
export { cpuSeconds } from './lib/process-cpu';
export { TEST_SIGNAL_STREAMS } from './lib/stream-limits';
export {
  openSearchUnavailable,
  startOpenSearch,
  type OpenSearchOptions,
  type TestOpenSearch,
} from './lib/opensearch-node';
