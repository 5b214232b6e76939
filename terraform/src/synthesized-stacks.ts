import { type App, Testing, type TerraformStack } from './cdk';
import { ENVIRONMENTS } from './config/environments';
import type { EnvironmentConfig } from './config/infra-config';
import { buildApp } from './app';

/** The synthesized Terraform JSON of one stack. */
export type StackJson = {
  terraform: { backend: { s3: Record<string, unknown> } };
  resource: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: unknown }>;
};

/** Every stack of the given environments, by name (`<team>-<environment>`), synthesized. */
export function synthAll(
  environments: readonly EnvironmentConfig[] = Object.values(ENVIRONMENTS),
): Map<string, StackJson> {
  const app: App = buildApp(environments, undefined);
  const stacks = app.node.children as TerraformStack[];
  return new Map(
    stacks.map((stack) => [stack.node.id, JSON.parse(Testing.synth(stack)) as StackJson]),
  );
}

/** The resources of one type in a synthesized stack, metadata removed. */
export function resourcesOf(stack: StackJson, type: string): Record<string, unknown>[] {
  return Object.values(stack.resource[type] ?? {}).map(({ '//': _meta, ...rest }) => rest);
}
