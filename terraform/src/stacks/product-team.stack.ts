import { Aspects, type Construct } from '../cdk';
import type { EnvironmentConfig } from '../config/infra-config';
import type { TeamPlan } from '../config/infra-plan';
import { ProductTeam } from '../constructs/product-team';
import { OwnershipPolicy } from '../policy/ownership.policy';
import { VigilStack } from './vigil-stack';

/** One product team's stack in one environment: see {@link ProductTeam}. */
export class ProductTeamStack extends VigilStack {
  constructor(scope: Construct, plan: TeamPlan, environment: EnvironmentConfig) {
    super(scope, plan.team, environment);
    const team = new ProductTeam(this, 'team', {
      team: plan.team,
      products: plan.products,
      environment,
    });
    Aspects.of(this).add(new OwnershipPolicy(plan.team, team.roles, team.durables));
  }
}
