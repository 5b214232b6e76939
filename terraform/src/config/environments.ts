import type { EnvironmentConfig, EnvironmentName, TeamConfig } from './infra-config';

/** Who owns what: the same teams in every environment. */
export const TEAMS: readonly TeamConfig[] = [
  { team: 'archive', products: ['archive'] },
  { team: 'playbooks', products: ['playbooks'] },
  { team: 'insights', products: ['insights'] },
  { team: 'scans', products: ['scans', 'scan-workers'] },
];

/** The insights service's default retention (`VIGIL_INSIGHTS_RETENTION`). */
const INSIGHTS_RETENTION = 'attack=90d,auth=30d,metric=7d,runtime=30d,finding=365d,response=90d';

function environment(
  name: EnvironmentName,
  size: { clusterSize: number; replicas: number; instances: number; instanceType: string },
): EnvironmentConfig {
  return {
    name,
    region: 'eu-west-1',
    state: {
      bucket: 'vigil-terraform-state',
      region: 'eu-west-1',
      dynamodbTable: 'vigil-terraform-locks',
    },
    jetStream: {
      servers: `nats://nats.${name}.vigil.internal:4222`,
      clusterSize: size.clusterSize,
      replicas: size.replicas,
      credentialsFile: `/etc/vigil/${name}/jetstream-admin.creds`,
    },
    archive: { bucket: `vigil-${name}-archive`, retention: '*=365d,metric=30d' },
    openSearch: {
      domain: `vigil-${name}`,
      engineVersion: 'OpenSearch_2.19',
      instanceType: size.instanceType,
      instanceCount: size.instances,
      volumeGiB: name === 'prod' ? 500 : 50,
      indexPrefix: 'vigil',
      retention: INSIGHTS_RETENTION,
    },
    postgres: { host: `postgres.${name}.vigil.internal`, port: 5432, prefix: 'vigil_' },
    teams: TEAMS,
  };
}

/** dev/staging/prod: dev mirrors the one-machine defaults (one replica), prod a 3-node cluster. */
export const ENVIRONMENTS: Readonly<Record<EnvironmentName, EnvironmentConfig>> = {
  dev: environment('dev', {
    clusterSize: 1,
    replicas: 1,
    instances: 1,
    instanceType: 't3.small.search',
  }),
  staging: environment('staging', {
    clusterSize: 3,
    replicas: 3,
    instances: 2,
    instanceType: 'm6g.large.search',
  }),
  prod: environment('prod', {
    clusterSize: 3,
    replicas: 3,
    instances: 3,
    instanceType: 'r6g.large.search',
  }),
};
