import { createServer, type RequestListener } from 'node:http';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { readOrCreateSecret } from '@vigil/config';
import {
  OperatorKey,
  startProduct,
  type Announce,
  type ProductApp,
  type ProductHttpOptions,
} from '@vigil/service-kit';
import { TENANT_MIGRATIONS } from '@vigil/tenants';
import { AppModule } from './app.module';
import { dataDirFile, type IngestionConfig } from './config/ingestion.config';
import { registerBodyParsing } from './http/body-parsing';
import { IngestMetrics } from './metrics/ingest-metrics';

/** A running ingestion service. */
export type IngestionApp = ProductApp;

/** Builds and starts the ingestion service from a validated configuration. */
export async function startIngestion(
  config: IngestionConfig,
  announce: Announce,
): Promise<IngestionApp> {
  return startProduct(
    {
      name: 'ingestion',
      title: 'Vigil ingestion API',
      description:
        'Publish security signals, read the schema registry, manage tenants and API keys.',
      config,
      database: {
        url: config.platformDatabaseUrl,
        component: 'platform',
        migrations: TENANT_MIGRATIONS,
        variable: 'VIGIL_PLATFORM_DATABASE_URL',
        holdsPlatformKeys: true,
      },
      modules: [AppModule],
      http: httpOptions(config),
      operatorKey: new OperatorKey(resolveOperatorKey(config, announce)),
      readinessNames: { bus: 'nats' },
    },
    announce,
  );
}

function httpOptions(config: IngestionConfig): ProductHttpOptions {
  return {
    createAdapter: () =>
      new FastifyAdapter({
        trustProxy: config.trustedProxies.length > 0 ? [...config.trustedProxies] : false,
        bodyLimit: config.limits.maxBodyBytes,
        // Slow clients: headers must arrive within headersMs and the whole request within
        // requestMs. Node checks these every connectionsCheckingInterval (30 s by default).
        serverFactory: (handler: RequestListener) =>
          createServer(
            {
              headersTimeout: config.timeouts.headersMs,
              requestTimeout: config.timeouts.requestMs,
              connectionsCheckingInterval: Math.min(1_000, config.timeouts.headersMs),
            },
            handler,
          ),
      }),
    ownBodyParsing: true,
    configure: (fastify, app) => {
      registerBodyParsing(fastify, config.limits.maxAdminBodyBytes, {
        '/v1/schemas': config.limits.maxSchemaBodyBytes,
      });
      const metrics = app.get(IngestMetrics);
      fastify.addHook('onResponse', async (request, reply) => {
        if (request.routeOptions.url === '/v1/signals') {
          metrics.requests.inc({ status: String(reply.statusCode) });
        }
      });
    },
  };
}

function resolveOperatorKey(config: IngestionConfig, announce: Announce): string {
  if (config.adminKey) {
    return config.adminKey;
  }
  const path = dataDirFile(config, 'operator.key');
  const secret = readOrCreateSecret(path, 'vop_');
  if (secret.generated) {
    announce(
      `Generated the operator key (shown once; also saved to ${path} for the CLI): ${secret.value}`,
    );
  }
  return secret.value;
}
