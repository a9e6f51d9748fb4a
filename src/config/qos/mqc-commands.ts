// The MQC commands as IOS 15 takes them: `class-map [match-all|match-any] NAME`
// (config-cmap: match access-group N | name NAME, match [ip] dscp, match [ip]
// precedence, match protocol, match any), `policy-map NAME` (config-pmap:
// class NAME, entering config-pmap-c: bandwidth KBPS | percent N | remaining
// percent N, priority KBPS [BURST] | percent N [BURST], fair-queue [N],
// queue-limit N, police cir ... conform-action ... exceed-action ...
// [violate-action ...], shape average|peak CIR [Bc [Be]], set [ip] dscp|precedence,
// drop, service-policy CHILD), and on interfaces service-policy input|output
// NAME and max-reserved-bandwidth N, with IOS's refusals: a class-map or
// policy-map that does not exist, bandwidth units that differ between classes,
// bandwidth beside priority, and reservations beyond what the interface has
// (checked when a policy is attached, and again when an attached policy is
// edited: the edit is undone).

import { DSCP_NAMES, PRECEDENCE_NAMES } from "../../dataplane/acl.ts";
import type { RouterInterface } from "../../dataplane/pipeline/router-interface.ts";
import { admissionError, bandwidthUnitsError } from "../../dataplane/qos/mqc-admission.ts";
import { MATCH_PROTOCOLS } from "../../dataplane/qos/mqc-classify.ts";
import { defaultPoliceBurstBytes, defaultShapeBcBits } from "../../dataplane/qos/mqc-meter.ts";
import {
  CLASS_DEFAULT,
  type ClassMap,
  type MatchCriterion,
  type PoliceAction,
  type PolicyClass,
  type PolicyMap,
  policyQueues,
} from "../../dataplane/qos/mqc-policy.ts";
import type { Args } from "../cli/grammar.ts";
import type { CommandContext, CommandSpec, CommandTable, HandlerResult } from "../cli/modes.ts";
import type { RouterDevice } from "../router/router-device.ts";
import { type MqcState, mqc, noteInterface } from "./mqc-store.ts";

type Ctx = CommandContext<RouterDevice>;

/** Modes: inside a class-map, a policy-map, and a class of a policy-map. */
export const CMAP_MODE = "config-cmap";
export const PMAP_MODE = "config-pmap";
export const PMAP_CLASS_MODE = "config-pmap-c";

const words = (text: unknown): string[] =>
  text === undefined
    ? []
    : String(text)
        .trim()
        .split(/\s+/)
        .filter((w) => w !== "");

/** A DSCP value typed as a number 0-63 or an IOS name (ef, af41, cs3, default). */
export function parseDscp(w: string): number | undefined {
  if (/^\d+$/.test(w)) return Number(w) <= 63 ? Number(w) : undefined;
  return DSCP_NAMES[w.toLowerCase()];
}

/** A precedence typed as 0-7 or its IOS name (critical, flash, ...). */
export function parsePrecedence(w: string): number | undefined {
  if (/^\d+$/.test(w)) return Number(w) <= 7 ? Number(w) : undefined;
  return PRECEDENCE_NAMES[w.toLowerCase()];
}

// ---- class-map ----

function classMapHandler(a: Args, ctx: Ctx): HandlerResult {
  const s = mqc(ctx.device);
  const name = String(a.name);
  if (name === CLASS_DEFAULT) return ctx.negated ? "% Cannot delete class-default" : undefined;
  if (ctx.negated) {
    const used = [...s.policyMaps.values()].find((p) => p.classes.some((c) => c.name === name));
    if (used !== undefined) return `% Class-map ${name} is being used`;
    s.classMaps.delete(name);
    return;
  }
  let cm = s.classMaps.get(name);
  if (cm === undefined) {
    cm = { name, matchAll: a.type !== "match-any", matches: [] };
    s.classMaps.set(name, cm);
  } else if (a.type !== undefined) cm.matchAll = a.type === "match-all";
  ctx.enter(CMAP_MODE, name);
}

/** Wraps a config-cmap handler: the class-map of the mode's frame. */
function onClassMap(fn: (cm: ClassMap, a: Args, ctx: Ctx) => HandlerResult) {
  return (a: Args, ctx: Ctx): HandlerResult => {
    const cm = mqc(ctx.device).classMaps.get(String(ctx.data));
    if (cm === undefined) return "% Class-map no longer exists";
    return fn(cm, a, ctx);
  };
}

/** Adds a match line (once), or removes the same one. */
function editMatch(cm: ClassMap, m: MatchCriterion, negated: boolean): void {
  const key = JSON.stringify(m);
  const i = cm.matches.findIndex((x) => JSON.stringify(x) === key);
  if (negated) {
    if (i >= 0) cm.matches.splice(i, 1);
  } else if (i < 0) cm.matches.push(m);
}

function valueList(text: unknown, parse: (w: string) => number | undefined, max: number): number[] | string {
  const list = words(text);
  if (list.length > max) return `% Only ${max} values are allowed in one match statement`;
  const out: number[] = [];
  for (const w of list) {
    const v = parse(w);
    if (v === undefined) return `% Invalid value ${w}`;
    if (!out.includes(v)) out.push(v);
  }
  return out;
}

const PROTOCOL_CHOICE = `{${Object.keys(MATCH_PROTOCOLS).join(" | ")}}:protocol`;

const classMapSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "match access-group <1-2699>:number",
    no: true,
    handler: onClassMap((cm, a, ctx) =>
      editMatch(cm, { kind: "access-group", acl: String(a.number), named: false }, ctx.negated),
    ),
  },
  {
    syntax: "match access-group name WORD:acl",
    no: true,
    handler: onClassMap((cm, a, ctx) =>
      editMatch(cm, { kind: "access-group", acl: String(a.acl), named: true }, ctx.negated),
    ),
  },
  {
    syntax: "match [ip]:ip dscp LINE:values",
    no: true,
    handler: onClassMap((cm, a, ctx) => {
      const values = valueList(a.values, parseDscp, 8);
      if (typeof values === "string") return values;
      editMatch(cm, { kind: "dscp", values }, ctx.negated);
    }),
  },
  {
    syntax: "match [ip]:ip precedence LINE:values",
    no: true,
    handler: onClassMap((cm, a, ctx) => {
      const values = valueList(a.values, parsePrecedence, 4);
      if (typeof values === "string") return values;
      editMatch(cm, { kind: "precedence", values }, ctx.negated);
    }),
  },
  {
    syntax: `match protocol ${PROTOCOL_CHOICE}`,
    no: true,
    handler: onClassMap((cm, a, ctx) => editMatch(cm, { kind: "protocol", protocol: String(a.protocol) }, ctx.negated)),
  },
  {
    syntax: "match any",
    no: true,
    handler: onClassMap((cm, _a, ctx) => editMatch(cm, { kind: "any" }, ctx.negated)),
  },
];

// ---- policy-map ----

function policyMapHandler(a: Args, ctx: Ctx): HandlerResult {
  const s = mqc(ctx.device);
  const name = String(a.name);
  if (ctx.negated) {
    if (!s.policyMaps.has(name)) return;
    const users = s.service.attachedInterfaces().filter((i) => {
      const p = s.service.existing(i);
      return p?.input?.policy.name === name || p?.output?.policy.name === name;
    });
    if (users.length > 0) return `% Policy map ${name} is being used by ${users[0]!.name}`;
    s.policyMaps.delete(name);
    s.service.policiesChanged();
    return;
  }
  if (!s.policyMaps.has(name)) s.policyMaps.set(name, { name, classes: [] });
  ctx.enter(PMAP_MODE, name);
}

function classHandler(a: Args, ctx: Ctx): HandlerResult {
  const s = mqc(ctx.device);
  const policy = s.policyMaps.get(String(ctx.data));
  if (policy === undefined) return "% Policy-map no longer exists";
  const name = String(a.name);
  if (ctx.negated) {
    const i = policy.classes.findIndex((c) => c.name === name);
    if (i >= 0) policy.classes.splice(i, 1);
    return changed(s, policy, () => {});
  }
  if (name !== CLASS_DEFAULT && !s.classMaps.has(name)) return `% class-map ${name} not configured`;
  if (!policy.classes.some((c) => c.name === name)) policy.classes.push({ name });
  ctx.enter(PMAP_CLASS_MODE, { policy: policy.name, cls: name });
}

/** Re-checks the interfaces an edited policy is attached to; on a refusal the edit is undone with `undo`. */
function changed(s: MqcState, policy: PolicyMap, undo: () => void): HandlerResult {
  for (const ifc of s.service.attachedInterfaces()) {
    const p = s.service.existing(ifc)!;
    for (const dir of ["input", "output"] as const) {
      const a = p[dir];
      if (a === undefined) continue;
      const uses = a.policy.name === policy.name || a.policy.classes.some((c) => c.servicePolicy === policy.name);
      if (!uses) continue;
      const root = s.policyMaps.get(a.policy.name);
      if (root === undefined) continue;
      if (dir === "output" && ifc.port === null && (policyQueues(root) || root.classes.some((c) => c.servicePolicy))) {
        undo();
        return `Class Based Weighted Fair Queueing not supported on interface ${ifc.name}`;
      }
      const err = admissionError(root, ifc.name, dir, ifc.bandwidthKbps, p.maxReservedPercent, (n) =>
        s.policyMaps.get(n),
      );
      if (err !== null) {
        undo();
        return err;
      }
    }
  }
  s.service.policiesChanged();
}

/** Wraps a config-pmap-c handler: the class of the frame's policy; the edit is checked against attachments. */
function onClass(fn: (c: PolicyClass, policy: PolicyMap, a: Args, ctx: Ctx) => HandlerResult) {
  return (a: Args, ctx: Ctx): HandlerResult => {
    const s = mqc(ctx.device);
    const frame = ctx.data as { policy: string; cls: string };
    const policy = s.policyMaps.get(frame.policy);
    const c = policy?.classes.find((x) => x.name === frame.cls);
    if (policy === undefined || c === undefined) return "% Policy-map class no longer exists";
    const before = structuredClone(c);
    const result = fn(c, policy, a, ctx);
    if (typeof result === "string" && result !== "") return result;
    const again = changed(s, policy, () => {
      for (const k of Object.keys(c) as (keyof PolicyClass)[]) if (k !== "name") delete c[k];
      Object.assign(c, before);
    });
    return again ?? result;
  };
}

function policeAction(kind: unknown, dscp: unknown, prec: unknown, fallback: PoliceAction): PoliceAction | string {
  switch (kind) {
    case undefined:
      return fallback;
    case "transmit":
      return { kind: "transmit" };
    case "drop":
      return { kind: "drop" };
    case "set-dscp-transmit": {
      const v = parseDscp(String(dscp));
      return v === undefined ? `% Invalid DSCP value ${String(dscp)}` : { kind: "set-dscp-transmit", value: v };
    }
    default:
      return { kind: "set-prec-transmit", value: Number(prec) };
  }
}

const ACTION = (tag: string): string =>
  `{transmit | drop | set-dscp-transmit WORD:${tag}dscp | set-prec-transmit <0-7>:${tag}prec}`;

const POLICE_TAIL = `[conform-action ${ACTION("c")}:conform] [exceed-action ${ACTION("e")}:exceed] [violate-action ${ACTION("v")}:violate]`;

function policeHandler(c: PolicyClass, _p: PolicyMap, a: Args, ctx: Ctx): HandlerResult {
  if (ctx.negated) {
    delete c.police;
    return;
  }
  const cir = Number(a.cir);
  const pir = a.pir === undefined ? undefined : Number(a.pir);
  if (pir !== undefined && pir < cir) return "% PIR must be greater than or equal to CIR";
  const conform = policeAction(a.conform, a.cdscp, a.cprec, { kind: "transmit" });
  const exceed = policeAction(a.exceed, a.edscp, a.eprec, { kind: "drop" });
  const violate = policeAction(a.violate, a.vdscp, a.vprec, exceed as PoliceAction);
  for (const x of [conform, exceed, violate]) if (typeof x === "string") return x;
  const bc = a.bc === undefined ? defaultPoliceBurstBytes(cir) : Number(a.bc);
  const be = a.be === undefined ? (pir !== undefined ? defaultPoliceBurstBytes(pir) : 0) : Number(a.be);
  const threeColour = pir !== undefined || be > 0 || a.violate !== undefined;
  c.police = {
    cirBps: cir,
    bcBytes: bc,
    beBytes: threeColour && be === 0 ? bc : be,
    ...(pir === undefined ? {} : { pirBps: pir }),
    conform: conform as PoliceAction,
    exceed: exceed as PoliceAction,
    ...(threeColour ? { violate: violate as PoliceAction } : {}),
  };
}

function shapeHandler(c: PolicyClass, _p: PolicyMap, a: Args, ctx: Ctx): HandlerResult {
  if (ctx.negated) {
    delete c.shape;
    return;
  }
  const cir = Number(a.cir);
  const bc = a.bc === undefined ? defaultShapeBcBits(cir) : Number(a.bc);
  const be = a.be === undefined ? bc : Number(a.be);
  c.shape = { kind: a.kind === "peak" ? "peak" : "average", cirBps: cir, bcBits: bc, beBits: be };
}

function bandwidthOf(kind: "kbps" | "percent" | "remaining") {
  return (c: PolicyClass, p: PolicyMap, a: Args, ctx: Ctx): HandlerResult => {
    if (ctx.negated) {
      delete c.bandwidth;
      return;
    }
    const err = bandwidthUnitsError(p, c, kind);
    if (err !== null) return err;
    c.bandwidth = { kind, value: Number(kind === "kbps" ? a.kbps : a.percent) };
  };
}

function priorityOf(kind: "kbps" | "percent") {
  return (c: PolicyClass, _p: PolicyMap, a: Args, ctx: Ctx): HandlerResult => {
    if (ctx.negated) {
      delete c.priority;
      return;
    }
    if (c.bandwidth !== undefined) return "Must remove the bandwidth command before configuring priority";
    if (c.name === CLASS_DEFAULT) return "priority command is not supported in class-default";
    c.priority = {
      kind,
      value: Number(kind === "kbps" ? a.kbps : a.percent),
      ...(a.burst === undefined ? {} : { burstBytes: Number(a.burst) }),
    };
  };
}

function setHandler(field: "dscp" | "precedence") {
  return (c: PolicyClass, _p: PolicyMap, a: Args, ctx: Ctx): HandlerResult => {
    if (ctx.negated) {
      delete c.set;
      return;
    }
    const v = field === "dscp" ? parseDscp(String(a.value)) : parsePrecedence(String(a.value));
    if (v === undefined) return `% Invalid ${field} value ${String(a.value)}`;
    c.set = { field, value: v };
  };
}

const classSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "bandwidth <8-2000000>:kbps",
    no: "bandwidth [LINE]",
    handler: onClass((c, p, a, ctx) => bandwidthOf("kbps")(c, p, a, ctx)),
  },
  { syntax: "bandwidth percent <1-100>:percent", no: true, handler: onClass(bandwidthOf("percent")) },
  { syntax: "bandwidth remaining percent <1-100>:percent", no: true, handler: onClass(bandwidthOf("remaining")) },
  {
    syntax: "priority <8-2000000>:kbps [<32-2000000>:burst]",
    no: "priority [LINE]",
    handler: onClass(priorityOf("kbps")),
  },
  {
    syntax: "priority percent <1-100>:percent [<32-2000000>:burst]",
    no: true,
    handler: onClass(priorityOf("percent")),
  },
  {
    syntax: "fair-queue [<16-4096>:queues]",
    no: "fair-queue [<16-4096>:queues]",
    handler: onClass((c, _p, a, ctx) => {
      if (ctx.negated) delete c.fairQueue;
      else c.fairQueue = { dynamicQueues: a.queues === undefined ? 256 : Number(a.queues) };
    }),
  },
  {
    syntax: "queue-limit <1-4096>:packets",
    no: "queue-limit [<1-4096>:packets]",
    handler: onClass((c, _p, a, ctx) => {
      if (ctx.negated) delete c.queueLimit;
      else c.queueLimit = Number(a.packets);
    }),
  },
  {
    syntax: `police cir <8000-2000000000>:cir [bc <1000-512000000>:bc] [pir <8000-2000000000>:pir] [be <1000-512000000>:be] ${POLICE_TAIL}`,
    no: "police [LINE]",
    handler: onClass(policeHandler),
  },
  {
    syntax: "shape {average | peak}:kind <8000-1000000000>:cir [<32-154400000>:bc [<0-154400000>:be]]",
    no: "shape [LINE]",
    handler: onClass(shapeHandler),
  },
  { syntax: "set [ip]:ip dscp WORD:value", no: "set [ip]:ip dscp [WORD:value]", handler: onClass(setHandler("dscp")) },
  {
    syntax: "set [ip]:ip precedence WORD:value",
    no: "set [ip]:ip precedence [WORD:value]",
    handler: onClass(setHandler("precedence")),
  },
  {
    syntax: "drop",
    no: true,
    handler: onClass((c, _p, _a, ctx) => {
      if (ctx.negated) delete c.drop;
      else c.drop = true;
    }),
  },
  {
    syntax: "service-policy WORD:child",
    no: "service-policy [WORD:child]",
    handler: onClass((c, p, a, ctx) => {
      if (ctx.negated) {
        delete c.servicePolicy;
        return;
      }
      const child = String(a.child);
      const s = mqc(ctx.device);
      const cp = s.policyMaps.get(child);
      if (cp === undefined) return `policy map ${child} not configured`;
      if (child === p.name || cp.classes.some((x) => x.servicePolicy !== undefined))
        return "% Only two levels of policy hierarchy are supported";
      c.servicePolicy = child;
    }),
  },
];

// ---- interfaces ----

function currentInterface(ctx: Ctx): RouterInterface | undefined {
  return ctx.device.stack.interface(String(ctx.data));
}

const interfaceSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "service-policy {input | output}:direction WORD:name",
    no: true,
    handler: (a, ctx) => {
      const ifc = currentInterface(ctx);
      if (ifc === undefined) return "% Interface no longer exists";
      const s = mqc(ctx.device);
      const dir = a.direction === "input" ? "input" : "output";
      const name = String(a.name);
      const p = s.service.policies(ifc);
      noteInterface(ifc, s.service);
      if (ctx.negated) {
        if (p[dir]?.policy.name === name) s.service.detach(ifc, dir);
        return;
      }
      const policy = s.policyMaps.get(name);
      if (policy === undefined) return `policy map ${name} not configured`;
      // Queues live on ports: a tunnel or loopback can police and mark, not queue.
      const queues = policyQueues(policy) || policy.classes.some((c) => c.servicePolicy !== undefined);
      if (dir === "output" && ifc.port === null && queues)
        return `Class Based Weighted Fair Queueing not supported on interface ${ifc.name}`;
      const err = admissionError(policy, ifc.name, dir, ifc.bandwidthKbps, p.maxReservedPercent, (n) =>
        s.policyMaps.get(n),
      );
      if (err !== null) return err;
      s.service.attach(ifc, dir, policy);
    },
  },
  {
    // The time constant of the rates show policy-map interface prints (IOS: 30-600 s in steps of 30).
    syntax: "load-interval <30-600>:seconds",
    no: "load-interval [<30-600>:seconds]",
    handler: (a, ctx) => {
      const ifc = currentInterface(ctx);
      if (ifc === undefined) return "% Interface no longer exists";
      const seconds = ctx.negated ? 300 : Number(a.seconds);
      if (seconds % 30 !== 0) return "% Load interval must be a multiple of 30";
      const s = mqc(ctx.device);
      noteInterface(ifc, s.service);
      const p = s.service.policies(ifc);
      p.loadIntervalSec = seconds;
      p.input?.setLoadInterval(seconds);
      p.output?.setLoadInterval(seconds);
    },
  },
  {
    syntax: "max-reserved-bandwidth <1-100>:percent",
    no: "max-reserved-bandwidth [<1-100>:percent]",
    handler: (a, ctx) => {
      const ifc = currentInterface(ctx);
      if (ifc === undefined) return "% Interface no longer exists";
      const s = mqc(ctx.device);
      noteInterface(ifc, s.service);
      s.service.policies(ifc).maxReservedPercent = ctx.negated ? 75 : Number(a.percent);
    },
  },
];

/**
 * Config handlers only ever return refusals; IOS prints some without `%`
 * ("I/f Serial0/0 class X requested bandwidth ..."): those become handler errors, so a config file reports them.
 */
function refusing(spec: CommandSpec<RouterDevice>): CommandSpec<RouterDevice> {
  const handler = spec.handler;
  if (handler === undefined) return spec;
  return {
    ...spec,
    handler: (a, ctx) => {
      const r = handler(a, ctx);
      if (typeof r === "string" && r !== "" && !r.startsWith("%")) return { error: { kind: "handler", message: r } };
      return r;
    },
  };
}

/** Registers the MQC commands and their modes. */
export function addMqcCommandSpecs(table: CommandTable<RouterDevice>): void {
  table.defineMode(CMAP_MODE);
  table.defineMode(PMAP_MODE);
  table.defineMode(PMAP_CLASS_MODE, { parent: PMAP_MODE });
  table.add(
    "config",
    refusing({ syntax: "class-map [match-all | match-any]:type WORD:name", no: true, handler: classMapHandler }),
    refusing({ syntax: "policy-map WORD:name", no: true, handler: policyMapHandler }),
  );
  table.add(CMAP_MODE, ...classMapSpecs.map(refusing));
  table.add(PMAP_MODE, refusing({ syntax: "class WORD:name", no: true, handler: classHandler }));
  table.add(PMAP_CLASS_MODE, ...classSpecs.map(refusing));
  table.add("config-if", ...interfaceSpecs.map(refusing));
}
