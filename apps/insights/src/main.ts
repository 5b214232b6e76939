import 'reflect-metadata';
import { runService } from '@vigil/service-kit';
import { loadInsightsConfig } from './config/insights.config';
import { startInsights } from './insights-app';

/** Entry point: `npx nx serve insights`. */
runService('insights', (log) => startInsights(loadInsightsConfig(process.env), log));
