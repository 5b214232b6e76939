import {
  durableConsumer,
  signalsStream,
  SIGNALS_STREAM_DEFAULTS,
  type ProductDeclaration,
} from '@vigil/topology';
import { Aspects, S3Bucket, Testing, TerraformStack } from './cdk';
import { ENVIRONMENTS } from './config/environments';
import type { EnvironmentConfig } from './config/infra-config';
import { InfraConfigError, planInfra } from './config/infra-plan';
import { NoPublicBucketPolicy } from './policy/no-public-bucket.policy';
import { OwnershipPolicy } from './policy/ownership.policy';
import { TaggingPolicy } from './policy/tagging.policy';
import { buildApp } from './app';
import { ProductTeam } from './constructs/product-team';

/** The dev environment with some settings changed. */
const devWith = (change: (dev: EnvironmentConfig) => EnvironmentConfig) => change(ENVIRONMENTS.dev);

const refusal = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InfraConfigError);
    return (error as Error).message;
  }
  throw new Error('the configuration was accepted');
};

const riskTeam = {
  team: 'risks',
  products: ['risks'],
};
const risks: ProductDeclaration = {
  name: 'risks',
  databaseVariable: 'VIGIL_RISKS_DATABASE_URL',
  streams: [],
  consumers: [durableConsumer({ durable: 'risks', filterSubject: 'signals.*.runtime' })],
  buckets: [],
  readsStreams: ['SIGNALS'],
  followsBuckets: [],
  publishes: [],
  listens: [],
};

/** The dev environment with a risks team whose product declares `declaration`'s changes. */
const withRisks = (declaration: Partial<ProductDeclaration>) =>
  devWith((dev) => ({
    ...dev,
    teams: [...dev.teams, { ...riskTeam, declarations: [{ ...risks, ...declaration }] }],
  }));

describe('bad infrastructure configuration fails synth, naming team, resource and rule', () => {
  it('refuses a team naming an unknown product', () => {
    const message = refusal(() =>
      planInfra(
        devWith((dev) => ({
          ...dev,
          teams: [...dev.teams, { team: 'fraud', products: ['frauds'] }],
        })),
      ),
    );
    expect(message).toContain('team fraud: product "frauds" is unknown (rule: known-product');
  });

  it('refuses a stream name another team already declares', () => {
    const message = refusal(() =>
      planInfra(withRisks({ streams: [signalsStream(SIGNALS_STREAM_DEFAULTS)] })),
    );
    expect(message).toContain(
      'team risks: stream SIGNALS is also declared by team platform (rule: unique-stream)',
    );
  });

  it('refuses a consumer on subjects its team does not own', () => {
    const message = refusal(() =>
      planInfra(
        withRisks({
          consumers: [
            durableConsumer({
              durable: 'risks',
              stream: 'SCANJOBS',
              filterSubject: 'scans.jobs.>',
            }),
            durableConsumer({
              durable: 'risks',
              stream: 'REPLAY',
              filterSubject: 'replay.scans.>',
            }),
          ],
        }),
      ),
    );
    expect(message).toContain(
      'team risks: consumer risks on SCANJOBS filters "scans.jobs.>", subjects team risks does not own (rule: own-subjects)',
    );
    expect(message).toContain('consumer risks on REPLAY filters "replay.scans.>"');
  });

  it('accepts a new team that reads the shared signals and owns its database', () => {
    const plan = planInfra(withRisks({}));
    expect(plan.teams.map((t) => t.team)).toContain('risks');
  });

  it('refuses replicas above the cluster size', () => {
    const message = refusal(() =>
      planInfra(devWith((dev) => ({ ...dev, jetStream: { ...dev.jetStream, replicas: 3 } }))),
    );
    expect(message).toContain(
      'team platform: stream SIGNALS asks for 3 replicas but the dev JetStream cluster has 1 servers (rule: replicas-within-cluster)',
    );
    expect(message).toContain('team playbooks: stream PLAYBOOKS asks for 3 replicas');
  });

  it('refuses an archive retention shorter than the archive minimum, and bad syntax', () => {
    const message = refusal(() =>
      planInfra(
        devWith((dev) => ({
          ...dev,
          archive: { ...dev.archive, retention: '*=365d,metric=12h,attack' },
        })),
      ),
    );
    expect(message).toContain(
      "team platform: archive bucket vigil-dev-archive: retention rule metric=12h is shorter than the archive's minimum of 1 day (rule: archive-retention-minimum)",
    );
    expect(message).toContain('"attack" is not <tenant>/<type>=<duration>');
  });

  it('refuses a product owned by two teams', () => {
    const message = refusal(() =>
      buildApp([
        devWith((dev) => ({
          ...dev,
          teams: [...dev.teams, { team: 'other', products: ['insights'] }],
        })),
      ]),
    );
    expect(message).toContain(
      'team other: product insights is already owned by team insights (rule: one-owner)',
    );
  });
});

describe('policies every stack passes (cdktf Aspects)', () => {
  const stackWith = (build: (stack: TerraformStack) => void, ...aspects: object[]) => {
    const stack = new TerraformStack(Testing.app(), 'policy-test');
    build(stack);
    for (const aspect of aspects) {
      Aspects.of(stack).add(aspect as never);
    }
    return () => Testing.synth(stack);
  };

  it('refuses a bucket without a full public access block', () => {
    const synth = stackWith(
      (stack) =>
        new S3Bucket(stack, 'open', { bucket: 'open', tags: { team: 'x', environment: 'dev' } }),
      new NoPublicBucketPolicy('x'),
    );
    expect(synth).toThrow(
      'team x: bucket policy-test/open has no public access block with every setting on (rule: no-public-bucket)',
    );
  });

  it('refuses a resource without team and environment labels', () => {
    const synth = stackWith(
      (stack) => new S3Bucket(stack, 'untagged', { bucket: 'untagged' }),
      new TaggingPolicy({ team: 'x', environment: 'dev' }, {}),
    );
    expect(synth).toThrow(
      'team x: aws_s3_bucket at policy-test/untagged is not labelled team=x (rule: team-and-environment-labels)',
    );
  });

  it('refuses a stack that grants another team’s database or consumer', () => {
    const plan = planInfra(ENVIRONMENTS.dev);
    const playbooks = plan.teams.find((t) => t.team === 'playbooks');
    const synth = stackWith(
      (stack) =>
        new ProductTeam(stack, 'team', {
          team: 'playbooks',
          products: playbooks?.products ?? [],
          environment: ENVIRONMENTS.dev,
        }),
      new OwnershipPolicy('scans', ['vigil_scans'], ['SIGNALS/scans']),
    );
    expect(synth).toThrow(
      /team scans: policy-test\/team\/.+ — another team's \(rule: own-resources-only\)/,
    );
  });
});
