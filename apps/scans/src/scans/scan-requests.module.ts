import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module';
import { ScanRequestsService } from './scan-requests.service';
import { ScansController } from './scans.controller';

/** The scan request API. */
@Module({
  imports: [JobsModule],
  controllers: [ScansController],
  providers: [ScanRequestsService],
})
export class ScanRequestsModule {}
