import { Controller } from '@nestjs/common';
import { JOB_EVENTS_CONSUMER, JOB_EVENTS_DURABLE } from '@vigil/topology';
import { PermanentFailure, type ReceivedMessage } from '@vigil/bus';
import { OnBusMessage } from '@vigil/service-kit';
import { SchemaRegistry, toValidationIssues, type ScanJobEventV1 } from '@vigil/signals';
import { JobLifecycleService } from './job-lifecycle.service';

/** Worker reports (`scans.events.>`); one that is not a scan-job event is dead-lettered. */
@Controller()
export class JobEventsHandler {
  private readonly schema;

  constructor(
    private readonly lifecycle: JobLifecycleService,
    registry: SchemaRegistry,
  ) {
    const schema = registry.get('document', 'scan-job-event', 1);
    if (!schema) {
      throw new Error('the scan-job-event schema (urn:vigil:document:scan-job-event:1) is missing');
    }
    this.schema = schema;
  }

  @OnBusMessage(JOB_EVENTS_DURABLE, JOB_EVENTS_CONSUMER)
  async onJobEvent(message: ReceivedMessage): Promise<void> {
    await this.lifecycle.report(this.read(message));
  }

  private read(message: ReceivedMessage): ScanJobEventV1 {
    let event: unknown;
    try {
      event = message.json();
    } catch {
      throw new PermanentFailure('the job event is not JSON');
    }
    if (!this.schema.validate(event)) {
      const [first] = toValidationIssues(this.schema.validate.errors ?? []);
      throw new PermanentFailure(`the message is not a scan-job event: ${first?.message ?? ''}`);
    }
    return event as ScanJobEventV1;
  }
}
