import type { Construct } from '../cdk';
import { HandWrittenProvider, HandWrittenResource } from './typed-resource';

/** The opensearch-project/opensearch provider, pointed at the domain. */
export class OpenSearchProvider extends HandWrittenProvider {
  constructor(
    scope: Construct,
    id: string,
    config: { readonly url: string; readonly region: string },
  ) {
    super(
      scope,
      id,
      { type: 'opensearch', source: 'opensearch-project/opensearch', version: '~> 2.3' },
      { url: config.url, aws_region: config.region, healthcheck: false },
    );
  }
}

/** `opensearch_index_template`: a composable index template, its body as the REST API takes it. */
export class OpenSearchIndexTemplate extends HandWrittenResource<{
  readonly name: string;
  readonly body: string;
}> {
  constructor(
    scope: Construct,
    id: string,
    provider: OpenSearchProvider,
    template: { readonly name: string; readonly body: Readonly<Record<string, unknown>> },
  ) {
    super(scope, id, 'opensearch_index_template', provider, {
      name: template.name,
      body: JSON.stringify(template.body),
    });
  }
}

/** `opensearch_ism_policy`: an Index State Management policy. */
export class OpenSearchIsmPolicy extends HandWrittenResource<{
  readonly policy_id: string;
  readonly body: string;
}> {
  constructor(
    scope: Construct,
    id: string,
    provider: OpenSearchProvider,
    policy: { readonly id: string; readonly body: Readonly<Record<string, unknown>> },
  ) {
    super(scope, id, 'opensearch_ism_policy', provider, {
      policy_id: policy.id,
      body: JSON.stringify(policy.body),
    });
  }
}
