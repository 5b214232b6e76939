import {
  DefaultTokenResolver,
  StringConcat,
  TerraformResource,
  TerraformStack,
  Tokenization,
  type IConstruct,
} from '../cdk';

/** A resource as it will be synthesized: its type, its construct path and its attributes. */
export interface SynthesizedResource {
  readonly type: string;
  readonly path: string;
  readonly attributes: Readonly<Record<string, unknown>>;
}

/** The synthesized form of a construct (references resolved), or undefined when it is not a resource. */
export function synthesizedResource(node: IConstruct): SynthesizedResource | undefined {
  if (!TerraformResource.isTerraformResource(node)) {
    return undefined;
  }
  const resource = node as TerraformResource;
  const json = resolved(node, resource.toTerraform()) as {
    resource: Record<string, Record<string, Record<string, unknown>>>;
  };
  const byName = json.resource[resource.terraformResourceType] ?? {};
  const attributes = Object.values(byName)[0] ?? {};
  return { type: resource.terraformResourceType, path: node.node.path, attributes };
}

/** A value with its references (`${aws_s3_bucket.x.id}`) written out as Terraform will see them. */
export function resolved(node: IConstruct, value: unknown): unknown {
  return Tokenization.resolve(value, {
    scope: TerraformStack.of(node),
    preparing: false,
    resolver: new DefaultTokenResolver(new StringConcat()),
  });
}
