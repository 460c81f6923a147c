import { BlockList, isIP } from 'node:net';

/**
 * NO_PROXY matching, pure and I/O-free. The grammar is the one curl and Go
 * read (Go's `httpproxy.Config.NoProxy` documents it most precisely):
 *
 * - entries separated by commas (and whitespace), case-insensitive, empty
 *   entries ignored;
 * - `*` alone: never use a proxy;
 * - `example.com`: that host and every subdomain;
 * - `.example.com` (or `*.example.com`): subdomains only, not example.com
 *   itself (Go's rule; curl also matches the bare domain — we chose the
 *   narrower reading so a leading dot never widens the bypass);
 * - `host:port`, `1.2.3.4:80`, `[::1]:8080`: only that port;
 * - `1.2.3.4`, `::1`, `[::1]`: that address; `10.0.0.0/8`, `fd00::/8`: a
 *   CIDR range. IP entries match IP-literal hosts only: no DNS lookup is
 *   made to match a name against a range.
 */

export type NoProxyEntry =
  | { readonly kind: 'all' }
  | {
      readonly kind: 'domain';
      readonly domain: string;
      readonly subdomainsOnly: boolean;
      readonly port?: number;
    }
  | {
      readonly kind: 'address';
      readonly addresses: BlockList;
      readonly text: string;
      readonly port?: number;
    };

export interface NoProxyList {
  readonly entries: readonly NoProxyEntry[];
  /** The entries as given, for diagnostics. */
  readonly source: string;
}

/** Parses a NO_PROXY value (or a list of entries); unparseable entries are skipped, as curl and Go do. */
export function parseNoProxy(value: string | readonly string[] | undefined): NoProxyList {
  const source = value === undefined ? '' : typeof value === 'string' ? value : value.join(',');
  const entries: NoProxyEntry[] = [];
  for (const raw of source.split(/[\s,]+/)) {
    const entry = parseEntry(raw.trim().toLowerCase());
    if (entry !== undefined) entries.push(entry);
  }
  return { entries, source };
}

/** True when a request to `host:port` must bypass the proxy. `host` as URL.hostname gives it (IPv6 may be bracketed). */
export function matchesNoProxy(list: NoProxyList, host: string, port: number): boolean {
  const name = normalizeHost(host);
  const family = isIP(name);
  for (const entry of list.entries) {
    if (entry.kind === 'all') return true;
    if (entry.port !== undefined && entry.port !== port) continue;
    if (entry.kind === 'address') {
      if (family !== 0 && entry.addresses.check(name, family === 6 ? 'ipv6' : 'ipv4')) return true;
      continue;
    }
    if (family !== 0) continue;
    if (name === entry.domain) {
      if (!entry.subdomainsOnly) return true;
      continue;
    }
    if (name.endsWith(`.${entry.domain}`)) return true;
  }
  return false;
}

function normalizeHost(host: string): string {
  let name = host.toLowerCase();
  if (name.startsWith('[') && name.endsWith(']')) name = name.slice(1, -1);
  if (name.endsWith('.')) name = name.slice(0, -1);
  return name;
}

function parseEntry(text: string): NoProxyEntry | undefined {
  if (text === '') return undefined;
  if (text === '*') return { kind: 'all' };
  let host = text;
  let port: number | undefined;
  if (host.startsWith('[')) {
    // [IPv6] or [IPv6]:port
    const close = host.indexOf(']');
    if (close === -1) return undefined;
    const rest = host.slice(close + 1);
    if (rest !== '') {
      port = parsePort(rest.startsWith(':') ? rest.slice(1) : '');
      if (port === undefined) return undefined;
    }
    host = host.slice(1, close);
  } else if (!host.includes('/') && isIP(host) === 0) {
    // name:port or IPv4:port (a bare IPv6 address has several colons and no port).
    const colon = host.lastIndexOf(':');
    if (colon !== -1 && host.indexOf(':') === colon) {
      port = parsePort(host.slice(colon + 1));
      if (port === undefined) return undefined;
      host = host.slice(0, colon);
    }
  }
  const address = parseAddress(host);
  if (address !== undefined) return port === undefined ? address : { ...address, port };
  if (host.includes('/') || host.includes(':') || host.includes('[')) return undefined;
  if (host.endsWith('.')) host = host.slice(0, -1);
  let subdomainsOnly = false;
  if (host.startsWith('*.')) host = host.slice(1);
  if (host.startsWith('.')) {
    subdomainsOnly = true;
    host = host.slice(1);
  }
  if (host === '' || host.includes('*')) return undefined;
  return port === undefined
    ? { kind: 'domain', domain: host, subdomainsOnly }
    : { kind: 'domain', domain: host, subdomainsOnly, port };
}

function parseAddress(text: string): { kind: 'address'; addresses: BlockList; text: string } | undefined {
  const slash = text.indexOf('/');
  const address = slash === -1 ? text : text.slice(0, slash);
  const family = isIP(address);
  if (family === 0) return undefined;
  const type = family === 6 ? 'ipv6' : 'ipv4';
  const addresses = new BlockList();
  if (slash === -1) {
    addresses.addAddress(address, type);
    return { kind: 'address', addresses, text };
  }
  const prefixText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if (prefix > (family === 6 ? 128 : 32)) return undefined;
  addresses.addSubnet(address, prefix, type);
  return { kind: 'address', addresses, text };
}

function parsePort(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65_535 ? port : undefined;
}
