import { openSearchNames, signalsIndexTemplate } from '@vigil/insights';
import { Aspects, TerraformOutput, type Construct } from '../cdk';
import type { EnvironmentConfig } from '../config/infra-config';
import { PLATFORM_TEAM, type InfraPlan } from '../config/infra-plan';
import { ArchiveBucket } from '../constructs/archive-bucket';
import { JetStreamKvBucket, JetStreamProvider, JetStreamStream } from '../constructs/jetstream';
import { ProductTeam } from '../constructs/product-team';
import { SearchDomain } from '../constructs/search-domain';
import { OwnershipPolicy } from '../policy/ownership.policy';
import { VigilStack } from './vigil-stack';

/**
 * The platform team's stack: every JetStream stream and bucket the products declare (with the
 * environment's replicas), the archive bucket, the OpenSearch domain with the insights index
 * template and retention policy, and ingestion's own database, role and secrets.
 */
export class PlatformStack extends VigilStack {
  constructor(scope: Construct, plan: InfraPlan) {
    const environment: EnvironmentConfig = plan.environment;
    super(scope, PLATFORM_TEAM, environment);
    const jetStream = new JetStreamProvider(this, 'jetstream', {
      servers: environment.jetStream.servers,
      credentials: environment.jetStream.credentialsFile,
    });
    for (const team of [plan.platform, ...plan.teams]) {
      for (const product of team.products) {
        for (const stream of product.streams) {
          new JetStreamStream(this, jetStream, stream, {
            team: PLATFORM_TEAM,
            environment: environment.name,
            servesTeam: team.team,
          });
        }
        for (const bucket of product.buckets) {
          new JetStreamKvBucket(this, jetStream, bucket);
        }
      }
    }
    const archive = new ArchiveBucket(this, 'archive', {
      name: environment.archive.bucket,
      expirationDays: plan.archiveExpirationDays,
    });
    const names = openSearchNames(environment.openSearch.indexPrefix);
    const replicas = Math.min(1, environment.openSearch.instanceCount - 1);
    const search = new SearchDomain(this, 'search', {
      environment,
      indexTemplate: { name: names.signalsTemplate, body: signalsIndexTemplate(names, replicas) },
      signalsPattern: names.signalsPattern,
    });
    const team = new ProductTeam(this, 'ingestion', {
      team: PLATFORM_TEAM,
      products: plan.platform.products,
      environment,
    });
    Aspects.of(this).add(new OwnershipPolicy(PLATFORM_TEAM, team.roles, team.durables));
    new TerraformOutput(this, 'VIGIL_ARCHIVE_S3_BUCKET', { value: archive.bucket.bucket });
    new TerraformOutput(this, 'OPENSEARCH_URL', {
      value: `https://${search.domain.endpoint}`,
    });
  }
}
