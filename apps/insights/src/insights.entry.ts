import type { ServiceEntry } from '@vigil/service-kit';
import { loadInsightsConfig } from './config/insights.config';
import { startInsights } from './insights-app';

/** The insights service, as `main.ts` and the one-command launcher start it. */
export const entry: ServiceEntry = {
  name: 'insights',
  start: (env, log) => startInsights(loadInsightsConfig(env), log),
};
