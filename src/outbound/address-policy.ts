/**
 * Which addresses carport may connect to on someone else's behalf (a developer's webhook receiver,
 * an owner's MQTT broker). Private, local and special-purpose ranges are refused unless the operator
 * allows them, so nobody can aim carport at the machine it runs on or at the network behind it.
 * The check is made on the address actually dialled (see `lookup`), never on a name checked earlier.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { commaList } from '../core/index.js';

/** Never dialled unless allowed: RFC 6890 special-purpose ranges, IPv4 and IPv6. */
export const REFUSED_CIDRS: readonly string[] = [
  '0.0.0.0/8', // "this network", unspecified
  '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', // RFC 1918
  '100.64.0.0/10', // CGNAT shared space
  '127.0.0.0/8', // loopback
  '169.254.0.0/16', // link-local (cloud metadata services live here)
  '192.0.0.0/24', '192.0.2.0/24', '198.18.0.0/15', '198.51.100.0/24', '203.0.113.0/24', // protocol assignments, tests, benchmarks
  '224.0.0.0/4', // multicast
  '240.0.0.0/4', // reserved, and 255.255.255.255 broadcast
  '::/128', '::1/128', // unspecified, loopback
  '100::/64', // discard-only
  '2001::/32', // Teredo: the IPv4 address inside is obfuscated, so it cannot be checked
  '2001:db8::/32', // documentation
  '64:ff9b:1::/48', // local-use NAT64
  'fc00::/7', // unique-local
  'fe80::/10', 'fec0::/10', // link-local, old site-local
  'ff00::/8', // multicast
];

/** The default allow-list: loopback when carport itself listens only on loopback (only local users reach it then). */
export function defaultAllowCidrs(host: string): string {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  const loopback = bare === 'localhost' || (isIP(bare) !== 0 && LOOPBACK.check(bare, isIP(bare) === 4 ? 'ipv4' : 'ipv6'));
  return loopback ? '127.0.0.0/8,::1/128' : '';
}

const LOOPBACK = blockListOf(['127.0.0.0/8', '::1/128']);

export class OutboundRefusedError extends Error {
  readonly code = 'EOUTBOUNDREFUSED';
  constructor() {
    super('the destination address is not allowed by the outbound address policy');
  }
}

export interface OutboundLog {
  warn(details: Record<string, unknown>, message: string): void;
}

export interface AddressPolicy {
  /** Whether `address` (an IP literal, as resolved) may be dialled. */
  allows(address: string): boolean;
  /**
   * A `lookup` for `net.connect`/`tls.connect`: resolves the name and refuses when any address it
   * resolves to is refused, so what is checked is what is dialled (no DNS rebinding in between).
   */
  lookup: LookupFunction;
  /** Throws OutboundRefusedError when `host` is an IP literal that may not be dialled; names are checked by `lookup`. */
  checkLiteral(host: string): void;
}

export interface AddressPolicyOptions {
  /** Comma-separated CIDRs allowed even though refused by default. */
  allowCidrs: string;
  log?: OutboundLog;
  /** The resolver (tests inject one to play a rebinding DNS server). */
  resolve?: typeof dnsLookup;
}

export function addressPolicy(options: AddressPolicyOptions): AddressPolicy {
  const refused = blockListOf(REFUSED_CIDRS);
  const allowed = blockListOf(commaList(options.allowCidrs));
  const resolve = options.resolve ?? dnsLookup;
  const log = options.log;

  function allows(address: string): boolean {
    const bare = address.split('%')[0] ?? '';
    const family = isIP(bare);
    if (family === 0) return false;
    const type = family === 4 ? 'ipv4' : 'ipv6';
    const embedded = family === 6 ? embeddedIPv4(bare) : undefined;
    if (allowed.check(bare, type) || (embedded !== undefined && allowed.check(embedded, 'ipv4'))) return true;
    return !refused.check(bare, type) && !(embedded !== undefined && refused.check(embedded, 'ipv4'));
  }

  function refuse(host: string, address: string): OutboundRefusedError {
    log?.warn({ host, address }, 'outbound connection refused: the address is private, local or special-purpose');
    return new OutboundRefusedError();
  }

  const lookup: LookupFunction = (hostname, lookupOptions, callback) => {
    resolve(hostname, { ...lookupOptions, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const bad = addresses.find((a) => !allows(a.address));
      if (bad || addresses.length === 0) return callback(refuse(hostname, bad?.address ?? 'none'), '', 0);
      if (lookupOptions.all) return callback(null, addresses);
      const [first] = addresses as [LookupAddress];
      return callback(null, first.address, first.family);
    });
  };

  return {
    allows,
    lookup,
    checkLiteral(host) {
      const bare = host.replace(/^\[(.*)\]$/, '$1');
      if (isIP(bare.split('%')[0] ?? '') !== 0 && !allows(bare)) throw refuse(host, bare);
    },
  };
}

function blockListOf(cidrs: readonly string[]): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [network = '', bits = ''] = cidr.split('/');
    const family = isIP(network);
    if (family === 0) throw new Error(`not a CIDR: ${cidr}`);
    list.addSubnet(network, Number(bits || (family === 4 ? 32 : 128)), family === 4 ? 'ipv4' : 'ipv6');
  }
  return list;
}

/** IPv6 forms that carry an IPv4 address the packet really goes to (or comes from, through a gateway). */
const EMBEDDINGS: readonly { prefix: BlockList; at: number }[] = [
  { prefix: blockListOf(['::ffff:0:0/96']), at: 12 }, // IPv4-mapped
  { prefix: blockListOf(['::ffff:0:0:0/96']), at: 12 }, // IPv4-translated (SIIT)
  { prefix: blockListOf(['::/96']), at: 12 }, // IPv4-compatible (deprecated)
  { prefix: blockListOf(['64:ff9b::/96']), at: 12 }, // NAT64 well-known prefix
  { prefix: blockListOf(['2002::/16']), at: 2 }, // 6to4
];

/** The IPv4 address inside an IPv6 one, as a dotted quad, when it carries one. */
export function embeddedIPv4(address: string): string | undefined {
  const embedding = EMBEDDINGS.find((e) => e.prefix.check(address, 'ipv6'));
  if (!embedding) return undefined;
  const bytes = ipv6Bytes(address);
  return bytes ? [...bytes.subarray(embedding.at, embedding.at + 4)].join('.') : undefined;
}

/**
 * The 16 bytes of an IPv6 address. The WHATWG URL parser validates and canonicalises it first (a
 * dotted-quad tail becomes two hex groups), so only `::` is left to expand here.
 */
function ipv6Bytes(address: string): Buffer | undefined {
  let canonical: string;
  try {
    canonical = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  } catch {
    return undefined;
  }
  const [head = '', tail] = canonical.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const groups = [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  const bytes = Buffer.alloc(16);
  groups.forEach((g, i) => bytes.writeUInt16BE(Number.parseInt(g, 16), i * 2));
  return bytes;
}
