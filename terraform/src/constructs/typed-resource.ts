import { TerraformProvider, TerraformResource, type Construct } from '../cdk';

/** A provider binding cdktf could not generate here (`cdktf get` needs the network). */
export class HandWrittenProvider extends TerraformProvider {
  constructor(
    scope: Construct,
    id: string,
    source: { readonly type: string; readonly source: string; readonly version: string },
    private readonly attributes: Readonly<Record<string, unknown>>,
  ) {
    super(scope, id, {
      terraformResourceType: source.type,
      terraformProviderSource: source.source,
      terraformGeneratorMetadata: { providerName: source.type, providerVersion: source.version },
    });
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return { ...this.attributes };
  }
}

/**
 * A resource of a hand-written binding: typed by its subclass, synthesized as given (attribute
 * names as the provider's schema spells them).
 */
export abstract class HandWrittenResource<
  Attributes extends Readonly<Record<string, unknown>>,
> extends TerraformResource {
  protected constructor(
    scope: Construct,
    id: string,
    resourceType: string,
    provider: TerraformProvider,
    readonly attributes: Attributes,
  ) {
    super(scope, id, { terraformResourceType: resourceType, provider });
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return { ...this.attributes };
  }
}
