import { Module } from '@nestjs/common';
import { PlaybooksModule } from '../playbooks/playbooks.module';
import { BacktestController } from './backtest.controller';
import { BacktestService } from './backtest.service';

/** Backtests of playbooks over the archive. */
@Module({
  imports: [PlaybooksModule],
  controllers: [BacktestController],
  providers: [BacktestService],
})
export class BacktestModule {}
