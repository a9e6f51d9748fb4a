// What `clear ip nat translation ...` names, parsed as IOS takes it:
//   *  |  forced
//   inside GLOBAL LOCAL [outside LOCAL GLOBAL]
//   outside LOCAL GLOBAL
//   {tcp | udp} inside GLOBAL GPORT LOCAL LPORT [outside LOCAL LPORT GLOBAL GPORT]
// Keywords may be abbreviated. The result selects translation entries; a word
// that does not fit is reported by its column (IOS's caret), a line that stops
// early as incomplete.

import type { NatEntry } from "../../dataplane/nat/nat-table.ts";
import { IP_PROTO_TCP, IP_PROTO_UDP } from "../../wire/ipv4.ts";
import { parseIpv4Address } from "../../wire/ipv4-address.ts";
import type { InputToken } from "../cli/match.ts";

/** One end of an entry: addresses and, in the protocol form, ports. */
interface EndSelector {
  local: number;
  global: number;
  localPort?: number;
  globalPort?: number;
}

/** Which entries a clear names: every dynamic one, or those matching what is given. */
export type ClearSelector =
  | { kind: "all" }
  | { kind: "match"; protocol?: number; inside?: EndSelector; outside?: EndSelector };

export type ClearParse = ClearSelector | { kind: "invalid"; column: number } | { kind: "incomplete" };

/** The unique keyword `word` abbreviates among `choices`, or null. */
function keyword(word: string, choices: readonly string[]): string | null {
  const w = word.toLowerCase();
  const hits = choices.filter((c) => c.startsWith(w));
  return hits.length === 1 ? hits[0]! : null;
}

/** Parses the words after `clear ip nat translation` (their columns are the line's). */
export function parseClearNatTranslation(words: readonly InputToken[]): ClearParse {
  let i = 0;
  const bad = (): ClearParse => ({ kind: "invalid", column: words[i]!.column });
  const more = (): boolean => i < words.length;
  /** Reads an address; null with `i` left on the bad word (or past the end). */
  const addr = (): number | null => {
    if (!more()) return null;
    const a = parseIpv4Address(words[i]!.text);
    if (a === null) return null;
    i++;
    return a;
  };
  const port = (): number | null => {
    if (!more() || !/^\d{1,5}$/.test(words[i]!.text)) return null;
    const p = Number(words[i]!.text);
    if (p < 1 || p > 65535) return null;
    i++;
    return p;
  };
  const fail = (): ClearParse => (more() ? bad() : { kind: "incomplete" });

  if (!more()) return { kind: "incomplete" };
  const first = words[0]!.text === "*" ? "*" : keyword(words[0]!.text, ["forced", "inside", "outside", "tcp", "udp"]);
  if (first === null) return bad();
  i = 1;
  if (first === "*" || first === "forced") return more() ? bad() : { kind: "all" };
  let protocol: number | undefined;
  if (first === "tcp" || first === "udp") {
    protocol = first === "tcp" ? IP_PROTO_TCP : IP_PROTO_UDP;
    if (!more()) return { kind: "incomplete" };
    if (keyword(words[i]!.text, ["inside"]) === null) return bad();
    i++;
  }
  const ports = protocol !== undefined;
  /** An end: in IOS's order, inside GLOBAL [GPORT] LOCAL [LPORT], outside LOCAL [LPORT] GLOBAL [GPORT]. */
  const end = (globalFirst: boolean): EndSelector | null => {
    const a = addr();
    if (a === null) return null;
    const ap = ports ? port() : 0;
    if (ap === null) return null;
    const b = addr();
    if (b === null) return null;
    const bp = ports ? port() : 0;
    if (bp === null) return null;
    const [global, globalPort, local, localPort] = globalFirst ? [a, ap, b, bp] : [b, bp, a, ap];
    return ports ? { global, globalPort, local, localPort } : { global, local };
  };
  let inside: EndSelector | undefined;
  if (first !== "outside") {
    const e = end(true);
    if (e === null) return fail();
    inside = e;
    if (!more()) return { kind: "match", protocol, inside };
    if (keyword(words[i]!.text, ["outside"]) === null) return bad();
    i++;
  }
  const outside = end(false);
  if (outside === null) return fail();
  if (more()) return bad();
  return { kind: "match", protocol, inside, outside };
}

/** Whether a clear removes an entry: never a static mapping's own entry; else every dynamic one, or those it names. */
export function clearSelects(s: ClearSelector, e: NatEntry): boolean {
  if (e.origin === "static" && e.outsideLocal === null) return false;
  if (s.kind === "all") return true;
  if (s.protocol !== undefined && e.protocol !== s.protocol) return false;
  const i = s.inside;
  if (i !== undefined) {
    if (e.insideGlobal !== i.global || e.insideLocal !== i.local) return false;
    if (i.globalPort !== undefined && (e.insideGlobalPort !== i.globalPort || e.insideLocalPort !== i.localPort))
      return false;
  }
  const o = s.outside;
  if (o !== undefined) {
    if (e.outsideLocal !== o.local || e.outsideGlobal !== o.global) return false;
    if (o.globalPort !== undefined && (e.outsideGlobalPort !== o.globalPort || e.outsideLocalPort !== o.localPort))
      return false;
  }
  return true;
}
