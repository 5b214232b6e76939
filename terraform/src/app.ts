import { App } from './cdk';
import { ENVIRONMENTS } from './config/environments';
import type { EnvironmentConfig } from './config/infra-config';
import { planInfra } from './config/infra-plan';
import { PlatformStack } from './stacks/platform.stack';
import { ProductTeamStack } from './stacks/product-team.stack';

/**
 * The cdktf app: for each environment the platform stack and one stack per product team, each
 * with its own state. Throws `InfraConfigError` naming team, resource and rule when an
 * environment's configuration breaks one.
 */
export function buildApp(
  environments: readonly EnvironmentConfig[] = Object.values(ENVIRONMENTS),
  outdir?: string,
): App {
  const app = new App({ outdir, skipValidation: false });
  for (const environment of environments) {
    const plan = planInfra(environment);
    new PlatformStack(app, plan);
    for (const team of plan.teams) {
      new ProductTeamStack(app, team, environment);
    }
  }
  return app;
}
