import { Readable } from 'node:stream';
import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ArchivedSignals } from '@vigil/archive';
import { Auth, tenantCredential } from '@vigil/service-kit';
import { ArchiveExportService } from './archive-export.service';
import { parseExportBody } from './export-request';

/** The caller's archived signals of a window, streamed as newline-delimited JSON. */
@ApiTags('archive')
@Controller('v1/archive')
export class ExportController {
  constructor(private readonly exports: ArchiveExportService) {}

  @Post('export')
  @HttpCode(200)
  @Auth('read')
  @ApiOperation({
    summary: "Stream your tenant's archived signals received in a window, in arrival order",
    description:
      'Body: {"from": iso, "to": iso, "types"?: [..], "app"?: "..."}. Answers application/x-ndjson, one signal record per line; x-vigil-signal-count gives the total first.',
  })
  async export(
    @Req() request: FastifyRequest,
    @Body() body: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const window = parseExportBody(body);
    const { signals, done } = await this.exports.open(tenantCredential(request).tenant, window);
    reply.raw.once('close', done);
    await reply
      .type('application/x-ndjson')
      .header('x-vigil-signal-count', String(signals.total))
      .header('x-vigil-skipped-files', String(signals.skippedFiles.length))
      .send(Readable.from(lines(signals)));
  }
}

async function* lines(signals: ArchivedSignals): AsyncIterable<string> {
  for await (const record of signals.records()) {
    yield `${JSON.stringify(record)}\n`;
  }
}
