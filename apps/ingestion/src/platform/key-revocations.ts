import { Inject, Injectable } from '@nestjs/common';
import { KeyChanges, type NatsConnection } from '@vigil/bus';
import { BUS } from '@vigil/service-kit';
import { CredentialVerifier } from '@vigil/tenants';

/** A key revoked here: this instance forgets it now, every other one on the bus's word. */
@Injectable()
export class KeyRevocations {
  constructor(
    private readonly verifier: CredentialVerifier,
    @Inject(BUS) private readonly nc: NatsConnection,
  ) {}

  revoked(keyId: string): void {
    this.verifier.invalidate(keyId);
    new KeyChanges(this.nc).announce(keyId);
  }
}
