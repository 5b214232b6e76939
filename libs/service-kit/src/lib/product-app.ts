import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import type { CredentialVerifier } from '@vigil/tenants';
import { registerAuthentication } from './authentication.hook';
import { listeningUrl } from './listening-url';

/** The long-lived part of a product behind its HTTP side. */
export interface ProductRuntime {
  readonly verifier: CredentialVerifier;
  /** Called before the HTTP server closes: end what never ends on its own (event streams). */
  beforeHttpClose?(): void;
  /** Releases the runtime after the HTTP server closed. */
  close(): Promise<void>;
}

/** What a product's HTTP side needs: its runtime and module, its name, where to listen. */
export interface ProductAppOptions {
  readonly runtime: ProductRuntime;
  readonly module: DynamicModule;
  /** Shown in the OpenAPI document, e.g. `Vigil playbooks API`. */
  readonly title: string;
  readonly host: string;
  readonly port: number;
  /** Largest accepted request body (bytes); default 64 KiB. */
  readonly bodyLimit?: number;
}

/** A listening product app. */
export interface ProductApp {
  readonly url: string;
  /** Closes the HTTP side, then the runtime. */
  close(): Promise<void>;
}

/**
 * Starts a product's NestJS app on Fastify the way every product runs: tenant API-key
 * authentication, `/openapi.json`; the runtime is closed if the app cannot start, and after it
 * on shutdown. No Nest shutdown hooks: the process's signal
 * handling ({@link runService}) closes the app and then the product's runtime, in that order —
 * Nest's own hook would re-raise the signal and kill the process before the runtime drained.
 */
export async function startProductApp(options: ProductAppOptions): Promise<ProductApp> {
  const { runtime } = options;
  try {
    return await listen(options);
  } catch (error) {
    await runtime.close();
    throw error;
  }
}

async function listen(options: ProductAppOptions): Promise<ProductApp> {
  const { runtime } = options;
  const app = await NestFactory.create<NestFastifyApplication>(
    options.module,
    new FastifyAdapter({ bodyLimit: options.bodyLimit ?? 64 * 1024 }),
    { bufferLogs: true },
  );
  app.useLogger(app.get(Logger));
  registerAuthentication(app.getHttpAdapter().getInstance(), undefined, runtime.verifier);
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder().setTitle(options.title).setVersion('1').addBearerAuth().build(),
  );
  app.getHttpAdapter().get('/openapi.json', (_request, reply) => reply.send(document));
  await app.listen({ port: options.port, host: options.host });
  return {
    url: listeningUrl(app, options.host, options.port),
    close: async () => {
      runtime.beforeHttpClose?.();
      await app.close();
      await runtime.close();
    },
  };
}
