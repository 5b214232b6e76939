import { Construct, OpensearchDomain } from '../cdk';
import type { EnvironmentConfig } from '../config/infra-config';
import { OpenSearchIndexTemplate, OpenSearchIsmPolicy, OpenSearchProvider } from './opensearch';

/** What the search domain serves: the insights adapter's own template and index names. */
export interface SearchDomainProps {
  readonly environment: EnvironmentConfig;
  readonly indexTemplate: {
    readonly name: string;
    readonly body: Readonly<Record<string, unknown>>;
  };
  readonly signalsPattern: string;
}

/** Months a monthly index outlives the newest signal it holds. */
const MONTH_DAYS = 31;

/**
 * The OpenSearch domain of insights (encrypted at rest and in transit, HTTPS only), the signal
 * indices' template from the insights adapter, and an ISM policy deleting a monthly index once
 * the longest `VIGIL_INSIGHTS_RETENTION` has passed for all of it — a backstop behind the
 * service's own per-type retention.
 */
export class SearchDomain extends Construct {
  readonly domain: OpensearchDomain;

  constructor(scope: Construct, id: string, props: SearchDomainProps) {
    super(scope, id);
    const search = props.environment.openSearch;
    this.domain = new OpensearchDomain(this, 'domain', {
      domainName: search.domain,
      engineVersion: search.engineVersion,
      clusterConfig: {
        instanceType: search.instanceType,
        instanceCount: search.instanceCount,
        zoneAwarenessEnabled: search.instanceCount > 1,
      },
      ebsOptions: { ebsEnabled: true, volumeSize: search.volumeGiB, volumeType: 'gp3' },
      encryptAtRest: { enabled: true },
      nodeToNodeEncryption: { enabled: true },
      domainEndpointOptions: {
        enforceHttps: true,
        tlsSecurityPolicy: 'Policy-Min-TLS-1-2-2019-07',
      },
    });
    const provider = new OpenSearchProvider(this, 'opensearch', {
      url: `https://${this.domain.endpoint}`,
      region: props.environment.region,
    });
    new OpenSearchIndexTemplate(this, 'signals-template', provider, props.indexTemplate);
    const keepDays = longestRetentionDays(search.retention) + MONTH_DAYS;
    new OpenSearchIsmPolicy(this, 'signals-retention', provider, {
      id: `${search.indexPrefix}-signals-retention`,
      body: {
        policy: {
          description: `Delete Vigil signal indices ${keepDays} days after creation (longest retention plus a month)`,
          default_state: 'hot',
          states: [
            {
              name: 'hot',
              actions: [],
              transitions: [
                { state_name: 'delete', conditions: { min_index_age: `${keepDays}d` } },
              ],
            },
            { name: 'delete', actions: [{ delete: {} }], transitions: [] },
          ],
          ism_template: [{ index_patterns: [props.signalsPattern], priority: 100 }],
        },
      },
    });
  }
}

function longestRetentionDays(retention: string): number {
  const days = retention
    .split(',')
    .map((rule) => /=(\d+)d$/.exec(rule.trim()))
    .map((match) => Number(match?.[1] ?? 0));
  return Math.max(30, ...days);
}
