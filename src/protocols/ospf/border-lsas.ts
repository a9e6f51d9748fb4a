// The LSAs a border router originates besides its router- and network-LSAs,
// as pure functions of its routing table and configuration:
// - an ABR's summary-LSAs (RFC 2328 12.4.3): intra-area routes of each area
//   into the others (through `area X range` aggregates), backbone inter-area
//   routes into non-backbone areas, ASBR-summaries into normal areas, the
//   default summary into stub areas and totally stubby/NSSA areas, and none
//   but that default where `no-summary` is set;
// - an ASBR's AS-external-LSAs (12.4.4) for redistributed and default routes
//   (through `summary-address` aggregates), or NSSA-LSAs inside an NSSA
//   (RFC 3101 2.4, P bit set, forwarding address in the NSSA);
// - an NSSA ABR's type-7 default (`area X nssa default-information-originate`)
//   and its translation of type-7 LSAs with the P bit into type-5 (RFC 3101 3.2)
//   when it is the translator (highest router ID among the NSSA's ABRs).

import type { TimeNs } from "../../runtime/device.ts";
import { LSA_TYPE, type LsaBody, OSPF_MAX_AGE, OSPF_OPTION, ROUTER_LSA_FLAG } from "../../wire/ospf/index.ts";
import { entryAge, type Lsdb } from "./lsdb.ts";
import type { OspfAreaSettings } from "./ospf-config.ts";
import { type BorderRouter, maskLength, type OspfRoute } from "./routing-table.ts";
import type { SpfResult } from "./spf.ts";

/** One LSA this router wants in a database: `area` null for the AS-wide type-5 database. */
export interface WantedLsa {
  area: number | null;
  type: number;
  linkStateId: number;
  options: number;
  body: LsaBody;
}

/** A route this router redistributes into OSPF. */
export interface ExternalSource {
  prefix: number;
  length: number;
  metric: number;
  type2: boolean;
  tag: number;
}

const maskOf = (len: number): number => (len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0);
const within = (p: number, l: number, range: { prefix: number; length: number }) =>
  l >= range.length && ((p ^ range.prefix) & maskOf(range.length)) >>> 0 === 0;

/** Link State IDs for (prefix, length) pairs per RFC 2328 appendix E: a clash sets the longer one's host bits. */
function lsIds(entries: Array<{ prefix: number; length: number }>): Map<string, number> {
  const ids = new Map<string, number>();
  const byId = new Map<number, number>();
  for (const e of [...entries].sort((a, b) => a.length - b.length)) {
    let id = e.prefix >>> 0;
    if (byId.has(id) && byId.get(id) !== e.length) id = (e.prefix | ~maskOf(e.length)) >>> 0;
    byId.set(id, e.length);
    ids.set(`${e.prefix >>> 0}/${e.length}`, id);
  }
  return ids;
}

export interface AreaView {
  id: number;
  settings: OspfAreaSettings;
  db: Lsdb;
  spf: SpfResult;
  /** The highest address of this router's interfaces in the area (NSSA forwarding address). */
  highestAddress: number;
}

/** An ABR's summary-LSAs, default summaries and ASBR-summaries for every attached area. */
export function abrSummaries(areas: AreaView[], routes: OspfRoute[], border: BorderRouter[]): WantedLsa[] {
  const out: WantedLsa[] = [];
  for (const a of areas) {
    const options = a.settings.type === "normal" ? OSPF_OPTION.E : a.settings.type === "nssa" ? OSPF_OPTION.NP : 0;
    const summaries: Array<{ prefix: number; length: number; metric: number }> = [];
    const stubby = a.settings.type !== "normal";
    if (a.settings.type === "stub" || (a.settings.type === "nssa" && a.settings.noSummary))
      summaries.push({ prefix: 0, length: 0, metric: a.settings.defaultCost });
    if (!(stubby && a.settings.noSummary)) {
      const ranged = new Map<string, { prefix: number; length: number; metric: number; advertise: boolean }>();
      for (const r of routes) {
        if (r.area === a.id || r.area === undefined) continue;
        if (r.type === "inter" && a.id === 0) continue;
        if (r.type !== "intra" && r.type !== "inter") continue;
        const source = areas.find((x) => x.id === r.area);
        const range =
          r.type === "intra" ? source?.settings.ranges.find((g) => within(r.prefix, r.length, g)) : undefined;
        if (range !== undefined) {
          const k = `${range.prefix}/${range.length}`;
          const cur = ranged.get(k);
          // RFC 2328 12.4.3: the range's cost is the highest of its components.
          if (cur === undefined)
            ranged.set(k, { prefix: range.prefix, length: range.length, metric: r.cost, advertise: range.advertise });
          else cur.metric = Math.max(cur.metric, r.cost);
          continue;
        }
        summaries.push({ prefix: r.prefix, length: r.length, metric: r.cost });
      }
      for (const g of ranged.values()) if (g.advertise) summaries.push(g);
    }
    const ids = lsIds(summaries);
    for (const s of summaries)
      out.push({
        area: a.id,
        type: LSA_TYPE.SUMMARY,
        linkStateId: ids.get(`${s.prefix >>> 0}/${s.length}`)!,
        options,
        body: { kind: "summary", mask: maskOf(s.length), metric: s.metric, tos: [] },
      });
    if (a.settings.type !== "normal") continue;
    // ASBR-summaries: ASBRs of normal areas other than this one (an NSSA's ASBRs are represented by its translator).
    const seen = new Set<number>();
    for (const b of border) {
      if (!b.asbr || b.area === a.id || seen.has(b.routerId)) continue;
      if (areas.find((x) => x.id === b.area)?.settings.type !== "normal") continue;
      if (b.interArea && a.id === 0) continue;
      seen.add(b.routerId);
      out.push({
        area: a.id,
        type: LSA_TYPE.ASBR_SUMMARY,
        linkStateId: b.routerId,
        options,
        body: { kind: "asbrSummary", mask: 0, metric: b.cost, tos: [] },
      });
    }
  }
  return out;
}

/** Applies `summary-address` aggregates: a summary replaces the routes it covers (lowest metric, as IOS). */
export function aggregateExternals(
  sources: ExternalSource[],
  summaries: Array<{ prefix: number; length: number }>,
): ExternalSource[] {
  const out: ExternalSource[] = [];
  const agg = new Map<string, ExternalSource>();
  for (const s of sources) {
    const sum = summaries.find(
      (g) => within(s.prefix, s.length, g) && !(g.length === s.length && g.prefix === s.prefix),
    );
    if (sum === undefined) {
      out.push(s);
      continue;
    }
    const k = `${sum.prefix}/${sum.length}`;
    const cur = agg.get(k);
    if (cur === undefined) agg.set(k, { ...s, prefix: sum.prefix, length: sum.length });
    else cur.metric = Math.min(cur.metric, s.metric);
  }
  return [...out, ...agg.values()];
}

/**
 * An ASBR's external LSAs: type 5 when it has a normal area; type 7 into each NSSA it has, with the P bit
 * when it is not an ABR and a forwarding address of its own in that NSSA.
 */
export function asbrExternals(sources: ExternalSource[], areas: AreaView[], isAbr: boolean): WantedLsa[] {
  const out: WantedLsa[] = [];
  const ids = lsIds(sources);
  const body = (s: ExternalSource, kind: "external" | "nssa", fa: number): LsaBody => ({
    kind,
    mask: maskOf(s.length),
    type2: s.type2,
    metric: s.metric,
    forwardingAddress: fa,
    routeTag: s.tag,
    tos: [],
  });
  if (areas.some((a) => a.settings.type === "normal"))
    for (const s of sources)
      out.push({
        area: null,
        type: LSA_TYPE.AS_EXTERNAL,
        linkStateId: ids.get(`${s.prefix >>> 0}/${s.length}`)!,
        options: OSPF_OPTION.E,
        body: body(s, "external", 0),
      });
  for (const a of areas) {
    if (a.settings.type !== "nssa") continue;
    for (const s of sources)
      out.push({
        area: a.id,
        type: LSA_TYPE.NSSA_EXTERNAL,
        linkStateId: ids.get(`${s.prefix >>> 0}/${s.length}`)!,
        options: isAbr ? 0 : OSPF_OPTION.NP,
        body: body(s, "nssa", isAbr ? 0 : a.highestAddress),
      });
  }
  return out;
}

/** An NSSA ABR's type-7 defaults and, where it is the translator, type-5 translations of type-7 LSAs. */
export function nssaAbrLsas(routerId: number, areas: AreaView[], now: TimeNs): WantedLsa[] {
  const out: WantedLsa[] = [];
  const translated: Array<{ prefix: number; length: number; body: LsaBody }> = [];
  for (const a of areas) {
    if (a.settings.type !== "nssa") continue;
    if (a.settings.nssaDefaultOriginate)
      out.push({
        area: a.id,
        type: LSA_TYPE.NSSA_EXTERNAL,
        linkStateId: 0,
        options: 0,
        body: { kind: "nssa", mask: 0, type2: true, metric: 1, forwardingAddress: 0, routeTag: 0, tos: [] },
      });
    // The translator: the highest router ID among the NSSA's reachable ABRs and this one.
    const otherAbrs = [...a.spf.routers].filter(([, r]) => (r.flags & ROUTER_LSA_FLAG.B) !== 0).map(([id]) => id >>> 0);
    if (otherAbrs.some((id) => id > routerId >>> 0)) continue;
    for (const e of a.db.ofType(LSA_TYPE.NSSA_EXTERNAL)) {
      const b = e.lsa.body;
      const h = e.lsa.header;
      if (b.kind !== "nssa" || h.advertisingRouter === routerId || entryAge(e, now) >= OSPF_MAX_AGE) continue;
      if ((h.options & OSPF_OPTION.NP) === 0 || b.forwardingAddress === 0 || b.mask === 0) continue;
      if (!a.spf.routers.has(h.advertisingRouter >>> 0)) continue;
      translated.push({
        prefix: (h.linkStateId & b.mask) >>> 0,
        length: maskLength(b.mask),
        body: { ...b, kind: "external" },
      });
    }
  }
  const ids = lsIds(translated);
  for (const t of translated)
    out.push({
      area: null,
      type: LSA_TYPE.AS_EXTERNAL,
      linkStateId: ids.get(`${t.prefix}/${t.length}`)!,
      options: OSPF_OPTION.E,
      body: t.body,
    });
  return out;
}
