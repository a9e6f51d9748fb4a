// What `clear ip nat translation ...` names, parsed as IOS takes it:
//   *  |  forced
//   inside GLOBAL LOCAL [outside LOCAL GLOBAL | forced]
//   outside LOCAL GLOBAL [forced]
//   {tcp | udp} inside GLOBAL GPORT LOCAL LPORT [outside LOCAL GLOBAL]
// Keywords may be abbreviated. The result selects translation entries as IOS
// does: `inside G L` alone names the simple (address) entry, the protocol form
// an extended one, with `outside` the entries of that outside end too; an
// entry with flows made under it is cleared only with `forced` (its flows go
// with it). A word that does not fit is reported by its column (IOS's caret),
// a line that stops early as incomplete.

import type { NatEntry } from "../../dataplane/nat/nat-table.ts";
import { IP_PROTO_TCP, IP_PROTO_UDP } from "../../wire/ipv4.ts";
import { parseIpv4Address } from "../../wire/ipv4-address.ts";
import type { InputToken } from "../cli/match.ts";

/** Which entries a clear names: every dynamic one, or those matching what is given. */
export type ClearSelector =
  | { kind: "all" }
  | {
      kind: "match";
      /** The protocol form: an extended entry of this protocol with these inside ports. */
      protocol?: { number: number; globalPort: number; localPort: number };
      inside?: { global: number; local: number };
      outside?: { local: number; global: number };
      /** Entries with flows under them are cleared too (with their flows). */
      forced: boolean;
    };

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
  const more = (): boolean => i < words.length;
  const bad = (): ClearParse => ({ kind: "invalid", column: words[i]!.column });
  /** A word that is missing or does not fit. */
  const fail = (): ClearParse => (more() ? bad() : { kind: "incomplete" });
  const addr = (): number | null => {
    const a = more() ? parseIpv4Address(words[i]!.text) : null;
    if (a !== null) i++;
    return a;
  };
  const port = (): number | null => {
    const text = more() ? words[i]!.text : "";
    if (!/^\d{1,5}$/.test(text) || Number(text) < 1 || Number(text) > 65535) return null;
    i++;
    return Number(text);
  };
  const word = (choices: readonly string[]): string | null => {
    const k = more() ? keyword(words[i]!.text, choices) : null;
    if (k !== null) i++;
    return k;
  };

  if (more() && words[0]!.text === "*") {
    i = 1;
    return more() ? bad() : { kind: "all" };
  }
  const first = word(["forced", "inside", "outside", "tcp", "udp"]);
  if (first === null) return fail();
  if (first === "forced") return more() ? bad() : { kind: "all" };
  const sel: Extract<ClearSelector, { kind: "match" }> = { kind: "match", forced: false };
  if (first === "tcp" || first === "udp") {
    if (word(["inside"]) === null) return fail();
    const global = addr();
    if (global === null) return fail();
    const globalPort = port();
    if (globalPort === null) return fail();
    const local = addr();
    if (local === null) return fail();
    const localPort = port();
    if (localPort === null) return fail();
    sel.protocol = { number: first === "tcp" ? IP_PROTO_TCP : IP_PROTO_UDP, globalPort, localPort };
    sel.inside = { global, local };
  } else if (first === "inside") {
    const global = addr();
    if (global === null) return fail();
    const local = addr();
    if (local === null) return fail();
    sel.inside = { global, local };
  }
  if (first !== "outside") {
    if (!more()) return sel;
    const next = word(sel.protocol === undefined ? ["outside", "forced"] : ["outside"]);
    if (next === null) return bad();
    if (next === "forced") return more() ? bad() : { ...sel, forced: true };
  }
  const local = addr();
  if (local === null) return fail();
  const global = addr();
  if (global === null) return fail();
  sel.outside = { local, global };
  if (first === "outside" && more() && word(["forced"]) !== null) sel.forced = true;
  return more() ? bad() : sel;
}

/** Whether a clear removes an entry: never a static mapping's own entry; else every dynamic one, or those it names. */
export function clearSelects(s: ClearSelector, e: NatEntry): boolean {
  if (e.origin === "static" && e.outsideLocal === null) return false;
  if (s.kind === "all") return true;
  if (e.children > 0 && !s.forced) return false;
  const p = s.protocol;
  if (p !== undefined) {
    if (!e.extended || e.protocol !== p.number) return false;
    if (e.insideGlobalPort !== p.globalPort || e.insideLocalPort !== p.localPort) return false;
  } else if (s.inside !== undefined && s.outside === undefined && e.extended) return false; // inside G L: the simple entry
  if (s.inside !== undefined && (e.insideGlobal !== s.inside.global || e.insideLocal !== s.inside.local)) return false;
  if (s.outside !== undefined && (e.outsideLocal !== s.outside.local || e.outsideGlobal !== s.outside.global))
    return false;
  return true;
}
