import { Controller } from '@nestjs/common';
import { PermanentFailure, type ReceivedMessage } from '@vigil/bus';
import { SCAN_EVENTS_STREAM } from '@vigil/scans';
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

  @OnBusMessage('scans-events', {
    stream: SCAN_EVENTS_STREAM,
    filterSubject: 'scans.events.>',
    maxDeliver: -1,
  })
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
