import { Module } from '@nestjs/common';
import { SchemasController } from './schemas.controller';

/** The schema registry, read-only, for producers. */
@Module({ controllers: [SchemasController] })
export class SchemasModule {}
