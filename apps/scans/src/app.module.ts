import { Module } from '@nestjs/common';
import { FindingsModule } from './findings/findings.module';
import { JobsModule } from './jobs/jobs.module';
import { ScanRequestsModule } from './scans/scan-requests.module';
import { ScansStoreModule } from './store/scans-store.module';
import { TicketsModule } from './tickets/tickets.module';

/** The scans service: scan requests and jobs, tracked findings, ticket integrations. */
@Module({
  imports: [ScansStoreModule, ScanRequestsModule, JobsModule, FindingsModule, TicketsModule],
})
export class AppModule {}
