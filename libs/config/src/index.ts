/**
 * @vigil/config — typed, validated configuration from the environment (all problems listed at
 * once) and secrets kept in the data folder when the environment does not supply them.
 */
export {
  ConfigError,
  EnvParser,
  LOG_LEVELS,
  type LogLevel,
  type NatsCredentials,
  type NatsTls,
  type StreamReplicaSettings,
  type ProductBasics,
} from './lib/env-parser';
export { readOrCreateSecret, type DataDirSecret } from './lib/data-dir-secret';
export {
  LOCAL_NATS_USER,
  localNatsCredentials,
  localNatsPasswordFile,
  localNatsUrlFile,
  readLocalNatsAccess,
} from './lib/local-nats-credentials';
export { sourceLoaderArgs } from './lib/source-loader';
