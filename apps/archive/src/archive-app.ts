import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { listeningUrl, registerAuthentication } from '@vigil/service-kit';
import { AppModule } from './app.module';
import { ArchiveRuntime, type Announce } from './archive-runtime';
import type { ArchiveConfig } from './config/archive.config';

/** A running archive service. */
export interface ArchiveApp {
  readonly runtime: ArchiveRuntime;
  readonly url: string;
  close(): Promise<void>;
}

/** Builds and starts the archive service from a validated configuration. */
export async function startArchive(config: ArchiveConfig, announce: Announce): Promise<ArchiveApp> {
  const runtime = await ArchiveRuntime.start(config, announce);
  try {
    const app = await NestFactory.create<NestFastifyApplication>(
      AppModule.forRuntime(runtime),
      new FastifyAdapter({ bodyLimit: 64 * 1024 }),
      { bufferLogs: true },
    );
    app.useLogger(app.get(Logger));
    registerAuthentication(app.getHttpAdapter().getInstance(), undefined, runtime.verifier);
    const document = SwaggerModule.createDocument(
      app,
      new DocumentBuilder().setTitle('Vigil archive API').setVersion('1').addBearerAuth().build(),
    );
    app.getHttpAdapter().get('/openapi.json', (_request, reply) => reply.send(document));
    app.enableShutdownHooks();
    await app.listen({ port: config.port, host: config.host });
    return {
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
