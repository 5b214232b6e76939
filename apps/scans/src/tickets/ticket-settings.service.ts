import { Inject, Injectable } from '@nestjs/common';
import { SecretBox, ticketUrlProblem } from '@vigil/scans';
import { ApiError, PRODUCT_CONFIG } from '@vigil/service-kit';
import type { ScansConfig } from '../config/scans.config';
import { TicketRepository, type DeliveryView } from '../store/ticket.repository';
import {
  ticketSettingsProblem,
  toSettingsView,
  toStoredSettings,
  type TicketSettingsInput,
  type TicketSettingsView,
} from './ticket-settings';

/** A tenant's ticket integration and its delivery log. */
@Injectable()
export class TicketSettingsService {
  constructor(
    private readonly tickets: TicketRepository,
    private readonly box: SecretBox,
    @Inject(PRODUCT_CONFIG) private readonly config: ScansConfig,
  ) {}

  /** Checks and stores the settings (the credential encrypted); refuses URLs into private networks unless allowed. */
  async save(tenant: string, body: unknown): Promise<TicketSettingsView> {
    const problem =
      ticketSettingsProblem(body) ??
      (await ticketUrlProblem(
        (body as { url: string }).url,
        this.config.tickets.networks,
        'refuse',
      ));
    if (problem) {
      throw new ApiError(400, 'invalid-request', problem);
    }
    await this.tickets.saveSettings(
      toStoredSettings(tenant, body as TicketSettingsInput, this.box),
    );
    return this.view(tenant);
  }

  /** The settings without their credential. */
  async view(tenant: string): Promise<TicketSettingsView> {
    const settings = await this.tickets.settings(tenant);
    if (!settings) {
      throw notConfigured();
    }
    return toSettingsView(settings);
  }

  async remove(tenant: string): Promise<void> {
    if (!(await this.tickets.deleteSettings(tenant))) {
      throw notConfigured();
    }
  }

  deliveries(
    tenant: string,
    state: DeliveryView['state'] | undefined,
    limit: number,
  ): Promise<DeliveryView[]> {
    return this.tickets.list(tenant, state, limit);
  }
}

function notConfigured(): ApiError {
  return new ApiError(404, 'not-found', 'no ticket integration is configured');
}
