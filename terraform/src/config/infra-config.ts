import type { ProductDeclaration, TopologySettings } from '@vigil/topology';

/** The environments every team deploys to. */
export type EnvironmentName = 'dev' | 'staging' | 'prod';

/** A product team and the deployables it owns (names from `@vigil/topology`). */
export interface TeamConfig {
  readonly team: string;
  readonly products: readonly string[];
  /**
   * Declarations of products not (yet) in `@vigil/topology` — a new team's, while it builds
   * its service; they pass the same rules as the shipped ones.
   */
  readonly declarations?: readonly ProductDeclaration[];
}

/** Where a stack keeps its state: one S3 key per team and environment, one lock table. */
export interface StateBackendConfig {
  readonly bucket: string;
  readonly region: string;
  readonly dynamodbTable: string;
}

/** One environment: where things run, how big, and who owns what. */
export interface EnvironmentConfig {
  readonly name: EnvironmentName;
  readonly region: string;
  readonly state: StateBackendConfig;
  readonly jetStream: {
    /** `NATS_URL` of the services. */
    readonly servers: string;
    /** Servers in the JetStream cluster: no stream may ask for more replicas. */
    readonly clusterSize: number;
    /** Copies of every stream and bucket (`VIGIL_STREAM_REPLICAS`). */
    readonly replicas: number;
    /** The operator's credentials file the provider administers JetStream with. */
    readonly credentialsFile: string;
  };
  readonly archive: {
    /** `VIGIL_ARCHIVE_S3_BUCKET`. */
    readonly bucket: string;
    /** `VIGIL_ARCHIVE_RETENTION`, e.g. `*=365d,metric=7d`; empty keeps everything. */
    readonly retention: string;
  };
  readonly openSearch: {
    readonly domain: string;
    readonly engineVersion: string;
    readonly instanceType: string;
    readonly instanceCount: number;
    readonly volumeGiB: number;
    /** `VIGIL_OPENSEARCH_PREFIX` (index names). */
    readonly indexPrefix: string;
    /** `VIGIL_INSIGHTS_RETENTION`, the insights service's per-type retention. */
    readonly retention: string;
  };
  readonly postgres: {
    readonly host: string;
    readonly port: number;
    /** `VIGIL_DB_PREFIX`: databases and roles are `<prefix><product>`. */
    readonly prefix: string;
  };
  /** The product teams; the platform team owns ingestion and the shared resources. */
  readonly teams: readonly TeamConfig[];
  /** The services' settings the topology depends on (their defaults unless changed here). */
  readonly topology?: Partial<TopologySettings>;
}
