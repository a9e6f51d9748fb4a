// Parses one IOS access-list entry from its text tokens (what follows
// `access-list N`, or a line in `ip access-list standard|extended NAME` mode,
// optionally led by a sequence number). Never throws: a failure names the token
// index where input stopped making sense, so the CLI can put its caret there.
// Keywords may be abbreviated to a unique prefix, as IOS allows.

import {
  type AceSpec,
  type AclKind,
  type AddressMatch,
  ANY,
  DSCP_NAMES,
  ICMP_NAMES,
  type PortMatch,
  PRECEDENCE_NAMES,
  PROTOCOL_NAMES,
  TCP_PORT_NAMES,
  TOS_NAMES,
  UDP_PORT_NAMES,
} from "./acl.ts";
import { parseIpv4 } from "./addr.ts";

/** Where and why parsing stopped. */
export interface AceParseError {
  index: number;
  message: string;
}

/** A parsed entry, with the sequence number when the line began with one. */
export type AceParseResult = { ok: true; spec: AceSpec; sequence?: number } | { ok: false; error: AceParseError };

const INVALID = "% Invalid input detected at '^' marker.";
const INCOMPLETE = "% Incomplete command.";

/** Exact keyword, else the unique keyword that token abbreviates; undefined otherwise. */
function keyword(token: string | undefined, words: readonly string[]): string | undefined {
  if (token === undefined) return undefined;
  const t = token.toLowerCase();
  if (words.includes(t)) return t;
  const hits = words.filter((w) => w.startsWith(t));
  return hits.length === 1 ? hits[0] : undefined;
}

class Cursor {
  i = 0;
  constructor(readonly tokens: readonly string[]) {}
  peek(): string | undefined {
    return this.tokens[this.i];
  }
  done(): boolean {
    return this.i >= this.tokens.length;
  }
}

class Fail {
  constructor(readonly error: AceParseError) {}
}

function fail(c: Cursor): never {
  throw new Fail({ index: c.i, message: c.done() ? INCOMPLETE : INVALID });
}

function number(token: string | undefined, max: number): number | undefined {
  if (token === undefined || !/^\d+$/.test(token)) return undefined;
  const n = Number(token);
  return n <= max ? n : undefined;
}

function named(c: Cursor, table: Readonly<Record<string, number>>, max: number): number {
  const t = c.peek();
  const n = number(t, max);
  if (n !== undefined) {
    c.i++;
    return n;
  }
  const k = keyword(t, Object.keys(table));
  if (k === undefined) fail(c);
  c.i++;
  return table[k]!;
}

function address(c: Cursor): number {
  const t = c.peek();
  const a = t === undefined ? null : parseIpv4(t);
  if (a === null) fail(c);
  c.i++;
  return a;
}

/** `any` | `host A` | `A W`; standard lists also accept a bare `A` (host). */
function addressMatch(c: Cursor, standard: boolean): AddressMatch {
  const k = keyword(c.peek(), ["any", "host"]);
  if (k === "any") {
    c.i++;
    return { ...ANY };
  }
  if (k === "host") {
    c.i++;
    return { address: address(c), wildcard: 0 };
  }
  const a = address(c);
  const next = c.peek();
  if (standard && (next === undefined || parseIpv4(next) === null)) return { address: a, wildcard: 0 };
  const w = address(c);
  return { address: (a & ~w) >>> 0, wildcard: w };
}

function portMatch(c: Cursor, protocol: number): PortMatch | undefined {
  const op = keyword(c.peek(), ["eq", "neq", "lt", "gt", "range"]) as PortMatch["op"] | undefined;
  if (op === undefined) return undefined;
  // `eq`/`lt` abbreviations could also start a later keyword; only take it when a port follows.
  const table = protocol === 17 ? UDP_PORT_NAMES : TCP_PORT_NAMES;
  c.i++;
  const port = (): number => named(c, table, 65535);
  if (op === "range") {
    const low = port();
    const high = port();
    if (high < low) {
      c.i--;
      fail(c);
    }
    return { op, low, high };
  }
  if (op === "lt" || op === "gt") return { op, port: port() };
  const ports = [port()];
  while (!c.done() && (number(c.peek(), 65535) !== undefined || Object.hasOwn(table, c.peek()!.toLowerCase())))
    ports.push(port());
  return { op, ports };
}

/** Parses the tokens of one entry for a list of the given kind. */
export function parseAce(kind: AclKind, tokens: readonly string[]): AceParseResult {
  const c = new Cursor(tokens);
  try {
    let sequence: number | undefined;
    const seq = number(c.peek(), 2147483647);
    if (seq !== undefined) {
      if (seq < 1) fail(c);
      sequence = seq;
      c.i++;
    }
    const action = keyword(c.peek(), ["permit", "deny"]) as "permit" | "deny" | undefined;
    if (!action) fail(c);
    c.i++;
    let spec: AceSpec;
    if (kind === "standard") {
      spec = { action, protocol: null, source: addressMatch(c, true) };
    } else {
      let protocol: number | null;
      if (keyword(c.peek(), ["ip"]) === "ip" && c.peek()!.toLowerCase() === "ip") {
        protocol = null;
        c.i++;
      } else {
        protocol = named(c, PROTOCOL_NAMES, 255);
      }
      const ported = protocol === 6 || protocol === 17;
      const source = addressMatch(c, false);
      const sourcePort = ported ? portMatch(c, protocol!) : undefined;
      const destination = addressMatch(c, false);
      const destinationPort = ported ? portMatch(c, protocol!) : undefined;
      spec = { action, protocol, source, destination };
      if (sourcePort) spec.sourcePort = sourcePort;
      if (destinationPort) spec.destinationPort = destinationPort;
      if (protocol === 1 && !c.done()) {
        const t = c.peek()!;
        const type = number(t, 255);
        if (type !== undefined) {
          c.i++;
          spec.icmpType = type;
          const code = number(c.peek(), 255);
          if (code !== undefined) {
            spec.icmpCode = code;
            c.i++;
          }
        } else if (keyword(t, Object.keys(ICMP_NAMES)) !== undefined) {
          const k = keyword(t, Object.keys(ICMP_NAMES))!;
          const [ty, co] = ICMP_NAMES[k]!;
          spec.icmpType = ty;
          if (co >= 0) spec.icmpCode = co;
          c.i++;
        }
      }
    }
    while (!c.done()) {
      const options =
        kind === "standard" ? ["log", "log-input"] : ["established", "precedence", "tos", "dscp", "log", "log-input"];
      const k = keyword(c.peek(), options);
      if (k === undefined) fail(c);
      if (k === "established") {
        if (spec.protocol !== 6 || spec.established) fail(c);
        spec.established = true;
        c.i++;
      } else if (k === "log" || k === "log-input") {
        if (spec.log) fail(c);
        spec.log = k;
        c.i++;
      } else {
        // precedence and tos may be combined; dscp stands alone.
        const clash =
          spec.dscp !== undefined ||
          (k === "precedence" && spec.precedence !== undefined) ||
          (k === "tos" && spec.tos !== undefined) ||
          (k === "dscp" && (spec.precedence !== undefined || spec.tos !== undefined));
        if (clash) fail(c);
        c.i++;
        if (k === "precedence") spec.precedence = named(c, PRECEDENCE_NAMES, 7);
        else if (k === "tos") spec.tos = named(c, TOS_NAMES, 15);
        else spec.dscp = named(c, DSCP_NAMES, 63);
      }
    }
    return sequence === undefined ? { ok: true, spec } : { ok: true, spec, sequence };
  } catch (e) {
    if (e instanceof Fail) return { ok: false, error: e.error };
    return { ok: false, error: { index: c.i, message: INVALID } };
  }
}

/** Splits a config line into tokens the way the CLI does (whitespace). */
export function tokenize(line: string): string[] {
  return line
    .trim()
    .split(/\s+/)
    .filter((t) => t.length > 0);
}
