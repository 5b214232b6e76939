import { Module } from '@nestjs/common';
import { AllowlistController } from './allowlist.controller';

/** The tenant's allowlist: IPs and users that never get a response. */
@Module({ controllers: [AllowlistController] })
export class AllowlistModule {}
