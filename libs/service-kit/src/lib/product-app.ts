import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyInstance } from 'fastify';
import { Logger } from 'nestjs-pino';
import type { ProductBasics } from '@vigil/config';
import { registerAuthentication } from './authentication.hook';
import { ApiExceptionFilter } from './api-exception.filter';
import { BusTransport } from './host/bus-transport';
import { HostResources, type ProductDatabase } from './host/host-resources';
import { ProductHostModule } from './host/product-host.module';
import { listeningUrl } from './listening-url';
import type { OperatorKey } from './operator-key';
import type { Announce } from './run-service';

/** How a product's HTTP side differs from the default. */
export interface ProductHttpOptions {
  /** The Fastify adapter (body limit, proxies, server factory); default one with a 64 KiB body limit. */
  createAdapter?(): FastifyAdapter;
  /** Turn Nest's body parsers off (the product registers its own in `configure`). */
  readonly ownBodyParsing?: boolean;
  /** Called once the app exists (its providers built), before it listens: hooks, parsers. */
  configure?(fastify: FastifyInstance, app: NestFastifyApplication): void;
}

/** A product as the host starts it. */
export interface ProductDefinition {
  /** e.g. `scans` (see {@link HostResources}). */
  readonly name: string;
  /** Shown in the OpenAPI document, e.g. `Vigil scans API`. */
  readonly title: string;
  readonly description?: string;
  readonly config: ProductBasics;
  readonly database?: ProductDatabase;
  /** The product's feature modules. */
  readonly modules: ReadonlyArray<Type<unknown> | DynamicModule>;
  readonly http?: ProductHttpOptions;
  /** Accepted besides tenant keys on operator routes (ingestion only). */
  readonly operatorKey?: OperatorKey;
  readonly readinessNames?: { readonly bus?: string; readonly store?: string };
}

/** A listening product app. */
export interface ProductApp {
  readonly url: string;
  /** The Nest application (tests reach providers through it). */
  readonly app: NestFastifyApplication;
  /** Stops in order: HTTP and event streams, consumers, background jobs, then bus and database. */
  close(): Promise<void>;
}

/**
 * Starts a product the way every product runs. In order: its database and migrations, the bus,
 * the credential check (host resources); then its Nest modules (`onModuleInit` provisions,
 * `onApplicationBootstrap` starts loops); then its bus handlers' consumers; then HTTP, with
 * tenant API-key authentication before the body is read and `/openapi.json`. Closing runs this
 * backwards: Nest's hooks end event streams and background jobs, HTTP closes, consumers finish
 * what they hold, the outbox relay stops, the bus drains and the database closes. No Nest
 * shutdown hooks: the process's signal handling ({@link runService}) calls `close()` once.
 */
export async function startProduct(
  definition: ProductDefinition,
  announce: Announce,
): Promise<ProductApp> {
  const resources = await HostResources.open(definition, announce);
  let app: NestFastifyApplication | undefined;
  try {
    app = await createApp(definition, resources);
    await app.init();
    resources.start();
    await app.startAllMicroservices();
    const { host, port } = definition.config;
    await app.listen({ port, host });
    const started = app;
    return {
      url: listeningUrl(started, host, port),
      app: started,
      close: async () => {
        await started.close();
        await resources.close();
      },
    };
  } catch (error) {
    await app?.close().catch(() => undefined);
    await resources.close();
    throw error;
  }
}

async function createApp(
  definition: ProductDefinition,
  resources: HostResources,
): Promise<NestFastifyApplication> {
  const http = definition.http ?? {};
  const app = await NestFactory.create<NestFastifyApplication>(
    rootModule(definition, resources),
    http.createAdapter?.() ?? new FastifyAdapter({ bodyLimit: 64 * 1024 }),
    {
      bufferLogs: true,
      // A provider that cannot be built must fail the start, not abort the process.
      abortOnError: false,
      ...(http.ownBodyParsing ? { bodyParser: false } : {}),
    },
  );
  app.useLogger(app.get(Logger));
  // One filter for HTTP and the bus handlers, which inherit the app's (see ApiExceptionFilter).
  app.useGlobalFilters(new ApiExceptionFilter());
  app.connectMicroservice(
    {
      strategy: new BusTransport(
        resources.nc,
        definition.config,
        resources.log,
        resources.readiness,
      ),
    },
    { inheritAppConfig: true },
  );
  const fastify = app.getHttpAdapter().getInstance();
  http.configure?.(fastify, app);
  registerAuthentication(fastify, definition.operatorKey, resources.verifier);
  const document = SwaggerModule.createDocument(app, openApiInfo(definition));
  fastify.get('/openapi.json', (_request, reply) => reply.send(document));
  return app;
}

function rootModule(definition: ProductDefinition, resources: HostResources): DynamicModule {
  @Module({})
  class ProductRootModule {}
  return {
    module: ProductRootModule,
    imports: [ProductHostModule.forRoot(resources), ...definition.modules],
  };
}

function openApiInfo(definition: ProductDefinition): ReturnType<DocumentBuilder['build']> {
  const builder = new DocumentBuilder().setTitle(definition.title).setVersion('1');
  if (definition.description) {
    builder.setDescription(definition.description);
  }
  return (
    builder
      .addBearerAuth({
        type: 'http',
        scheme: 'bearer',
        description: definition.operatorKey
          ? 'A Vigil API key (vgl_…) or the operator key'
          : 'A Vigil API key (vgl_…)',
      })
      // Every operation needs a key unless it says otherwise (`security: []` on its operation).
      .addSecurityRequirements('bearer')
      .build()
  );
}
