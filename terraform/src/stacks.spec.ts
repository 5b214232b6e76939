import {
  durableConsumer,
  natsPermissions,
  productDeclarations,
  SIGNALS_STREAM,
  type ProductDeclaration,
} from '@vigil/topology';
import { ENVIRONMENTS } from './config/environments';
import { resourcesOf, synthAll } from './synthesized-stacks';

const stacks = synthAll();
const stack = (name: string) => {
  const found = stacks.get(name);
  if (!found) {
    throw new Error(`no stack ${name}; have ${[...stacks.keys()].join(', ')}`);
  }
  return found;
};

describe('the cdktf app (synthesized with cdktf Testing)', () => {
  it('has a platform stack and a stack per product team in every environment, each with its own state', () => {
    const teams = ['platform', 'archive', 'playbooks', 'insights', 'scans'];
    const expected = Object.keys(ENVIRONMENTS).flatMap((env) => teams.map((t) => `${t}-${env}`));
    expect([...stacks.keys()].sort()).toEqual(expected.sort());
    const keys = [...stacks.values()].map((s) => s.terraform.backend.s3['key']);
    expect(new Set(keys).size).toBe(keys.length);
    expect(stack('scans-prod').terraform.backend.s3).toMatchObject({
      key: 'prod/scans.tfstate',
      encrypt: true,
      dynamodb_table: 'vigil-terraform-locks',
    });
  });

  it('declares the SIGNALS stream as ingestion provisions it, with the replicas of each environment', () => {
    for (const [env, replicas] of [
      ['dev', 1],
      ['staging', 3],
      ['prod', 3],
    ] as const) {
      const signals = resourcesOf(stack(`platform-${env}`), 'jetstream_stream').find(
        (s) => s['name'] === SIGNALS_STREAM,
      );
      expect(signals).toMatchObject({
        subjects: ['signals.>'],
        storage: 'file',
        retention: 'limits',
        discard: 'new',
        duplicate_window: 600,
        max_age: 7 * 24 * 3600,
        replicas,
        metadata: { team: 'platform', environment: env },
      });
    }
    const names = resourcesOf(stack('platform-prod'), 'jetstream_stream').map((s) => s['name']);
    expect(names.sort()).toEqual(
      ['DEADLETTER', 'PLAYBOOKS', 'REPLAY', 'SCANEVENTS', 'SCANJOBS', 'SIGNALS'].sort(),
    );
    expect(resourcesOf(stack('platform-prod'), 'jetstream_kv_bucket')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'VIGIL_SCHEMAS', history: 5, replicas: 3 }),
        expect.objectContaining({ name: 'vigil-playbooks-partitions', history: 1, ttl: 6 }),
      ]),
    );
  });

  it('gives each team its consumers with their delivery limits', () => {
    const scans = resourcesOf(stack('scans-dev'), 'jetstream_consumer');
    expect(scans).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          stream_id: 'SCANJOBS',
          durable_name: 'scan-workers-dependencies',
          filter_subject: 'scans.jobs.dependencies',
          max_delivery: 3,
          ack_wait: 30,
        }),
        expect.objectContaining({
          stream_id: 'SIGNALS',
          durable_name: 'scans',
          filter_subject: 'signals.*.finding',
          max_delivery: -1,
        }),
      ]),
    );
    const insights = resourcesOf(stack('insights-dev'), 'jetstream_consumer');
    expect(insights).toEqual([
      expect.objectContaining({
        durable_name: 'insights',
        ack_wait: 61,
        max_ack_pending: 1000,
        max_delivery: -1,
        deliver_all: true,
        ack_policy: 'explicit',
      }),
    ]);
    expect(resourcesOf(stack('archive-dev'), 'jetstream_consumer')).toEqual([
      expect.objectContaining({ durable_name: 'archiver', max_ack_pending: 100_000 }),
    ]);
  });

  it('keeps the archive bucket versioned, encrypted, private and expiring with the archive retention', () => {
    const platform = stack('platform-prod');
    expect(resourcesOf(platform, 'aws_s3_bucket')).toEqual([
      expect.objectContaining({ bucket: 'vigil-prod-archive', force_destroy: false }),
    ]);
    expect(resourcesOf(platform, 'aws_s3_bucket_versioning')[0]).toMatchObject({
      versioning_configuration: { status: 'Enabled' },
    });
    expect(
      resourcesOf(platform, 'aws_s3_bucket_server_side_encryption_configuration')[0],
    ).toMatchObject({
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms' } }],
    });
    expect(resourcesOf(platform, 'aws_s3_bucket_public_access_block')[0]).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(resourcesOf(platform, 'aws_s3_bucket_lifecycle_configuration')[0]).toMatchObject({
      rule: [expect.objectContaining({ status: 'Enabled', expiration: [{ days: 365 }] })],
    });
  });

  it('serves insights from an encrypted domain with the adapter’s strict template and a retention policy', () => {
    const platform = stack('platform-prod');
    expect(resourcesOf(platform, 'aws_opensearch_domain')[0]).toMatchObject({
      domain_name: 'vigil-prod',
      encrypt_at_rest: { enabled: true },
      node_to_node_encryption: { enabled: true },
      domain_endpoint_options: { enforce_https: true },
    });
    const template = resourcesOf(platform, 'opensearch_index_template')[0] as { body: string };
    const body = JSON.parse(template.body) as {
      index_patterns: string[];
      template: { mappings: { dynamic: string } };
    };
    expect(body.index_patterns).toEqual(['vigil-signals-*']);
    expect(body.template.mappings.dynamic).toBe('strict');
    const ism = JSON.parse(
      (resourcesOf(platform, 'opensearch_ism_policy')[0] as { body: string }).body,
    );
    expect(ism.policy.states[0].transitions[0].conditions.min_index_age).toBe('396d');
  });

  it('gives each product with a database a login role owning only that database, PUBLIC revoked', () => {
    const playbooks = stack('playbooks-prod');
    expect(resourcesOf(playbooks, 'postgresql_role')[0]).toMatchObject({
      name: 'vigil_playbooks',
      login: true,
      superuser: false,
      create_database: false,
      create_role: false,
    });
    expect(resourcesOf(playbooks, 'postgresql_database')[0]).toMatchObject({
      name: 'vigil_playbooks',
      owner: expect.stringMatching(/^\$\{postgresql_role\..+\.name\}$/),
    });
    expect(resourcesOf(playbooks, 'postgresql_grant')[0]).toMatchObject({
      role: 'public',
      object_type: 'database',
      privileges: [],
    });
    expect(resourcesOf(stack('platform-dev'), 'postgresql_database')[0]).toMatchObject({
      name: 'vigil_platform',
    });
    expect(resourcesOf(stack('archive-dev'), 'postgresql_database')).toEqual([]);
  });

  it('keeps each product’s secrets in Secrets Manager and outputs its NATS permissions', () => {
    const scans = stack('scans-staging');
    const names = resourcesOf(scans, 'aws_secretsmanager_secret').map((s) => s['name']);
    expect(names.sort()).toEqual(
      [
        'vigil/staging/scans/database-password',
        'vigil/staging/scans/nats-password',
        'vigil/staging/scan-workers/nats-password',
      ].sort(),
    );
    const output = Object.entries(scans.output ?? {}).find(([name]) =>
      name.includes('scan-workers-nats-permissions'),
    );
    const permissions = JSON.parse(String(output?.[1].value)) as { publish: string[] };
    expect(permissions.publish).toContain('scans.events.>');
    expect(permissions.publish).not.toContain('signals.>');
    expect(permissions.publish).toContain(
      '$JS.API.CONSUMER.MSG.NEXT.SCANJOBS.scan-workers-dependencies',
    );
  });
});

describe('NATS permissions derived from the declarations', () => {
  const declarations = new Map(productDeclarations().map((p) => [p.name, p]));
  const of = (name: string) => natsPermissions(declarations.get(name) as ProductDeclaration);

  it('lets only ingestion publish signals and answer the key directory', () => {
    expect(of('ingestion').publish).toContain('signals.>');
    expect(of('ingestion').allowResponses).toBe(true);
    for (const name of ['archive', 'insights', 'scans', 'scan-workers']) {
      expect(of(name).publish).not.toContain('signals.>');
      expect(of(name).allowResponses).toBe(false);
    }
    expect(of('playbooks').publish).toContain('signals.*.response');
  });

  it('lets a product pull and ack only its own consumers, and create only its own streams', () => {
    const insights = of('insights');
    expect(insights.publish).toContain('$JS.API.CONSUMER.MSG.NEXT.SIGNALS.insights');
    expect(insights.publish).toContain('$JS.ACK.SIGNALS.insights.>');
    expect(insights.publish.some((s) => s.includes('archiver'))).toBe(false);
    expect(insights.publish.some((s) => s.startsWith('$JS.API.STREAM.CREATE'))).toBe(false);
    expect(of('playbooks').publish).toContain('$JS.API.STREAM.CREATE.PLAYBOOKS');
    expect(of('playbooks').publish).not.toContain('$JS.API.STREAM.CREATE.SIGNALS');
    expect(of('ingestion').publish).toContain('$KV.VIGIL_SCHEMAS.>');
    expect(of('scans').publish.some((s) => s.startsWith('$KV.VIGIL_SCHEMAS'))).toBe(false);
  });

  it('builds consumer definitions the way the runtime provisioner applies them', () => {
    expect(durableConsumer({ durable: 'x' })).toEqual({
      stream: 'SIGNALS',
      config: {
        durable_name: 'x',
        ack_policy: 'explicit',
        deliver_policy: 'all',
        filter_subject: 'signals.>',
        max_deliver: 5,
        ack_wait: 30_000_000_000,
        max_ack_pending: 1_000,
      },
    });
  });
});
