import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { JobFailure } from '@vigil/scans';

/**
 * The networks network scans may reach. A scan request names hosts; without this policy a
 * tenant could make the platform probe its own internal network. Default: loopback only.
 */
export class TargetPolicy {
  private readonly allowed = new BlockList();

  /** `cidrs`: e.g. `['127.0.0.0/8', '::1/128', '10.20.0.0/16']`; throws on a malformed entry. */
  constructor(readonly cidrs: readonly string[]) {
    for (const cidr of cidrs) {
      const [address, prefix] = cidr.split('/');
      const family = isIP(address ?? '');
      if (!address || family === 0) {
        throw new Error(`"${cidr}" is not an IP address or CIDR range`);
      }
      const type = family === 6 ? 'ipv6' : 'ipv4';
      if (prefix === undefined) {
        this.allowed.addAddress(address, type);
      } else {
        this.allowed.addSubnet(address, Number(prefix), type);
      }
    }
  }

  /** The address to connect to for `host`; a `JobFailure` when it resolves outside the allowed networks. */
  async resolve(host: string): Promise<string> {
    const address = isIP(host)
      ? host
      : await lookup(host).then(
          (answer) => answer.address,
          () => {
            throw new JobFailure(`the host "${host}" does not resolve`);
          },
        );
    if (this.cidrs.length === 0) {
      throw new JobFailure(
        `this worker may scan no network: its operator lists the networks tenants may probe in VIGIL_SCANS_ALLOWED_NETWORKS (none by default)`,
      );
    }
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (!this.allowed.check(address, type)) {
      throw new JobFailure(
        `the host "${host}" (${address}) is outside the networks this worker may scan (${this.cidrs.join(', ')})`,
      );
    }
    return address;
  }
}
