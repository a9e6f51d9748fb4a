/**
 * Interface names as IOS spells them.
 *
 * IOS accepts an interface type abbreviated to a unique prefix (or one of a few
 * well-known short forms such as `e`, `s`, `g`, `f`, `t`, `vi`), followed by the
 * slot/port number, optionally separated by a space: `gi0/0`, `Gi 0/0`, `s0/0/0`,
 * `lo0`, `fa0/1.100`, `tu0`. It prints the full name (`GigabitEthernet0/0`) in
 * `show running-config`, `show ip route` and `show ip interface brief`, and a short
 * name (`Gi0/0`, `Se0/0/0`, `Tu0`) in tabular outputs such as `show ip eigrp
 * neighbors`, `show ip nhrp`, `show cdp neighbors` and `debug ip routing`.
 */

/** One interface type: its full IOS name and the short name IOS prints in tables. */
export interface InterfaceType {
  readonly full: string;
  readonly short: string;
}

/** Known interface types, in the order IOS prefers them when a prefix is ambiguous. */
export const INTERFACE_TYPES: readonly InterfaceType[] = [
  { full: "Ethernet", short: "Et" },
  { full: "FastEthernet", short: "Fa" },
  { full: "GigabitEthernet", short: "Gi" },
  { full: "TenGigabitEthernet", short: "Te" },
  { full: "Serial", short: "Se" },
  { full: "Loopback", short: "Lo" },
  { full: "Tunnel", short: "Tu" },
  { full: "Virtual-Access", short: "Vi" },
  { full: "Virtual-Template", short: "Vt" },
  { full: "Vlan", short: "Vl" },
  { full: "Port-channel", short: "Po" },
  { full: "Dialer", short: "Di" },
  { full: "Null", short: "Nu" },
  { full: "Multilink", short: "Mu" },
  { full: "BVI", short: "BV" },
  { full: "ATM", short: "AT" },
  { full: "Async", short: "As" },
  { full: "Cellular", short: "Ce" },
];

/** Abbreviations IOS resolves even though they prefix several type names. */
const PREFERRED: Readonly<Record<string, string>> = {
  e: "Ethernet",
  f: "FastEthernet",
  g: "GigabitEthernet",
  t: "Tunnel",
  s: "Serial",
  l: "Loopback",
  v: "Vlan",
  vi: "Virtual-Access",
  vt: "Virtual-Template",
  te: "TenGigabitEthernet",
  a: "ATM",
  d: "Dialer",
  m: "Multilink",
  n: "Null",
  p: "Port-channel",
  po: "Port-channel",
};

/** Slot/port/subinterface numbering: `0`, `0/0`, `0/0/0`, `1.100`, `0/0:1`. */
const NUMBER_RE = /^\d+(?:\/\d+)*(?::\d+)?(?:\.\d+)?$/;

/** Resolves an (abbreviated, any case) type word to its InterfaceType, or undefined. */
export function resolveInterfaceType(word: string): InterfaceType | undefined {
  const w = word.toLowerCase();
  if (w.length === 0) return undefined;
  const exact = INTERFACE_TYPES.find((t) => t.full.toLowerCase() === w);
  if (exact) return exact;
  const preferred = PREFERRED[w];
  if (preferred) return INTERFACE_TYPES.find((t) => t.full === preferred);
  const matches = INTERFACE_TYPES.filter((t) => t.full.toLowerCase().startsWith(w));
  return matches.length === 1 ? matches[0] : undefined;
}

/** True when `text` is a valid IOS interface number such as `0/0/0` or `1.100`. */
export function isInterfaceNumber(text: string): boolean {
  return NUMBER_RE.test(text);
}

/** Splits `gi0/0` into `["gi", "0/0"]`; undefined if the word has no type+number shape. */
export function splitInterfaceWord(word: string): [string, string] | undefined {
  const m = /^([A-Za-z][A-Za-z-]*)(.*)$/.exec(word);
  if (!m) return undefined;
  return [m[1] ?? "", m[2] ?? ""];
}

/**
 * Canonical full name (`gi0/0` -> `GigabitEthernet0/0`); accepts `Gi 0/0` with a
 * space. Returns undefined for an unknown type or a malformed number.
 */
export function canonicalInterfaceName(text: string): string | undefined {
  const m = /^([A-Za-z][A-Za-z-]*)\s*(\S*)$/.exec(text.trim());
  const parts: [string, string] | undefined = m ? [m[1] ?? "", m[2] ?? ""] : undefined;
  if (!parts) return undefined;
  const [typeWord, num] = parts;
  const type = resolveInterfaceType(typeWord);
  if (!type || !isInterfaceNumber(num)) return undefined;
  return type.full + num;
}

/** IOS short name (`GigabitEthernet0/0` or `gi0/0` -> `Gi0/0`); undefined if not a valid name. */
export function shortInterfaceName(text: string): string | undefined {
  const full = canonicalInterfaceName(text);
  if (full === undefined) return undefined;
  const type = INTERFACE_TYPES.find((t) => full.startsWith(t.full) && isInterfaceNumber(full.slice(t.full.length)));
  return type ? type.short + full.slice(type.full.length) : undefined;
}

/** True for a subinterface name (`GigabitEthernet1.100`). */
export function isSubinterface(name: string): boolean {
  return /\.\d+$/.test(name);
}
