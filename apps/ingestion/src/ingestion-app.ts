import { createServer, type RequestListener } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { listeningUrl, registerAuthentication, type Announce } from '@vigil/service-kit';
import type { IngestionConfig } from './config/ingestion.config';
import { registerBodyParsing } from './http/body-parsing';
import { IngestionRuntime } from './platform/ingestion-runtime';

/** A running ingestion service. */
export interface IngestionApp {
  readonly app: NestFastifyApplication;
  readonly runtime: IngestionRuntime;
  /** Base URL it listens on, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  /** Stops accepting requests, lets in-flight ones finish, then releases NATS and the store. */
  close(): Promise<void>;
}

/** Builds and starts the ingestion service from a validated configuration. */
export async function startIngestion(
  config: IngestionConfig,
  announce: Announce,
): Promise<IngestionApp> {
  const runtime = await IngestionRuntime.start(config, announce);
  try {
    const app = await createApp(runtime);
    await app.listen({ port: config.port, host: config.host });
    return {
      app,
      runtime,
      url: listeningUrl(app, config.host, config.port),
      close: async () => {
        await app.close();
        await runtime.close();
      },
    };
  } catch (error) {
    await runtime.close();
    throw error;
  }
}

async function createApp(runtime: IngestionRuntime): Promise<NestFastifyApplication> {
  const { config } = runtime;
  const adapter = new FastifyAdapter({
    trustProxy: config.trustedProxies.length > 0 ? [...config.trustedProxies] : false,
    bodyLimit: config.limits.maxBodyBytes,
    // Slow clients: headers must arrive within headersMs and the whole request within requestMs.
    // Node checks these every connectionsCheckingInterval (30 s by default), so check often.
    serverFactory: (handler: RequestListener) =>
      createServer(
        {
          headersTimeout: config.timeouts.headersMs,
          requestTimeout: config.timeouts.requestMs,
          connectionsCheckingInterval: Math.min(1_000, config.timeouts.headersMs),
        },
        handler,
      ),
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRuntime(runtime),
    adapter,
    {
      bodyParser: false,
      bufferLogs: true,
    },
  );
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();
  registerBodyParsing(fastify, config.limits.maxAdminBodyBytes);
  registerAuthentication(fastify, runtime.operatorKey, runtime.verifier);
  fastify.addHook('onResponse', async (request, reply) => {
    if (request.routeOptions.url === '/v1/signals') {
      runtime.metrics.requests.inc({ status: String(reply.statusCode) });
    }
  });
  const document = buildOpenApi(app);
  fastify.get('/openapi.json', () => document);
  return app;
}

function buildOpenApi(app: NestFastifyApplication): OpenAPIObject {
  const info = new DocumentBuilder()
    .setTitle('Vigil ingestion API')
    .setDescription(
      'Publish security signals, read the schema registry, manage tenants and API keys.',
    )
    .setVersion('1')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      description: 'A Vigil API key (vgl_…) or the operator key',
    })
    .build();
  return SwaggerModule.createDocument(app, info);
}
