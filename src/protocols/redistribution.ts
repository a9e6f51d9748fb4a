// Redistribution between routing sources, shared by every routing protocol
// (RIP, OSPF, EIGRP): the routes a `redistribute SOURCE [route-map NAME]`
// line takes from the routing table, as IOS does it. A route qualifies when it
// is installed (selected in the RIB) from that source: `connected`, `static`,
// `rip`, `ospf N`, `eigrp N` (the RIB keeps which process offered a route as
// its owner). As on IOS, redistributing a routing process also takes the
// connected networks of the interfaces that process runs on (each process
// announces them with announceRedistributionSource). The route map decides
// per route (a map that does not exist redistributes nothing) and its
// permitting entry's set clauses (metric, metric-type, tag) go to the
// consumer, which applies its own defaults. A watch follows the RIB's commit
// deltas, re-evaluating only the prefixes that changed, and tells its
// protocol what entered, changed and left its set.

import type { InstalledRoute, Rib, RouteSource } from "../dataplane/rib.ts";
import type { RouteMapResult, RouteMapSets, RouteMapSubject, RouteType } from "../dataplane/route-map.ts";

/** What a `redistribute` line names. */
export type RedistributionSource =
  | { readonly protocol: "connected" }
  | { readonly protocol: "static" }
  | { readonly protocol: "rip" }
  | { readonly protocol: "ospf"; readonly process: number }
  | { readonly protocol: "eigrp"; readonly process: number };

/** One `redistribute SOURCE ... [route-map NAME]` line, as far as choosing routes goes. */
export interface RedistributionRule {
  readonly source: RedistributionSource;
  readonly routeMap?: string;
}

/** A route a watch redistributes, with what the RIB and the route map say about it. */
export interface RedistributedRoute {
  readonly prefix: number;
  readonly length: number;
  /** The rule that took it (its index in rules()). */
  readonly rule: number;
  /** The installed route's source, metric, tag, sub-type (`E2`, `EX`) and first outgoing interface. */
  readonly source: RouteSource;
  readonly metric: number;
  readonly tag?: number;
  readonly subtype?: string;
  readonly interface?: string;
  /** The set clauses of the route-map entry that permitted it (empty without a route map). */
  readonly set: Readonly<RouteMapSets>;
}

/** What changed in a watch's set. */
export interface RedistributionDelta {
  readonly added: RedistributedRoute[];
  readonly changed: RedistributedRoute[];
  readonly removed: RedistributedRoute[];
}

/** What a protocol hands a watch. */
export interface RedistributionWatchOptions {
  readonly rib: Rib;
  /**
   * The redistributing process as IOS names it (`rip`, `ospf 1`, `eigrp 10`): `show ip route`'s
   * `Redistributing via`. A watch without one is left out of that line.
   */
  readonly name?: string;
  /** The `redistribute` lines, in configuration order (read at every evaluation). */
  rules(): readonly RedistributionRule[];
  /** Runs a route map; undefined when no map of that name exists. */
  routeMap(name: string, subject: RouteMapSubject): RouteMapResult | undefined;
  /**
   * Called when the set changed. It may run inside a RIB commit: the protocol records the change and
   * schedules its work (a timer), it does not commit the RIB from here.
   */
  changed(delta: RedistributionDelta): void;
}

/** The RIB owner of a routing process source (`ospf 1`), undefined for connected and static. */
export function sourceOwner(s: RedistributionSource): string | undefined {
  if (s.protocol === "rip") return "rip";
  if (s.protocol === "ospf" || s.protocol === "eigrp") return `${s.protocol} ${s.process}`;
  return undefined;
}

/** The source as IOS writes it after `redistribute` (`ospf 1`, `connected`). */
export function formatRedistributionSource(s: RedistributionSource): string {
  return sourceOwner(s) ?? s.protocol;
}

/** Whether two rules name the same source (one `redistribute` line per source, as IOS keeps them). */
export function sameRedistributionSource(a: RedistributionSource, b: RedistributionSource): boolean {
  return formatRedistributionSource(a) === formatRedistributionSource(b);
}

// ---- the processes' interfaces --------------------------------------------

interface SourceRegistry {
  /** Interfaces each routing process runs on, by owner. */
  readonly interfaces: Map<string, ReadonlySet<string>>;
  readonly watches: Set<RedistributionWatch>;
}

const registries = new WeakMap<Rib, SourceRegistry>();

function registryOf(rib: Rib): SourceRegistry {
  let r = registries.get(rib);
  if (r === undefined) registries.set(rib, (r = { interfaces: new Map(), watches: new Set() }));
  return r;
}

/** One process redistributing a route, with the rule that takes it (`Redistributing via`, `Advertised by`). */
export interface RedistributionOfRoute {
  readonly name: string;
  readonly rule: RedistributionRule;
}

/** Which processes redistribute an installed route now, in the order they started. */
export function redistributionsOf(rib: Rib, prefix: number, length: number): RedistributionOfRoute[] {
  const out: RedistributionOfRoute[] = [];
  for (const w of registryOf(rib).watches) {
    const r = w.route(prefix, length);
    const rule = r === undefined ? undefined : w.rules()[r.rule];
    if (rule !== undefined && w.name !== undefined) out.push({ name: w.name, rule });
  }
  return out;
}

/** A routing process's announcement of the interfaces it runs on. */
export interface RedistributionSourceHandle {
  /** The process's interfaces now (call after they change): watches redistributing it re-evaluate. */
  setInterfaces(names: Iterable<string>): void;
  /** The process stopped. */
  withdraw(): void;
}

/**
 * Announces a routing process (`owner` as it offers routes to the RIB: `rip`, `ospf 1`, `eigrp 10`) so
 * that redistributing it also takes the connected networks of its interfaces, as IOS does.
 */
export function announceRedistributionSource(rib: Rib, owner: string): RedistributionSourceHandle {
  const reg = registryOf(rib);
  const tell = (): void => {
    for (const w of reg.watches) if (w.redistributes(owner)) w.refresh();
  };
  return {
    setInterfaces(names) {
      const next = new Set(names);
      const old = reg.interfaces.get(owner);
      if (old !== undefined && old.size === next.size && [...next].every((n) => old.has(n))) return;
      reg.interfaces.set(owner, next);
      tell();
    },
    withdraw() {
      if (!reg.interfaces.delete(owner)) return;
      tell();
    },
  };
}

/** What `match route-type` sees of an installed route: OSPF's and EIGRP's kinds, none for the others. */
export function routeTypeOf(r: InstalledRoute): RouteType | undefined {
  const sub = r.code.replace(/^[A-Z]\*?\s?/, "");
  if (r.source === "ospf") {
    if (sub === "" || sub === "IA") return "internal";
    if (sub === "E1" || sub === "E2") return `external type-${sub[1]}` as RouteType;
    if (sub === "N1" || sub === "N2") return `nssa-external type-${sub[1]}` as RouteType;
  }
  if (r.source === "eigrp") return sub === "EX" ? "external" : "internal";
  return undefined;
}

// ---- the watch ---------------------------------------------------------------

const keyOf = (prefix: number, length: number): number => (prefix >>> 0) * 64 + length;

function sameSets(a: Readonly<RouteMapSets>, b: Readonly<RouteMapSets>): boolean {
  return JSON.stringify(a.metric) === JSON.stringify(b.metric) && a.metricType === b.metricType && a.tag === b.tag;
}

function sameRedistributed(a: RedistributedRoute, b: RedistributedRoute): boolean {
  return (
    a.rule === b.rule &&
    a.source === b.source &&
    a.metric === b.metric &&
    a.tag === b.tag &&
    a.subtype === b.subtype &&
    a.interface === b.interface &&
    sameSets(a.set, b.set)
  );
}

/** The routes a protocol's `redistribute` lines take from the RIB, kept current. */
export class RedistributionWatch {
  private readonly current = new Map<number, RedistributedRoute>();
  private readonly registry: SourceRegistry;
  private readonly unsubscribe: () => void;
  private stopped = false;

  constructor(private readonly options: RedistributionWatchOptions) {
    this.registry = registryOf(options.rib);
    this.registry.watches.add(this);
    this.unsubscribe = options.rib.onChange((delta) => {
      const changes: RedistributionDelta = { added: [], changed: [], removed: [] };
      for (const list of [delta.added, delta.changed, delta.removed])
        for (const p of list) this.reevaluate(p.prefix, p.length, changes);
      this.report(changes);
    });
    this.refresh();
  }

  /** The routes redistributed now, by prefix then length. */
  routes(): RedistributedRoute[] {
    return [...this.current.values()].sort((a, b) => a.prefix - b.prefix || a.length - b.length);
  }

  /** The route redistributed for exactly prefix/length, if any. */
  route(prefix: number, length: number): RedistributedRoute | undefined {
    return this.current.get(keyOf(prefix, length));
  }

  /** The redistributing process's name (`ospf 1`). */
  get name(): string | undefined {
    return this.options.name;
  }

  /** The `redistribute` lines now. */
  rules(): readonly RedistributionRule[] {
    return this.options.rules();
  }

  /** Whether a rule names this routing process (`ospf 1`). */
  redistributes(owner: string): boolean {
    return this.options.rules().some((r) => sourceOwner(r.source) === owner);
  }

  /** Re-evaluates every installed route (after the rules or a route map changed). */
  refresh(): void {
    if (this.stopped) return;
    const changes: RedistributionDelta = { added: [], changed: [], removed: [] };
    const seen = new Set<number>();
    for (const r of this.options.rib.routes()) {
      seen.add(keyOf(r.prefix, r.length));
      this.reevaluate(r.prefix, r.length, changes, r);
    }
    for (const [key, old] of this.current)
      if (!seen.has(key)) {
        this.current.delete(key);
        changes.removed.push(old);
      }
    this.report(changes);
  }

  /** Stops following the RIB (the protocol stopped). */
  stop(): void {
    this.stopped = true;
    this.unsubscribe();
    this.registry.watches.delete(this);
    this.current.clear();
  }

  private report(changes: RedistributionDelta): void {
    if (changes.added.length + changes.changed.length + changes.removed.length > 0) this.options.changed(changes);
  }

  private reevaluate(prefix: number, length: number, changes: RedistributionDelta, installed?: InstalledRoute): void {
    if (this.stopped) return;
    const key = keyOf(prefix, length);
    const r = installed ?? this.options.rib.route(prefix, length);
    const next = r === undefined ? undefined : this.evaluate(r);
    const old = this.current.get(key);
    if (next === undefined) {
      if (old === undefined) return;
      this.current.delete(key);
      changes.removed.push(old);
      return;
    }
    this.current.set(key, next);
    if (old === undefined) changes.added.push(next);
    else if (!sameRedistributed(old, next)) changes.changed.push(next);
  }

  /** The first rule whose source the route comes from decides, through its route map. */
  private evaluate(r: InstalledRoute): RedistributedRoute | undefined {
    const rules = this.options.rules();
    const ifc = r.paths[0]?.interface ?? undefined;
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i]!;
      if (!this.fromSource(rule.source, r, ifc)) continue;
      let set: Readonly<RouteMapSets> = {};
      if (rule.routeMap !== undefined) {
        const result = this.options.routeMap(rule.routeMap, {
          route: { prefix: r.prefix, length: r.length },
          ...(ifc !== undefined ? { interface: ifc } : {}),
          ...(r.tag !== undefined ? { tag: r.tag } : {}),
          ...(routeTypeOf(r) !== undefined ? { routeType: routeTypeOf(r)! } : {}),
        });
        if (result === undefined || !result.permit) return undefined;
        set = result.entry?.set ?? {};
      }
      return {
        prefix: r.prefix,
        length: r.length,
        rule: i,
        source: r.source,
        metric: r.metric,
        ...(r.tag !== undefined ? { tag: r.tag } : {}),
        ...(r.code.includes(" ") ? { subtype: r.code.slice(r.code.indexOf(" ") + 1) } : {}),
        ...(ifc !== undefined ? { interface: ifc } : {}),
        set: { ...set },
      };
    }
    return undefined;
  }

  private fromSource(s: RedistributionSource, r: InstalledRoute, ifc: string | undefined): boolean {
    if (s.protocol === "connected") return r.source === "connected";
    if (s.protocol === "static") return r.source === "static";
    const owner = sourceOwner(s)!;
    if (r.source === s.protocol) return (r.owner ?? (s.protocol === "rip" ? "rip" : undefined)) === owner;
    return r.source === "connected" && ifc !== undefined && this.registry.interfaces.get(owner)?.has(ifc) === true;
  }
}
