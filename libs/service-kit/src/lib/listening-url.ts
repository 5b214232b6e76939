import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** Base URL of a listening app, with the port actually bound (port 0 picks a free one). */
export function listeningUrl(
  app: NestFastifyApplication,
  host: string,
  configuredPort: number,
): string {
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : configuredPort;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
