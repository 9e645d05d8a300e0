/**
 * Redaction (`--redact`, `--redact-addresses`): a copy of the report in which user, peer and
 * host names and phone numbers, and with `addresses` every IPv4 and IPv6 address, are
 * replaced by stable placeholders, so a report can go to a vendor's ticket. The same value
 * gets the same placeholder everywhere in the report; different values different ones.
 *
 * Which strings are names is known only where the report says so: fields whose key is in
 * SENSITIVE_FIELDS (today ppp.auth.peerName of sessions and links; a field with one of
 * these keys added anywhere later is picked up as it is). The rules quote those values in
 * their messages and details, so every occurrence of each collected value is replaced in
 * every string of the report (file names and frame references included), not only in the
 * field it came from. An occurrence counts when it is not part of a longer word (a name
 * "ann" leaves "announce" alone, and "ann2" is a different name); redacting within words
 * would both garble the text and give the name away by what is left around it.
 *
 * Addresses become documentation addresses: IPv4 from TEST-NET-1, -2 and -3 (RFC 5737:
 * 192.0.2.1, ...), then the benchmarking block 198.18.0.0/15 (RFC 2544); IPv6 from
 * 2001:db8::/32 (RFC 3849). A redacted report stays a valid report: address fields still
 * hold addresses of the same family (`recommended` stays dialable in form, the Mermaid
 * participants read as addresses), equal addresses stay equal and different ones
 * different, and none of them is a host anyone can reach. The placeholders are numbered in
 * order of appearance, so they say nothing about the original values.
 *
 * Strings that are our own vocabulary (codes, states, message types, times: REPORT_VOCABULARY)
 * are left alone, so a user called "client" or "failed" cannot break the report's structure.
 */
import { isIPv4, isIPv6 } from "node:net";
import type { Report } from "./schema.js";

export interface RedactOptions {
  /** Also replace every IPv4/IPv6 address. */
  addresses: boolean;
}

type SensitiveKind = "user" | "host" | "phone";

/**
 * Report fields that hold names or numbers from the packets, by key, and what they are.
 * Keys follow the decoders' field names (PPTP hostName / phoneNumber / dialedNumber /
 * dialingNumber / subAddress, RFC 2637 §2.1, §2.7, §2.9; CHAP names RFC 1994 §4.1).
 */
const SENSITIVE_FIELDS: Readonly<Record<string, SensitiveKind>> = {
  peerName: "user",
  userName: "user",
  authenticatorName: "host",
  hostName: "host",
  phoneNumber: "phone",
  dialedNumber: "phone",
  dialingNumber: "phone",
  subAddress: "phone",
};

/**
 * Keys whose string values are the tool's own words, never packet text: the schema and tool
 * name, session IDs, codes, severities, outcomes, states, protocol and message names, and
 * ISO times. Only a string directly under such a key is skipped; strings in an array under
 * it are not (gre.toClient.from is a list of addresses, control.messages[].from a side).
 */
const REPORT_VOCABULARY: ReadonlySet<string> = new Set([
  "schema", "id", "format", "outcome", "from", "type", "state", "protocol", "result",
  "code", "severity", "kind", "sides", "time", "start", "end", "first", "last",
]);

/** The tool's name and version, copied as they are. */
const UNTOUCHED_SUBTREES: ReadonlySet<string> = new Set(["tool"]);

/** IPv4 placeholder pools in order: [first address as a number, how many]. */
const IPV4_POOLS: ReadonlyArray<readonly [number, number]> = [
  [ipv4Number(192, 0, 2, 1), 254], // TEST-NET-1, RFC 5737
  [ipv4Number(198, 51, 100, 1), 254], // TEST-NET-2
  [ipv4Number(203, 0, 113, 1), 254], // TEST-NET-3
  [ipv4Number(198, 18, 0, 1), 2 ** 17 - 2], // 198.18.0.0/15, RFC 2544
];

/** IPv6 placeholders are 2001:db8::<n> (RFC 3849), n counted from 1. */
const IPV6_DOCUMENTATION_PREFIX = "2001:db8::";

/**
 * Candidates for addresses inside any text, confirmed with isIPv4/isIPv6 before they are
 * replaced. Not inside a longer run of digits, letters, dots or colons, but a sentence's
 * full stop after an address is fine ("dial 192.0.2.1.").
 */
const IPV4_CANDIDATE = /(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w]|\.\d)/g;
const IPV6_CANDIDATE = /(?<![\w.:])(?:[0-9a-f]{0,4}:){2,7}(?:[0-9a-f]{1,4}|\d{1,3}(?:\.\d{1,3}){3})?(?![\w:]|\.\d)/gi;

export function redact(report: Report, options: RedactOptions): Report {
  const names = collectSensitiveValues(report);
  const addresses = options.addresses ? new AddressPlaceholders() : null;
  const nameMatcher = names.size > 0 ? matcherFor([...names.keys()]) : null;
  const redactText = (text: string): string => {
    let out = nameMatcher ? text.replace(nameMatcher, (value) => names.get(value)!) : text;
    if (addresses) out = addresses.replaceIn(out);
    return out;
  };
  return copyWith(report, undefined, redactText) as Report;
}

/** Every sensitive value in the report's structure, with its placeholder ("user-1", "host-1", "phone-1"). */
function collectSensitiveValues(report: Report): Map<string, string> {
  const placeholders = new Map<string, string>();
  const counts: Record<SensitiveKind, number> = { user: 0, host: 0, phone: 0 };
  const add = (kind: SensitiveKind, value: unknown): void => {
    if (typeof value !== "string" || value === "" || placeholders.has(value)) return;
    placeholders.set(value, `${kind}-${++counts[kind]}`);
  };
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (value !== null && typeof value === "object") {
      for (const [key, field] of Object.entries(value)) {
        const kind = SENSITIVE_FIELDS[key];
        if (kind !== undefined) {
          if (Array.isArray(field)) field.forEach((v) => add(kind, v));
          else add(kind, field);
        } else {
          visit(field);
        }
      }
    }
  };
  visit(report);
  return placeholders;
}

/**
 * One regular expression for all values, longest first (so "alice smith" wins over "alice"),
 * each required not to continue a word where it begins or ends with a letter or digit.
 */
function matcherFor(values: string[]): RegExp {
  const alternatives = values
    .sort((a, b) => b.length - a.length)
    .map((value) => {
      const escaped = value.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
      const before = /^[\p{L}\p{N}]/u.test(value) ? "(?<![\\p{L}\\p{N}])" : "";
      const after = /[\p{L}\p{N}]$/u.test(value) ? "(?![\\p{L}\\p{N}])" : "";
      return `${before}${escaped}${after}`;
    });
  return new RegExp(alternatives.join("|"), "gu");
}

/** A deep copy with every string not under a vocabulary key passed through `redactText`. */
function copyWith(value: unknown, key: string | undefined, redactText: (text: string) => string): unknown {
  if (typeof value === "string") return key !== undefined && REPORT_VOCABULARY.has(key) ? value : redactText(value);
  if (Array.isArray(value)) return value.map((item) => copyWith(item, undefined, redactText));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, field] of Object.entries(value)) {
      out[k] = UNTOUCHED_SUBTREES.has(k) ? structuredClone(field) : copyWith(field, k, redactText);
    }
    return out;
  }
  return value;
}

/** Maps each distinct address (IPv6 by its canonical form) to its documentation-range placeholder. */
class AddressPlaceholders {
  private readonly ipv4 = new Map<string, string>();
  private readonly ipv6 = new Map<string, string>();

  replaceIn(text: string): string {
    return text
      .replace(IPV6_CANDIDATE, (candidate) => (isIPv6(candidate) ? this.forIpv6(candidate) : candidate))
      .replace(IPV4_CANDIDATE, (candidate) => (isIPv4(candidate) ? this.forIpv4(candidate) : candidate));
  }

  private forIpv4(address: string): string {
    let placeholder = this.ipv4.get(address);
    if (placeholder === undefined) {
      placeholder = ipv4Placeholder(this.ipv4.size);
      this.ipv4.set(address, placeholder);
    }
    return placeholder;
  }

  private forIpv6(address: string): string {
    const canonical = new URL(`http://[${address}]/`).hostname;
    let placeholder = this.ipv6.get(canonical);
    if (placeholder === undefined) {
      const n = this.ipv6.size + 1;
      placeholder = IPV6_DOCUMENTATION_PREFIX + (n > 0xffff ? `${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}` : n.toString(16));
      this.ipv6.set(canonical, placeholder);
    }
    return placeholder;
  }
}

/**
 * The n-th IPv4 placeholder (from 0). Past the pools (more than 131 832 distinct addresses,
 * more than any report holds) the placeholder is "ipv4-<n>": still distinct, still no address.
 */
function ipv4Placeholder(n: number): string {
  let index = n;
  for (const [first, size] of IPV4_POOLS) {
    if (index < size) return ipv4Text(first + index);
    index -= size;
  }
  return `ipv4-${n + 1}`;
}

function ipv4Number(a: number, b: number, c: number, d: number): number {
  return ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;
}

function ipv4Text(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 0xff}.${(n >>> 8) & 0xff}.${n & 0xff}`;
}
