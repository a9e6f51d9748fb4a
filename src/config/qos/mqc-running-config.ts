// The MQC sections of `show running-config` as IOS prints them: class-maps,
// then policy-maps (classes in the order typed, their actions), each block
// closed by `!`, before the crypto sections; and the interface lines
// max-reserved-bandwidth and service-policy input/output.

import { DSCP_NAMES } from "../../dataplane/acl.ts";
import type { RouterInterface } from "../../dataplane/pipeline/router-interface.ts";
import { defaultPoliceBurstBytes, defaultShapeBcBits } from "../../dataplane/qos/mqc-meter.ts";
import type { MatchCriterion, PoliceAction, PolicyClass } from "../../dataplane/qos/mqc-policy.ts";
import type { RouterDevice } from "../router/router-device.ts";
import { mqcIfAny, serviceOf } from "./mqc-store.ts";

const DSCP_BY_VALUE = new Map(Object.entries(DSCP_NAMES).map(([k, v]) => [v, k]));

/** A DSCP value as IOS prints it: its name when it has one (ef, af41), else the number. */
export function dscpText(v: number): string {
  return DSCP_BY_VALUE.get(v) ?? String(v);
}

/** One match line, without `match ` (shared with show class-map). */
export function matchText(m: MatchCriterion): string {
  switch (m.kind) {
    case "access-group":
      return m.named ? `access-group name ${m.acl}` : `access-group ${m.acl}`;
    case "dscp":
      return `ip dscp ${m.values.map(dscpText).join(" ")}`;
    case "precedence":
      return `ip precedence ${m.values.join(" ")}`;
    case "protocol":
      return `protocol ${m.protocol}`;
    case "any":
      return "any";
  }
}

/** A police action as typed. */
export function policeActionText(a: PoliceAction): string {
  switch (a.kind) {
    case "set-dscp-transmit":
      return `set-dscp-transmit ${dscpText(a.value)}`;
    case "set-prec-transmit":
      return `set-prec-transmit ${a.value}`;
    default:
      return a.kind;
  }
}

/** The action lines of one class in a policy-map block. */
export function classActionLines(c: PolicyClass): string[] {
  const out: string[] = [];
  if (c.priority !== undefined) {
    const burst = c.priority.burstBytes === undefined ? "" : ` ${c.priority.burstBytes}`;
    out.push(
      c.priority.kind === "kbps"
        ? `priority ${c.priority.value}${burst}`
        : `priority percent ${c.priority.value}${burst}`,
    );
  }
  if (c.bandwidth !== undefined)
    out.push(
      c.bandwidth.kind === "kbps"
        ? `bandwidth ${c.bandwidth.value}`
        : c.bandwidth.kind === "percent"
          ? `bandwidth percent ${c.bandwidth.value}`
          : `bandwidth remaining percent ${c.bandwidth.value}`,
    );
  if (c.fairQueue !== undefined)
    out.push(c.fairQueue.dynamicQueues === 256 ? "fair-queue" : `fair-queue ${c.fairQueue.dynamicQueues}`);
  if (c.queueLimit !== undefined) out.push(`queue-limit ${c.queueLimit}`);
  if (c.police !== undefined) {
    const p = c.police;
    let line = `police cir ${p.cirBps}`;
    if (p.bcBytes !== defaultPoliceBurstBytes(p.cirBps)) line += ` bc ${p.bcBytes}`;
    if (p.pirBps !== undefined) line += ` pir ${p.pirBps}`;
    const defaultBe =
      p.pirBps !== undefined ? defaultPoliceBurstBytes(p.pirBps) : p.violate !== undefined ? p.bcBytes : 0;
    if (p.beBytes !== defaultBe) line += ` be ${p.beBytes}`;
    line += ` conform-action ${policeActionText(p.conform)} exceed-action ${policeActionText(p.exceed)}`;
    if (p.violate !== undefined) line += ` violate-action ${policeActionText(p.violate)}`;
    out.push(line);
  }
  if (c.shape !== undefined) {
    const s = c.shape;
    const bc = defaultShapeBcBits(s.cirBps);
    out.push(`shape ${s.kind} ${s.cirBps}${s.bcBits === bc && s.beBits === bc ? "" : ` ${s.bcBits} ${s.beBits}`}`);
  }
  if (c.set !== undefined)
    out.push(c.set.field === "dscp" ? `set dscp ${dscpText(c.set.value)}` : `set precedence ${c.set.value}`);
  if (c.drop === true) out.push("drop");
  if (c.servicePolicy !== undefined) out.push(`service-policy ${c.servicePolicy}`);
  return out;
}

/** The class-map and policy-map blocks. */
export function mqcRunningLines(device: RouterDevice): string[] {
  const s = mqcIfAny(device);
  if (s === undefined) return [];
  const lines: string[] = [];
  for (const cm of s.classMaps.values()) {
    lines.push(`class-map ${cm.matchAll ? "match-all" : "match-any"} ${cm.name}`);
    for (const m of cm.matches) lines.push(` match ${matchText(m)}`);
    lines.push("!");
  }
  // A child policy goes before its parents, so the configuration loads back (service-policy needs it to exist).
  const children = new Set([...s.policyMaps.values()].flatMap((p) => p.classes.flatMap((c) => c.servicePolicy ?? [])));
  const policies = [...s.policyMaps.values()].sort(
    (a, b) => Number(children.has(b.name)) - Number(children.has(a.name)),
  );
  for (const p of policies) {
    lines.push(`policy-map ${p.name}`);
    for (const c of p.classes) {
      lines.push(` class ${c.name}`);
      for (const l of classActionLines(c)) lines.push(`  ${l}`);
    }
    lines.push("!");
  }
  return lines;
}

/** An interface's MQC lines. */
export function mqcInterfaceLines(ifc: RouterInterface): string[] {
  const p = serviceOf(ifc)?.existing(ifc);
  if (p === undefined) return [];
  const lines: string[] = [];
  if (p.loadIntervalSec !== 300) lines.push(` load-interval ${p.loadIntervalSec}`);
  if (p.maxReservedPercent !== 75) lines.push(` max-reserved-bandwidth ${p.maxReservedPercent}`);
  if (p.input !== undefined) lines.push(` service-policy input ${p.input.policy.name}`);
  if (p.output !== undefined) lines.push(` service-policy output ${p.output.policy.name}`);
  return lines;
}
