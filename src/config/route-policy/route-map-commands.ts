// `route-map NAME [permit|deny] [SEQ]` and the config-route-map lines: match
// ip address (access lists or prefix lists), match interface, match tag,
// match route-type (internal, external and nssa-external [type-1|type-2]), set
// metric (one value, or EIGRP's bandwidth delay reliability load MTU), set
// metric-type (OSPF), set tag, set interface, description, with their `no`
// forms. The entry's clauses are stored here; a
// consumer evaluates the map (src/dataplane/route-map.ts) and applies the set
// clauses it understands.

import { type RouteMap, type RouteMapEntry, type RouteType, routeMapEntry } from "../../dataplane/route-map.ts";
import type { Args } from "../cli/grammar.ts";
import { canonicalInterfaceName } from "../cli/interface-name.ts";
import type { CommandContext, CommandSpec, CommandTable, HandlerResult } from "../cli/modes.ts";
import type { RouterDevice } from "../router/router-device.ts";
import { routePolicy } from "./route-policy-store.ts";

type Ctx = CommandContext<RouterDevice>;

/** The mode of the lines inside `route-map NAME permit SEQ`. */
export const ROUTE_MAP_MODE = "config-route-map";

interface Frame {
  readonly map: string;
  readonly sequence: number;
}

const words = (text: unknown): string[] =>
  text === undefined
    ? []
    : String(text)
        .trim()
        .split(/\s+/)
        .filter((w) => w !== "");

function routeMapHandler(a: Args, ctx: Ctx): HandlerResult {
  const name = String(a.name);
  const maps = routePolicy(ctx.device).routeMaps;
  const map = maps.get(name);
  const action = a.action === "deny" ? "deny" : "permit";
  if (ctx.negated) {
    if (map === undefined) return;
    if (a.seq === undefined) {
      maps.delete(name);
      return;
    }
    const i = map.entries.findIndex((e) => e.sequence === Number(a.seq));
    if (i >= 0) map.entries.splice(i, 1);
    if (map.entries.length === 0) maps.delete(name);
    return;
  }
  let sequence: number;
  if (a.seq !== undefined) sequence = Number(a.seq);
  else if (map === undefined || map.entries.length === 0) sequence = 10;
  else if (map.entries.length === 1) sequence = map.entries[0]!.sequence;
  else return "% Please specify the entry by its sequence";
  let target: RouteMap | undefined = map;
  if (target === undefined) {
    target = { name, entries: [] };
    maps.set(name, target);
  }
  routeMapEntry(target, sequence, action);
  ctx.enter(ROUTE_MAP_MODE, { map: name, sequence } satisfies Frame);
}

/** Wraps a config-route-map handler: the entry of the mode's frame. */
function onEntry(fn: (e: RouteMapEntry, a: Args, ctx: Ctx) => HandlerResult) {
  return (a: Args, ctx: Ctx): HandlerResult => {
    const frame = ctx.data as Frame;
    const entry = routePolicy(ctx.device)
      .routeMaps.get(frame.map)
      ?.entries.find((e) => e.sequence === frame.sequence);
    if (entry === undefined) return "% Route-map entry no longer exists";
    return fn(entry, a, ctx);
  };
}

/** Adds names to a clause's list (no duplicates), or removes them (all when none are given). */
function edit(list: string[], names: string[], negated: boolean): void {
  if (!negated) {
    for (const n of names) if (!list.includes(n)) list.push(n);
    return;
  }
  if (names.length === 0) list.length = 0;
  else
    for (const n of names) {
      const i = list.indexOf(n);
      if (i >= 0) list.splice(i, 1);
    }
}

/** Adds a route type to the entry's `match route-type` clause (each line adds one, as IOS lists them), or removes it. */
function matchRouteType(e: RouteMapEntry, type: RouteType, negated: boolean): void {
  const list = e.match.routeTypes;
  const i = list.indexOf(type);
  if (negated) {
    if (i >= 0) list.splice(i, 1);
  } else if (i < 0) list.push(type);
}

/** Interface names typed in a clause, canonical; the first that is not an interface name, as an error. */
function interfaceNames(text: unknown): { names: string[] } | { error: string } {
  const out: string[] = [];
  const list = words(text);
  // `Serial 0/0` is two words: join a type with the number after it.
  for (let i = 0; i < list.length; i++) {
    let name = canonicalInterfaceName(list[i]!);
    if (name === undefined && i + 1 < list.length) {
      name = canonicalInterfaceName(`${list[i]}${list[i + 1]}`);
      if (name !== undefined) i++;
    }
    if (name === undefined) return { error: `% Invalid interface ${list[i]}` };
    out.push(name);
  }
  return { names: out };
}

const globalSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "route-map WORD:name [permit | deny]:action [<0-65535>:seq]",
    no: true,
    handler: routeMapHandler,
  },
];

const entrySpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "match ip address prefix-list LINE:lists",
    no: "match ip address prefix-list [LINE:lists]",
    handler: onEntry((e, a, ctx) => edit(e.match.ipAddressPrefixLists, words(a.lists), ctx.negated)),
  },
  {
    syntax: "match ip address LINE:lists",
    no: "match ip address [LINE:lists]",
    handler: onEntry((e, a, ctx) => {
      const names = words(a.lists);
      const bad = names.find((n) => /^\d+$/.test(n) && !isIpAclNumber(Number(n)));
      if (bad !== undefined) return `% Invalid access list name ${bad}`;
      edit(e.match.ipAddressAcls, names, ctx.negated);
    }),
  },
  {
    syntax: "match interface LINE:ifcs",
    no: "match interface [LINE:ifcs]",
    handler: onEntry((e, a, ctx) => {
      const r = interfaceNames(a.ifcs);
      if ("error" in r) return r.error;
      edit(e.match.interfaces, r.names, ctx.negated);
    }),
  },
  {
    syntax: "match tag LINE:tags",
    no: "match tag [LINE:tags]",
    handler: onEntry((e, a, ctx) => {
      const list = words(a.tags);
      const bad = list.find((w) => !/^\d+$/.test(w) || Number(w) > 4294967295);
      if (bad !== undefined) return `% Invalid tag value ${bad}`;
      const tags = list.map(Number);
      if (!ctx.negated) {
        for (const t of tags) if (!e.match.tags.includes(t)) e.match.tags.push(t);
      } else if (tags.length === 0) e.match.tags.length = 0;
      else e.match.tags.splice(0, e.match.tags.length, ...e.match.tags.filter((t) => !tags.includes(t)));
    }),
  },
  {
    syntax: "match route-type internal",
    no: true,
    handler: onEntry((e, _a, ctx) => matchRouteType(e, "internal", ctx.negated)),
  },
  {
    syntax: "match route-type {external | nssa-external}:kind [type-1 | type-2]:metric",
    no: true,
    handler: onEntry((e, a, ctx) =>
      matchRouteType(
        e,
        `${a.kind === "external" ? "external" : "nssa-external"}${a.metric === undefined ? "" : a.metric === "type-1" ? " type-1" : " type-2"}` as RouteType,
        ctx.negated,
      ),
    ),
  },
  {
    syntax: "set tag <0-4294967295>:tag",
    no: "set tag [<0-4294967295>:tag]",
    handler: onEntry((e, a, ctx) => {
      if (ctx.negated) delete e.set.tag;
      else e.set.tag = Number(a.tag);
    }),
  },
  {
    syntax: "set metric-type {type-1 | type-2}:type",
    no: "set metric-type [LINE]",
    handler: onEntry((e, a, ctx) => {
      if (ctx.negated) delete e.set.metricType;
      else e.set.metricType = a.type === "type-1" ? 1 : 2;
    }),
  },
  {
    syntax: "set metric <0-4294967295>:metric [<0-4294967295>:delay <0-255>:reliability <1-255>:load <1-65535>:mtu]",
    no: "set metric [LINE]",
    handler: onEntry((e, a, ctx) => {
      if (ctx.negated) delete e.set.metric;
      else if (a.delay === undefined) e.set.metric = Number(a.metric);
      else
        e.set.metric = {
          bandwidthKbps: Number(a.metric),
          delayTensOfUs: Number(a.delay),
          reliability: Number(a.reliability),
          load: Number(a.load),
          mtu: Number(a.mtu),
        };
    }),
  },
  {
    syntax: "set interface LINE:ifcs",
    no: "set interface [LINE:ifcs]",
    handler: onEntry((e, a, ctx) => {
      const r = interfaceNames(a.ifcs);
      if ("error" in r) return r.error;
      const list = e.set.interfaces ?? [];
      edit(list, r.names, ctx.negated);
      if (list.length === 0) delete e.set.interfaces;
      else e.set.interfaces = list;
    }),
  },
  {
    syntax: "description LINE:text",
    no: "description [LINE]",
    handler: onEntry((e, a, ctx) => {
      if (ctx.negated) delete e.description;
      else e.description = String(a.text).trim();
    }),
  },
];

/** IP access list numbers (standard and extended, both ranges). */
function isIpAclNumber(n: number): boolean {
  return (n >= 1 && n <= 199) || (n >= 1300 && n <= 2699);
}

/** Registers the route-map commands and their mode. */
export function addRouteMapCommands(table: CommandTable<RouterDevice>): void {
  table.defineMode(ROUTE_MAP_MODE);
  table.add("config", ...globalSpecs);
  table.add(ROUTE_MAP_MODE, ...entrySpecs);
}
