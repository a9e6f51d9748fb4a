// The IPv4 routing table (RIB) of one router and its projection into CEF.
// Sources (connected, local /32, static, EIGRP, OSPF, RIP, BGP, NHRP) offer
// candidate routes with an administrative distance and a metric; per prefix only
// the lowest-distance source is installed (a floating static stays hidden until
// the better route goes away) and its equal-metric candidates become ECMP paths.
// Statics are next-hop only (recursive: resolved through the RIB, loops and
// self-resolution rejected), exit-interface only (attached: ARP for the packet's
// destination) or both; a static whose next hop is unreachable or whose
// interface is down is not installed. `commit` applies the difference to a Fib
// and to a table of path lists indexed by number. It recomputes only the
// prefixes whose candidates changed since the last commit (a hub learning one
// spoke's route among a thousand costs one prefix, not the table) unless an
// interface or a static changed, a changed prefix holds or may resolve a
// recursive next hop, or nothing was committed yet: then the whole table is
// recomputed (lazy, memoised per prefix, so linear in routes).

import { formatIpv4, maskOf, networkOf } from "./addr.ts";
import { cefSpecialEntries } from "./cef-special.ts";
import { FIB_MISS, type Fib } from "./fib.ts";
import { createFib } from "./fib-trie.ts";
import { NumberMap } from "./number-map.ts";

/** Where a route came from. */
export type RouteSource =
  | "connected"
  | "local"
  | "static"
  | "eigrp"
  | "ospf"
  | "rip"
  | "odr"
  | "ebgp"
  | "ibgp"
  | "nhrp";

/** IOS default administrative distance per source. */
export const DEFAULT_DISTANCE: Readonly<Record<RouteSource, number>> = {
  connected: 0,
  local: 0,
  static: 1,
  ebgp: 20,
  eigrp: 90,
  ospf: 110,
  rip: 120,
  odr: 160,
  ibgp: 200,
  nhrp: 250,
};

/** `show ip route` code letter per source. */
export const ROUTE_CODE: Readonly<Record<RouteSource, string>> = {
  connected: "C",
  local: "L",
  static: "S",
  ebgp: "B",
  ibgp: "B",
  eigrp: "D",
  ospf: "O",
  rip: "R",
  odr: "o",
  nhrp: "H",
};

/** Tie-break between sources that share a distance (lower wins). */
const SOURCE_RANK: Readonly<Record<RouteSource, number>> = {
  connected: 0,
  local: 1,
  static: 2,
  ebgp: 3,
  eigrp: 4,
  ospf: 5,
  rip: 6,
  odr: 7,
  ibgp: 8,
  nhrp: 9,
};

/** The discard interface: always up, packets routed to it are dropped. */
export const NULL0 = "Null0";

/** A candidate route offered by a routing source (or built from a static). */
export interface RouteCandidate {
  source: RouteSource;
  prefix: number;
  length: number;
  /** Administrative distance; the source's default when omitted. */
  distance?: number;
  metric?: number;
  /** Next-hop address; with no interface it is resolved recursively through the RIB. */
  nextHop?: number;
  /** Exit interface; with no next hop the route is attached. */
  interface?: string;
  /** Protocol sub-type shown after the code (`IA`, `E2`, `EX`). */
  subtype?: string;
  tag?: number;
  /** Opaque owner key (e.g. a neighbor) so a source can withdraw its own candidates. */
  owner?: string;
}

/** A configured `ip route` statement. */
export interface StaticRouteConfig {
  prefix: number;
  length: number;
  nextHop?: number;
  interface?: string;
  distance?: number;
  tag?: number;
  name?: string;
  /** `permanent`: installed even when the interface is down. */
  permanent?: boolean;
}

/** One resolved forwarding path: nextHop null means attached (ARP for the destination). */
export interface FibPath {
  nextHop: number | null;
  interface: string;
}

/**
 * What CEF does with packets of a path list: forward them; receive them (ours);
 * drop them with an unreachable (a route to Null0); discard them silently (a
 * CEF drop entry: martians, multicast ranges); or treat them as having no
 * route (the default entry while no default route exists).
 */
export type PathListKind = "forward" | "receive" | "drop" | "discard" | "noRoute";

/** A shared path list, referenced by number from the FIB. */
export interface PathList {
  index: number;
  kind: PathListKind;
  paths: FibPath[];
}

/** One path of an installed route as `show ip route` prints it. */
export interface RoutePathView {
  /** Next hop as configured/learned (the `via` address), null when directly connected. */
  via: number | null;
  /** Exit interface as configured/learned, null when recursive (shown without interface). */
  interface: string | null;
  /** Fully resolved forwarding paths of this candidate. */
  resolved: FibPath[];
}

/** An installed route, with everything the show renderers need. */
export interface InstalledRoute {
  prefix: number;
  length: number;
  source: RouteSource;
  /** `C`, `L`, `S`, `S*`, `D`, `O IA`, `B*`... */
  code: string;
  distance: number;
  metric: number;
  paths: RoutePathView[];
  pathList: number;
  tag?: number;
  /** The process that offered it (`ospf 1`, `rip`, `eigrp 10`): what `redistribute ospf 1` selects. */
  owner?: string;
}

/** Change report of one commit. */
export interface RibDelta {
  added: Array<{ prefix: number; length: number }>;
  changed: Array<{ prefix: number; length: number }>;
  removed: Array<{ prefix: number; length: number }>;
}

/** Options of a routing table. */
export interface RibOptions {
  /** FIB to keep in step (default: a new TypeScript HashFib). */
  fib?: Fib;
  /** Most ECMP paths installed per prefix (IOS 15: 16 for statics). */
  maxPaths?: number;
  /** Recompute only changed prefixes when that is safe (default true; false recomputes the table on every commit). */
  incremental?: boolean;
}

interface InterfaceState {
  up: boolean;
  addresses: Array<{ address: number; length: number }>;
}

interface Slot {
  prefix: number;
  length: number;
  candidates: RouteCandidate[];
}

type Memo = { state: "busy" } | { state: "done"; route: Selected | null };

interface Selected {
  prefix: number;
  length: number;
  source: RouteSource;
  distance: number;
  metric: number;
  subtype?: string;
  tag?: number;
  owner?: string;
  kind: PathListKind;
  views: RoutePathView[];
  paths: FibPath[];
}

/** A prefix/length as one number (no string built per lookup): the unsigned prefix times 64 plus the length. */
type PrefixKey = number;
const keyOf = (prefix: number, length: number): PrefixKey => (prefix >>> 0) * 64 + length;

/** One entry of the FIB as `show ip cef` lists it: a route's or a special one's. */
export interface FibEntry {
  prefix: number;
  length: number;
  pathList: PathList;
}

/** Formats prefix/length as IOS prints it (`10.1.1.0/24`). */
export function formatPrefix(prefix: number, length: number): string {
  return `${formatIpv4(prefix)}/${length}`;
}

/** The routing table of one router. */
export class Rib {
  /** The FIB kept in step with the installed routes. */
  readonly fib: Fib;
  private readonly maxPaths: number;
  private readonly interfaces = new Map<string, InterfaceState>();
  private readonly statics: StaticRouteConfig[] = [];
  private readonly dynamic = new NumberMap<RouteCandidate[]>();
  private installed = new NumberMap<InstalledRoute>();
  /** CEF entries that are not routes (cef-special.ts), by prefix/length, with their path list. */
  private special = new Map<PrefixKey, { prefix: number; length: number; pathList: number }>();
  private readonly pathLists: Array<PathList | undefined> = [];
  private readonly pathListRefs: number[] = [];
  /** Each live path list's key (pathListKey), so comparing a route's paths with its old list builds one string. */
  private readonly pathListKeys: string[] = [];
  /**
   * One shared path view per (interface, next hop) of the directly resolved kind, and a one-element list of it:
   * every route through the same neighbor points at the same objects instead of four of its own (a router with
   * thousands of routes through a few neighbors), and an unchanged route compares by identity.
   */
  private readonly directViews = new Map<
    string,
    Map<number | null, { view: RoutePathView; single: RoutePathView[] }>
  >();
  private directViewCount = 0;
  private readonly pathListByKey = new Map<string, number>();
  private readonly freePathLists: number[] = [];
  private readonly listeners: Array<(delta: RibDelta) => void> = [];
  /** Per-length sets of installed prefixes for longest-match over the RIB. */
  private lengthsPresent: number[] = [];
  /** Installed routes per prefix length (index 0-32), to keep lengthsPresent without a pass over the table. */
  private readonly lengthCounts: number[] = new Array(33).fill(0);
  private readonly incremental: boolean;
  /** An interface or a static changed (or nothing was committed yet): the next commit recomputes the table. */
  private wholeTableDirty = true;
  /** Prefixes whose dynamic candidates changed since the last commit. */
  private readonly dirtyKeys = new Set<PrefixKey>();
  /** The connected, local and static candidates of the last whole-table commit, by prefix (sorted with the rest). */
  private baseSlots = new Map<PrefixKey, RouteCandidate[]>();
  /** Next hops resolved through the table (recursive candidates) at the last whole-table commit. */
  private recursiveNextHops: number[] = [];
  /** Prefixes of the special CEF entries (taken by a route or not) at the last whole-table commit. */
  private specialKeys = new Set<PrefixKey>();

  constructor(options: RibOptions = {}) {
    this.fib = options.fib ?? createFib();
    this.maxPaths = options.maxPaths ?? 16;
    this.incremental = options.incremental ?? true;
  }

  // ---- inputs -------------------------------------------------------------

  /** Sets an interface's state and addresses (connected and local routes follow on commit). */
  setInterface(name: string, up: boolean, addresses: Array<{ address: number; length: number }> = []): void {
    this.wholeTableDirty = true;
    this.interfaces.set(name, {
      up,
      addresses: addresses.map((a) => ({ address: a.address >>> 0, length: a.length })),
    });
  }

  /** Forgets an interface. */
  removeInterface(name: string): void {
    this.wholeTableDirty = true;
    this.interfaces.delete(name);
  }

  /** Whether an interface exists and is up (Null0 always is). */
  interfaceUp(name: string): boolean {
    return name === NULL0 || this.interfaces.get(name)?.up === true;
  }

  /** Adds an `ip route` (replacing one with the same prefix, next hop and interface). */
  addStatic(route: StaticRouteConfig): void {
    const r = { ...route, prefix: networkOf(route.prefix, route.length) };
    this.removeStatic(r);
    this.statics.push(r);
    this.wholeTableDirty = true;
  }

  /** Removes an `ip route` matching prefix, length, next hop and interface; false if absent. */
  removeStatic(route: Pick<StaticRouteConfig, "prefix" | "length" | "nextHop" | "interface">): boolean {
    const prefix = networkOf(route.prefix, route.length);
    const i = this.statics.findIndex(
      (s) =>
        s.prefix === prefix &&
        s.length === route.length &&
        s.nextHop === route.nextHop &&
        s.interface === route.interface,
    );
    if (i < 0) return false;
    this.statics.splice(i, 1);
    this.wholeTableDirty = true;
    return true;
  }

  /** Configured statics, in configuration order. */
  staticRoutes(): readonly StaticRouteConfig[] {
    return this.statics;
  }

  /** Replaces every candidate of (source, owner) for one prefix; an empty list withdraws. */
  setCandidates(
    source: RouteSource,
    prefix: number,
    length: number,
    candidates: Array<Omit<RouteCandidate, "source" | "prefix" | "length">>,
    owner = "",
  ): void {
    const p = networkOf(prefix, length);
    const key = keyOf(p, length);
    const cur = this.dynamic.get(key);
    // The same candidates offered again (a protocol re-offering its whole table) change nothing: keep them.
    if (cur !== undefined && sameTail(cur, source, owner, candidates)) return;
    const kept = (cur ?? []).filter((c) => !(c.source === source && (c.owner ?? "") === owner));
    for (const c of candidates) kept.push({ ...c, source, prefix: p, length, owner });
    if (kept.length === 0) this.dynamic.delete(key);
    else this.dynamic.set(key, kept);
    this.dirtyKeys.add(key);
  }

  /** Withdraws every candidate of a source (optionally of one owner). */
  withdrawSource(source: RouteSource, owner?: string): void {
    for (const [key, list] of this.dynamic) {
      const kept = list.filter((c) => !(c.source === source && (owner === undefined || (c.owner ?? "") === owner)));
      if (kept.length === list.length) continue;
      if (kept.length === 0) this.dynamic.delete(key);
      else this.dynamic.set(key, kept);
      this.dirtyKeys.add(key);
    }
  }

  /**
   * Registers a listener called with the delta of every commit that changed something (inside commit:
   * a listener must not commit itself). Returns a function that removes the listener.
   */
  onChange(listener: (delta: RibDelta) => void): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  // ---- computation --------------------------------------------------------

  /** Recomputes the installed routes, updates the FIB and path lists, and reports the difference. */
  commit(): RibDelta {
    const delta = this.wholeTableDirty || !this.incremental ? this.commitAll() : this.commitChanged();
    if (delta.added.length + delta.changed.length + delta.removed.length > 0) {
      for (const l of this.listeners) l(delta);
    }
    return delta;
  }

  /** Recomputes every prefix. */
  private commitAll(): RibDelta {
    const slots = this.collectSlots();
    const selected = this.select(slots);
    const delta: RibDelta = { added: [], changed: [], removed: [] };
    const next = new NumberMap<InstalledRoute>();
    for (const [key, sel] of selected) this.install(key, sel, next, delta);
    for (const [key, old] of this.installed) {
      if (next.has(key)) continue;
      if (!this.special.has(key)) this.fib.remove(old.prefix, old.length);
      this.releasePathList(old.pathList);
      delta.removed.push({ prefix: old.prefix, length: old.length });
    }
    this.installed = next;
    this.installSpecial(next);
    this.lengthCounts.fill(0);
    for (const r of next.values()) this.lengthCounts[r.length]!++;
    this.updateLengthsPresent();
    this.wholeTableDirty = false;
    this.dirtyKeys.clear();
    return delta;
  }

  /**
   * Recomputes only the prefixes whose candidates changed. Safe while none of them holds a recursive candidate
   * (its next hop resolves through other prefixes) and none covers the next hop of a recursive candidate
   * elsewhere; otherwise the whole table is recomputed.
   */
  private commitChanged(): RibDelta {
    const delta: RibDelta = { added: [], changed: [], removed: [] };
    if (this.dirtyKeys.size === 0) return delta;
    const keys = [...this.dirtyKeys];
    const slots: Slot[] = [];
    for (const key of keys) {
      const base = this.baseSlots.get(key);
      const dynamic = this.dynamic.get(key);
      const candidates = [...(base ?? []), ...(dynamic ?? [])];
      if (candidates.some(isRecursive)) return this.commitAll();
      const length = key % 64;
      for (const nh of this.recursiveNextHops)
        if (keyOf(networkOf(nh, length), length) === key) return this.commitAll();
      candidates.sort(byPreference);
      // (A slot left without candidates only removes its route, which knows its own prefix.)
      slots.push({ prefix: candidates[0]?.prefix ?? 0, length, candidates });
    }
    this.dirtyKeys.clear();
    let specialTouched = false;
    slots.forEach((slot, i) => {
      const key = keys[i]!;
      if (this.specialKeys.has(key)) specialTouched = true;
      const sel = this.choose(slot, (c) => this.resolveDirect(c));
      const old = this.installed.get(key);
      if (sel !== null) {
        if (old === undefined) this.lengthCounts[sel.length]!++;
        this.install(key, sel, this.installed, delta);
        return;
      }
      if (old === undefined) return;
      this.installed.delete(key);
      this.lengthCounts[old.length]!--;
      if (!this.special.has(key)) this.fib.remove(old.prefix, old.length);
      this.releasePathList(old.pathList);
      delta.removed.push({ prefix: old.prefix, length: old.length });
    });
    if (specialTouched) this.installSpecial(this.installed);
    this.updateLengthsPresent();
    return delta;
  }

  /** Puts the selected route of `key` into `into` (and the FIB), reusing the installed one when nothing changed. */
  private install(key: PrefixKey, sel: Selected, into: NumberMap<InstalledRoute>, delta: RibDelta): void {
    const old = this.installed.get(key);
    let pathList: number;
    if (old && this.pathListIs(old.pathList, sel.kind, sel.paths)) {
      pathList = old.pathList;
    } else {
      pathList = this.acquirePathList(sel.kind, sel.paths, pathListKey(sel.kind, sel.paths));
      if (old) this.releasePathList(old.pathList);
    }
    const views = sel.views.length === 1 ? this.singleViewList(sel.views[0]!) : sel.views;
    const fresh: InstalledRoute = {
      prefix: sel.prefix,
      length: sel.length,
      source: sel.source,
      code: codeFor(sel),
      distance: sel.distance,
      metric: sel.metric,
      paths: views,
      pathList,
      ...(sel.tag !== undefined ? { tag: sel.tag } : {}),
      ...(sel.owner !== undefined ? { owner: sel.owner } : {}),
    };
    // An unchanged route keeps its object (nothing new retained per route per commit).
    const route = old !== undefined && sameRoute(old, fresh) && old.tag === fresh.tag ? old : fresh;
    into.set(key, route);
    if (!old) {
      delta.added.push({ prefix: sel.prefix, length: sel.length });
      this.fib.insert(sel.prefix, sel.length, pathList);
    } else {
      if (old.pathList !== pathList) this.fib.insert(sel.prefix, sel.length, pathList);
      if (route !== old && !sameRoute(old, route)) delta.changed.push({ prefix: sel.prefix, length: sel.length });
    }
  }

  private updateLengthsPresent(): void {
    const present: number[] = [];
    for (let l = 32; l >= 0; l--) if (this.lengthCounts[l]! > 0) present.push(l);
    this.lengthsPresent = present;
  }

  /** Keeps the special CEF entries in the FIB wherever no route holds the same prefix. */
  private installSpecial(routes: NumberMap<InstalledRoute>): void {
    const connected = [...routes.values()]
      .filter((r) => r.source === "connected")
      .map((r) => ({ prefix: r.prefix, length: r.length, interface: r.paths[0]?.interface ?? "" }));
    const next = new Map<PrefixKey, { prefix: number; length: number; pathList: number }>();
    const keys = new Set<PrefixKey>();
    for (const e of cefSpecialEntries(connected)) {
      const key = keyOf(e.prefix, e.length);
      keys.add(key);
      if (routes.has(key) || next.has(key)) continue;
      const plKey = pathListKey(e.kind, e.paths);
      const old = this.special.get(key);
      if (old !== undefined && this.pathListKeyOf(old.pathList) === plKey) {
        next.set(key, old);
        this.special.delete(key);
        continue;
      }
      const pathList = this.acquirePathList(e.kind, e.paths, plKey);
      this.fib.insert(e.prefix, e.length, pathList);
      next.set(key, { prefix: e.prefix, length: e.length, pathList });
    }
    // What is left of the old set is gone (or a route now holds its prefix, and the FIB points at the route).
    for (const [key, old] of this.special) {
      if (!next.has(key) && !routes.has(key)) this.fib.remove(old.prefix, old.length);
      this.releasePathList(old.pathList);
    }
    this.special = next;
    this.specialKeys = keys;
  }

  private collectSlots(): Map<PrefixKey, Slot> {
    const slots = new Map<PrefixKey, Slot>();
    const base = new Map<PrefixKey, RouteCandidate[]>();
    const recursive: number[] = [];
    let collectingBase = true;
    const add = (c: RouteCandidate): void => {
      const key = keyOf(c.prefix, c.length);
      let slot = slots.get(key);
      if (!slot) slots.set(key, (slot = { prefix: c.prefix, length: c.length, candidates: [] }));
      slot.candidates.push(c);
      if (isRecursive(c)) recursive.push(c.nextHop!);
      if (!collectingBase) return;
      const list = base.get(key);
      if (list === undefined) base.set(key, [c]);
      else list.push(c);
    };
    for (const [name, st] of this.interfaces) {
      if (!st.up) continue;
      for (const a of st.addresses) {
        if (a.length < 32)
          add({ source: "connected", prefix: networkOf(a.address, a.length), length: a.length, interface: name });
        add({ source: "local", prefix: a.address, length: 32, interface: name });
      }
    }
    for (const s of this.statics) {
      add({
        source: "static",
        prefix: s.prefix,
        length: s.length,
        distance: s.distance ?? DEFAULT_DISTANCE.static,
        metric: 0,
        ...(s.nextHop !== undefined ? { nextHop: s.nextHop } : {}),
        ...(s.interface !== undefined ? { interface: s.interface } : {}),
        ...(s.tag !== undefined ? { tag: s.tag } : {}),
        ...(s.permanent ? { owner: "permanent" } : {}),
      });
    }
    collectingBase = false;
    for (const list of this.dynamic.values()) for (const c of list) add(c);
    for (const slot of slots.values()) slot.candidates.sort(byPreference);
    this.baseSlots = base;
    this.recursiveNextHops = recursive;
    return slots;
  }

  /** The best valid route of one prefix from its sorted candidates, and its ECMP paths; null if none is valid. */
  private choose(slot: Slot, resolve: (c: RouteCandidate) => RoutePathView | null): Selected | null {
    let chosen: Selected | null = null;
    for (const c of slot.candidates) {
      if (
        chosen &&
        (distanceOf(c) !== chosen.distance || c.source !== chosen.source || (c.metric ?? 0) !== chosen.metric)
      )
        break;
      const view = resolve(c);
      if (!view) continue;
      if (!chosen) {
        chosen = {
          prefix: slot.prefix,
          length: slot.length,
          source: c.source,
          distance: distanceOf(c),
          metric: c.metric ?? 0,
          kind: c.source === "local" ? "receive" : c.interface === NULL0 ? "drop" : "forward",
          views: [],
          paths: [],
          ...(c.subtype !== undefined ? { subtype: c.subtype } : {}),
          ...(c.tag !== undefined ? { tag: c.tag } : {}),
          ...(c.owner && c.source !== "static" ? { owner: c.owner } : {}),
        };
      }
      if (chosen.paths.length >= this.maxPaths) break;
      chosen.views.push(view);
      for (const p of view.resolved) {
        if (
          chosen.paths.length < this.maxPaths &&
          !chosen.paths.some((q) => q.nextHop === p.nextHop && q.interface === p.interface)
        )
          chosen.paths.push(p);
      }
    }
    return chosen;
  }

  /** A candidate that names its interface (or is connected or local), resolved without the rest of the table. */
  private resolveDirect(c: RouteCandidate): RoutePathView | null {
    if (c.source === "local" || c.source === "connected") {
      return this.interfaceUp(c.interface!) ? this.directView(c.interface!, null).view : null;
    }
    if (c.interface === undefined) return null;
    const up = this.interfaceUp(c.interface) || (c.source === "static" && c.owner === "permanent");
    if (!up) return null;
    return this.directView(c.interface, c.nextHop ?? null).view;
  }

  private select(slots: Map<PrefixKey, Slot>): Map<PrefixKey, Selected> {
    const memo = new Map<PrefixKey, Memo>();
    const lengths = [...new Set([...slots.values()].map((s) => s.length))].sort((a, b) => b - a);

    // Best valid route of one prefix, computed once; "busy" marks a resolution loop.
    const best = (key: PrefixKey): Selected | null | "loop" => {
      const m = memo.get(key);
      if (m) return m.state === "busy" ? "loop" : m.route;
      const slot = slots.get(key);
      if (!slot) return null;
      memo.set(key, { state: "busy" });
      const chosen = this.choose(slot, (c) => resolveCandidate(c, key));
      memo.set(key, { state: "done", route: chosen });
      return chosen;
    };

    // Longest match for an address among valid routes, skipping the asking prefix.
    const resolveAddress = (address: number, exclude: PrefixKey): Selected | null => {
      for (const l of lengths) {
        const key = keyOf(networkOf(address, l), l);
        if (key === exclude || !slots.has(key)) continue;
        const r = best(key);
        if (r === "loop") return null;
        if (r) return r;
      }
      return null;
    };

    const resolveCandidate = (c: RouteCandidate, selfKey: PrefixKey): RoutePathView | null => {
      if (!isRecursive(c)) return this.resolveDirect(c);
      if (c.nextHop === undefined) return null;
      const via = resolveAddress(c.nextHop, selfKey);
      if (!via || via.kind === "receive") return null;
      if (via.kind === "drop")
        return { via: c.nextHop, interface: null, resolved: [{ nextHop: null, interface: NULL0 }] };
      const resolved = via.paths.map((p) => ({ nextHop: p.nextHop ?? c.nextHop!, interface: p.interface }));
      return { via: c.nextHop, interface: null, resolved };
    };

    const out = new Map<PrefixKey, Selected>();
    for (const key of slots.keys()) {
      const r = best(key);
      if (r && r !== "loop") out.set(key, r);
    }
    return out;
  }

  /** Whether a live path list holds exactly these paths (what comparing their keys says, without building one). */
  private pathListIs(index: number, kind: PathListKind, paths: FibPath[]): boolean {
    const pl = this.pathLists[index];
    if (pl === undefined || pl.kind !== kind || pl.paths.length !== paths.length) return false;
    for (let i = 0; i < paths.length; i++) {
      const p = pl.paths[i]!;
      const q = paths[i]!;
      if (p.nextHop !== q.nextHop || p.interface !== q.interface) return false;
    }
    return true;
  }

  private pathListKeyOf(index: number): string | undefined {
    return this.pathLists[index] === undefined ? undefined : this.pathListKeys[index];
  }

  /** The shared view of a path straight out of an interface (to a next hop, or attached with null). */
  private directView(ifc: string, nextHop: number | null): { view: RoutePathView; single: RoutePathView[] } {
    let byHop = this.directViews.get(ifc);
    if (byHop === undefined) this.directViews.set(ifc, (byHop = new Map()));
    let v = byHop.get(nextHop);
    if (v === undefined) {
      // Bounded: forgetting the table only costs sharing (routes keep the objects they hold).
      if (this.directViewCount >= 65_536) {
        this.directViews.clear();
        this.directViewCount = 0;
        this.directViews.set(ifc, byHop);
        byHop.clear();
      }
      const view: RoutePathView = { via: nextHop, interface: ifc, resolved: [{ nextHop, interface: ifc }] };
      v = { view, single: [view] };
      byHop.set(nextHop, v);
      this.directViewCount++;
    }
    return v;
  }

  /** A route's list of one path: the shared one-element list when the view is a shared direct view. */
  private singleViewList(view: RoutePathView): RoutePathView[] {
    if (view.interface !== null) {
      const shared = this.directViews.get(view.interface)?.get(view.via);
      if (shared !== undefined && shared.view === view) return shared.single;
    }
    return [view];
  }

  private acquirePathList(kind: PathListKind, paths: FibPath[], key: string): number {
    const existing = this.pathListByKey.get(key);
    if (existing !== undefined) {
      this.pathListRefs[existing]!++;
      return existing;
    }
    const index = this.freePathLists.pop() ?? this.pathLists.length;
    this.pathLists[index] = { index, kind, paths: paths.map((p) => ({ ...p })) };
    this.pathListRefs[index] = 1;
    this.pathListKeys[index] = key;
    this.pathListByKey.set(key, index);
    return index;
  }

  private releasePathList(index: number): void {
    const refs = --this.pathListRefs[index]!;
    if (refs > 0) return;
    this.pathListByKey.delete(this.pathListKeys[index]!);
    this.pathLists[index] = undefined;
    this.freePathLists.push(index);
  }

  // ---- queries ------------------------------------------------------------

  /** The path list a FIB index refers to. */
  pathList(index: number): PathList | undefined {
    return index === FIB_MISS ? undefined : this.pathLists[index];
  }

  /** Every FIB entry, routes and special entries, by prefix then length (`show ip cef`). */
  fibEntries(): FibEntry[] {
    const out: FibEntry[] = [];
    for (const r of this.installed.values())
      out.push({ prefix: r.prefix, length: r.length, pathList: this.pathLists[r.pathList]! });
    for (const e of this.special.values())
      out.push({ prefix: e.prefix, length: e.length, pathList: this.pathLists[e.pathList]! });
    return out.sort((a, b) => (a.prefix >>> 0) - (b.prefix >>> 0) || a.length - b.length);
  }

  /** CEF forwarding decision for a destination: the path list of the longest match. */
  forward(destination: number): PathList | undefined {
    return this.pathList(this.fib.lookup(destination));
  }

  /** Installed routes in `show ip route` order (by prefix, then length). */
  routes(): InstalledRoute[] {
    return [...this.installed.values()].sort((a, b) => a.prefix - b.prefix || a.length - b.length);
  }

  /** Installed routes of one source (`show ip route static`). */
  routesOf(source: RouteSource): InstalledRoute[] {
    return this.routes().filter((r) => r.source === source || (source === "ebgp" && r.source === "ibgp"));
  }

  /** The installed route for exactly prefix/length (`show ip route 10.1.1.0 255.255.255.0`). */
  route(prefix: number, length: number): InstalledRoute | undefined {
    return this.installed.get(keyOf(networkOf(prefix, length), length));
  }

  /** The longest installed match for an address (`show ip route 10.1.1.1`). */
  lookup(address: number): InstalledRoute | undefined {
    for (const l of this.lengthsPresent) {
      const r = this.installed.get(keyOf(networkOf(address, l), l));
      if (r) return r;
    }
    return undefined;
  }

  /** Number of installed routes. */
  get size(): number {
    return this.installed.size;
  }

  /** `Gateway of last resort is ...` line for `show ip route`. */
  gatewayOfLastResort(): string {
    const d = this.installed.get(keyOf(0, 0));
    if (!d) return "Gateway of last resort is not set";
    const first = d.paths[0];
    const gw = first?.via ?? 0;
    return `Gateway of last resort is ${formatIpv4(gw)} to network 0.0.0.0`;
  }

  /** Installed routes grouped by classful major network, with IOS's subnet header data. */
  classfulGroups(): Array<{ major: number; majorLength: number; header: string | null; routes: InstalledRoute[] }> {
    const groups = new Map<number, InstalledRoute[]>();
    const order: number[] = [];
    for (const r of this.routes()) {
      const ml = classfulLength(r.prefix);
      const major = r.length >= ml ? networkOf(r.prefix, ml) : r.prefix;
      const gkey = r.length >= ml ? major : -1 - order.length; // supernets stand alone
      if (!groups.has(gkey)) {
        groups.set(gkey, []);
        order.push(gkey);
      }
      groups.get(gkey)!.push(r);
    }
    return order.map((gkey) => {
      const routes = groups.get(gkey)!;
      const first = routes[0]!;
      const ml = classfulLength(first.prefix);
      const major = networkOf(first.prefix, ml);
      if (gkey < 0 || (routes.length === 1 && first.length === ml))
        return { major: first.prefix, majorLength: first.length, header: null, routes };
      const masks = new Set(routes.map((r) => r.length));
      const n = routes.length;
      const header =
        masks.size === 1
          ? `${formatPrefix(major, ml)} is subnetted, ${n} subnets`.replace(/\/\d+ is/, `/${first.length} is`)
          : `${formatPrefix(major, ml)} is variably subnetted, ${n} subnets, ${masks.size} masks`;
      return { major, majorLength: ml, header, routes };
    });
  }
}

/** Classful (A/B/C) length of an address; 32 for class D/E. */
export function classfulLength(address: number): number {
  const a = address >>> 0;
  if (a < 0x80000000) return 8;
  if (a < 0xc0000000) return 16;
  if (a < 0xe0000000) return 24;
  return 32;
}

function distanceOf(c: RouteCandidate): number {
  return c.distance ?? DEFAULT_DISTANCE[c.source];
}

/** Candidates of one prefix in preference order: distance, then source, then metric. */
function byPreference(a: RouteCandidate, b: RouteCandidate): number {
  return (
    distanceOf(a) - distanceOf(b) || SOURCE_RANK[a.source] - SOURCE_RANK[b.source] || (a.metric ?? 0) - (b.metric ?? 0)
  );
}

/** A candidate resolved through the table: a next hop and no interface. */
function isRecursive(c: RouteCandidate): boolean {
  return c.interface === undefined && c.nextHop !== undefined && c.source !== "local" && c.source !== "connected";
}

/** Route codes built once each ("O IA" is one string shared by every such route, not one per route). */
const CODES = new Map<string, string>();

function codeFor(sel: Selected): string {
  const star = sel.length === 0 ? "*" : "";
  if (!star && !sel.subtype) return ROUTE_CODE[sel.source];
  const code = ROUTE_CODE[sel.source] + star;
  const text = !sel.subtype ? code : star ? code + sel.subtype : `${code} ${sel.subtype}`;
  let shared = CODES.get(text);
  if (shared === undefined) {
    if (CODES.size > 1024) CODES.clear();
    CODES.set(text, (shared = text));
  }
  return shared;
}

function pathListKey(kind: PathListKind, paths: FibPath[]): string {
  return `${kind}:${paths.map((p) => `${p.nextHop ?? "-"}@${p.interface}`).join(",")}`;
}

function sameRoute(a: InstalledRoute, b: InstalledRoute): boolean {
  return (
    a.source === b.source &&
    a.distance === b.distance &&
    a.metric === b.metric &&
    a.pathList === b.pathList &&
    a.code === b.code &&
    a.tag === b.tag &&
    a.owner === b.owner &&
    samePaths(a.paths, b.paths)
  );
}

const CANDIDATE_FIELDS = ["distance", "metric", "nextHop", "interface", "subtype", "tag"] as const;

/**
 * Whether a prefix's stored candidates end with exactly these of (source, owner), in this order, and hold no other
 * of (source, owner): replacing them would then leave the list as it is.
 */
function sameTail(
  stored: RouteCandidate[],
  source: RouteSource,
  owner: string,
  offered: Array<Omit<RouteCandidate, "source" | "prefix" | "length">>,
): boolean {
  const mine = (c: RouteCandidate) => c.source === source && (c.owner ?? "") === owner;
  const start = stored.length - offered.length;
  if (start < 0) return false;
  for (let i = 0; i < start; i++) if (mine(stored[i]!)) return false;
  for (let i = 0; i < offered.length; i++) {
    const s = stored[start + i]!;
    const o = offered[i]!;
    if (!mine(s)) return false;
    // A field absent on one side and undefined on the other is the same candidate to the selection.
    for (const f of CANDIDATE_FIELDS) if (s[f] !== o[f]) return false;
  }
  return true;
}

/** Equal path views: the same shared objects, else equal contents. */
function samePaths(a: RoutePathView[], b: RoutePathView[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && JSON.stringify(a[i]) !== JSON.stringify(b[i])) return false;
  return true;
}

/** The mask of a prefix length as dotted quad (for `show ip route` detail lines). */
export function formatMask(length: number): string {
  return formatIpv4(maskOf(length));
}
