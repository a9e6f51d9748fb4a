// `ip prefix-list NAME [seq N] permit|deny A.B.C.D/LEN [ge N] [le N]`,
// `ip prefix-list NAME description TEXT` and their `no` forms (the whole list,
// one sequence, or the entry typed again), with IOS's checks and messages.

import {
  nextPrefixListSequence,
  type PrefixList,
  prefixRangeValid,
  putPrefixListEntry,
} from "../../dataplane/prefix-list.ts";
import { formatIpv4Address, maskFromLength, parseIpv4Address } from "../../wire/ipv4-address.ts";
import type { Args } from "../cli/grammar.ts";
import type { CommandContext, CommandSpec, HandlerResult } from "../cli/modes.ts";
import type { RouterDevice } from "../router/router-device.ts";
import { routePolicy } from "./route-policy-store.ts";

type Ctx = CommandContext<RouterDevice>;

/** `10.1.1.1/24` → network 10.1.1.0 and 24 (IOS keeps the network, as it prints it back); null if malformed. */
export function parsePrefixText(text: string): { prefix: number; length: number } | null {
  const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(text);
  if (m === null) return null;
  const address = parseIpv4Address(m[1]!);
  const length = Number(m[2]);
  if (address === null || length > 32) return null;
  return { prefix: (address & maskFromLength(length)) >>> 0, length };
}

function listOf(device: RouterDevice, name: string): PrefixList {
  const lists = routePolicy(device).prefixLists;
  let list = lists.get(name);
  if (list === undefined) {
    list = { name, entries: [] };
    lists.set(name, list);
  }
  return list;
}

/** `no ip prefix-list NAME [seq N] [permit|deny X/LEN [ge N] [le N]] | [description ...]`. */
function removeHandler(name: string, rest: string, ctx: Ctx): HandlerResult {
  const policy = routePolicy(ctx.device);
  const list = policy.prefixLists.get(name);
  const words = rest
    .trim()
    .split(/\s+/)
    .filter((w) => w !== "");
  if (words.length === 0) {
    policy.prefixLists.delete(name);
    return;
  }
  if (words[0] === "description") {
    if (list !== undefined) delete list.description;
    return;
  }
  let seq: number | undefined;
  if (words[0] === "seq") {
    seq = Number(words[1]);
    words.splice(0, 2);
  }
  let match: { action: string; prefix: number; length: number; ge?: number; le?: number } | undefined;
  if (words.length > 0) {
    const route = parsePrefixText(words[1] ?? "");
    if ((words[0] !== "permit" && words[0] !== "deny") || route === null) return "% Invalid prefix-list entry";
    const ge = words.indexOf("ge");
    const le = words.indexOf("le");
    match = {
      action: words[0],
      ...route,
      ...(ge > 0 ? { ge: Number(words[ge + 1]) } : {}),
      ...(le > 0 ? { le: Number(words[le + 1]) } : {}),
    };
  }
  const i =
    list?.entries.findIndex(
      (e) =>
        (seq === undefined || e.sequence === seq) &&
        (match === undefined ||
          (e.action === match.action &&
            e.prefix === match.prefix &&
            e.length === match.length &&
            e.ge === match.ge &&
            e.le === match.le)),
    ) ?? -1;
  if (list === undefined || i < 0) return "% Can't find specified prefix-list entry";
  list.entries.splice(i, 1);
  if (list.entries.length === 0 && list.description === undefined) policy.prefixLists.delete(name);
}

function entryHandler(a: Args, ctx: Ctx): HandlerResult {
  const name = String(a.name);
  if (ctx.negated) return removeHandler(name, a.rest === undefined ? "" : String(a.rest), ctx);
  const route = parsePrefixText(String(a.prefix));
  if (route === null) return "% Invalid prefix";
  const ge = a.ge === undefined ? undefined : Number(a.ge);
  const le = a.le === undefined ? undefined : Number(a.le);
  if (!prefixRangeValid(route.length, ge, le))
    return `% Invalid prefix range for ${formatIpv4Address(route.prefix)}/${route.length}, make sure: len < ge-value <= le-value`;
  const list = listOf(ctx.device, name);
  const duplicate = list.entries.find(
    (e) =>
      e.action === a.action && e.prefix === route.prefix && e.length === route.length && e.ge === ge && e.le === le,
  );
  // The same entry again is no change (IOS keeps its sequence); under another sequence it is refused.
  if (duplicate !== undefined)
    return a.seq === undefined || duplicate.sequence === Number(a.seq) ? undefined : "% Duplicated prefix-list entry";
  const sequence = a.seq === undefined ? nextPrefixListSequence(list) : Number(a.seq);
  putPrefixListEntry(list, {
    sequence,
    action: a.action === "deny" ? "deny" : "permit",
    prefix: route.prefix,
    length: route.length,
    ...(ge !== undefined ? { ge } : {}),
    ...(le !== undefined ? { le } : {}),
    hits: 0,
  });
}

/** The prefix-list commands of global configuration. */
export const prefixListSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax:
      "ip prefix-list WORD:name [seq <1-4294967294>:seq] {permit | deny}:action A.B.C.D/nn:prefix [ge <1-32>:ge] [le <1-32>:le]",
    no: "ip prefix-list WORD:name [LINE:rest]",
    handler: entryHandler,
  },
  {
    syntax: "ip prefix-list WORD:name description LINE:text",
    handler: (a, ctx) => {
      listOf(ctx.device, String(a.name)).description = String(a.text).trim().slice(0, 80);
    },
  },
];
