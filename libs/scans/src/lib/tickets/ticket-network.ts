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
 * `unresolved: 'refuse'` (when settings are saved) also refuses a host that does not resolve —
 * a typo would otherwise surface only as failed deliveries; at delivery time a passing DNS
 * failure is left to the retries (`'allow'`, the default).
 */
export async function ticketUrlProblem(
  url: string,
  networks: TicketNetworks,
  unresolved: 'allow' | 'refuse' = 'allow',
): Promise<string | undefined> {
  if (networks === 'any' && unresolved === 'allow') {
    return undefined;
  }
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  const resolved = isIP(host)
    ? { addresses: [host] }
    : await lookup(host, { all: true }).then(
        (answers) => ({ addresses: answers.map((answer) => answer.address) }),
        (error: NodeJS.ErrnoException) => ({ addresses: [], error }),
      );
  if ('error' in resolved && unresolved === 'refuse') {
    return `the ticket URL's host ${host} does not resolve (${resolved.error.code ?? resolved.error.message}); check the name`;
  }
  const blocked =
    networks === 'public'
      ? resolved.addresses.find((address) => isPrivateAddress(address))
      : undefined;
  if (blocked) {
    return `the ticket URL's host ${host} is a private address (${blocked}); tickets go to public endpoints unless VIGIL_SCANS_TICKET_NETWORKS=any`;
  }
  return undefined;
}
