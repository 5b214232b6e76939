import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** Where ticket integrations may call: public addresses only (default), or anywhere. */
export type TicketNetworks = 'public' | 'any';

const PRIVATE = new BlockList();
for (const [address, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const) {
  PRIVATE.addSubnet(address, prefix, 'ipv4');
}
for (const [address, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
] as const) {
  PRIVATE.addSubnet(address, prefix, 'ipv6');
}

/** True for loopback, private, link-local (cloud metadata) and unspecified addresses. */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  const plain = mapped ?? address;
  return PRIVATE.check(plain, isIP(plain) === 6 ? 'ipv6' : 'ipv4');
}

/**
 * Why a tenant's ticket URL may not be called, or `undefined`. With `public` (the default), a
 * tenant cannot make the platform call into its own network (loopback, private ranges, cloud
 * metadata at 169.254.169.254): the host is resolved and every address checked. Resolution
 * happens again when the call is made, so a name that changes in between is not covered.
 */
export async function ticketUrlProblem(
  url: string,
  networks: TicketNetworks,
): Promise<string | undefined> {
  if (networks === 'any') {
    return undefined;
  }
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host)
    ? [host]
    : await lookup(host, { all: true }).then(
        (answers) => answers.map((answer) => answer.address),
        () => [] as string[],
      );
  const blocked = addresses.find((address) => isPrivateAddress(address));
  if (blocked) {
    return `the ticket URL's host ${host} is a private address (${blocked}); tickets go to public endpoints unless VIGIL_SCANS_TICKET_NETWORKS=any`;
  }
  return undefined;
}

/**
 * Why a ticket URL cannot be saved because its host does not resolve, or `undefined`. Checked
 * when the settings are saved — a typo would otherwise surface only as failed deliveries — and
 * not at delivery time, where a passing DNS failure is retried like any other.
 */
export async function unresolvedTicketHost(url: string): Promise<string | undefined> {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) {
    return undefined;
  }
  return lookup(host).then(
    () => undefined,
    (error: NodeJS.ErrnoException) =>
      `the ticket URL's host ${host} does not resolve (${error.code ?? error.message}); check the name`,
  );
}
