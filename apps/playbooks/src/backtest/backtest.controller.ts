import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Auth, tenantCredential } from '@vigil/service-kit';
import { parseBacktestBody } from './backtest-request';
import { BacktestService } from './backtest.service';
import { streamBacktest } from './backtest-stream';

/** Playbooks run over archived signals: would-be detections, nothing stored or sent. */
@ApiTags('playbooks')
@Controller('v1/playbooks')
export class BacktestController {
  constructor(private readonly backtests: BacktestService) {}

  @Post('backtest')
  @HttpCode(200)
  @Auth('read')
  @ApiOperation({
    summary: 'Run a playbook over an archived window and report its would-be detections',
    description:
      'Body: {"playbook": {...} | "id": "...", "from": iso, "to": iso, "app"?: "..."}. A changed version of a saved playbook is compared with the saved one ("difference"). With Accept: application/x-ndjson, progress lines come first and the result last.',
  })
  async backtest(
    @Req() request: FastifyRequest,
    @Body() body: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { tenant } = tenantCredential(request);
    const authorization = request.headers.authorization ?? '';
    const prepared = await this.backtests.prepare(tenant, authorization, parseBacktestBody(body));
    if (!String(request.headers.accept ?? '').includes('application/x-ndjson')) {
      await reply.send(await this.backtests.run(prepared));
      return;
    }
    await streamBacktest(reply, prepared, this.backtests);
  }
}
