/**
 * What other projects may use of the stacks: the environments and the synthesized JSON of each
 * stack — the distributed e2e compares it with what the running services provisioned.
 */
export { ENVIRONMENTS } from './config/environments';
export type { EnvironmentConfig } from './config/infra-config';
export { resourcesOf, synthAll, type StackJson } from './synthesized-stacks';
