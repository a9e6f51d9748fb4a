// `show class-map [NAME]`, `show policy-map [NAME]` and `show policy-map
// interface [IF] [input|output]` in IOS's layout, from the configuration and
// the attachments' counters: per class the packets and bytes classified, the
// offered and drop rates over the interface's load interval, the match lines,
// the queue (conversation, bandwidth, threshold, depth, drops, output), the
// LLQ policer's drops, the police colours, the shaper, the marking, and a
// hierarchical policy's child indented under its class.

import { reservedKbps } from "../../dataplane/qos/mqc-admission.ts";
import { type ClassCounters, loadIntervalLabel, type PolicyAttachment } from "../../dataplane/qos/mqc-attachment.ts";
import { shapeRateBps } from "../../dataplane/qos/mqc-meter.ts";
import {
  CLASS_DEFAULT,
  type MatchCriterion,
  orderedClasses,
  type PolicyClass,
} from "../../dataplane/qos/mqc-policy.ts";
import { FIRST_CLASS_CONVERSATION } from "../../dataplane/qos/mqc-scheduler.ts";
import type { RouterDevice } from "../router/router-device.ts";
import { classActionLines, dscpText, matchText, policeActionText } from "./mqc-running-config.ts";
import { type MqcState, mqcIfAny } from "./mqc-store.ts";

/** A match line as the shows print it: DSCP names with their value. */
function matchShow(m: MatchCriterion): string {
  if (m.kind === "dscp")
    return `ip dscp ${m.values.map((v) => (dscpText(v) === String(v) ? String(v) : `${dscpText(v)} (${v})`)).join(" ")}`;
  return matchText(m);
}

/** `show class-map [NAME]`. */
export function renderShowClassMap(device: RouterDevice, name?: string): string {
  const s = mqcIfAny(device);
  const out: string[] = [];
  if (name === undefined || name === CLASS_DEFAULT)
    out.push(" Class Map match-any class-default (id 0)", "   Match any ", "");
  let id = 0;
  for (const cm of s?.classMaps.values() ?? []) {
    id++;
    if (name !== undefined && cm.name !== name) continue;
    out.push(` Class Map ${cm.matchAll ? "match-all" : "match-any"} ${cm.name} (id ${id})`);
    for (const m of cm.matches) out.push(`   Match ${matchShow(m)}`);
    out.push("");
  }
  if (out.length === 0) return `% Class-map ${name} not configured\n`;
  return `${out.join("\n")}\n`;
}

/** The lines describing one class's actions in `show policy-map`. */
function classPolicyLines(c: PolicyClass): string[] {
  const out: string[] = [];
  const limit = c.queueLimit ?? 64;
  if (c.priority !== undefined) {
    out.push("Strict Priority");
    const burst = c.priority.burstBytes;
    const unit = c.priority.kind === "kbps" ? "(kbps)" : "(%)";
    out.push(`Bandwidth ${c.priority.value} ${unit}${burst === undefined ? "" : ` Burst ${burst} (Bytes)`}`);
  }
  if (c.bandwidth !== undefined) {
    const b = c.bandwidth;
    out.push(
      b.kind === "kbps"
        ? `Bandwidth ${b.value} (kbps) Max Threshold ${limit} (packets)`
        : b.kind === "percent"
          ? `Bandwidth ${b.value} (%) Max Threshold ${limit} (packets)`
          : `bandwidth remaining ${b.value} (%) Max Threshold ${limit} (packets)`,
    );
  }
  if (c.fairQueue !== undefined) {
    out.push("Flow based Fair Queueing");
    if (c.bandwidth === undefined) out.push(`Bandwidth 0 (kbps) Max Threshold ${limit} (packets)`);
  } else if (c.queueLimit !== undefined && c.bandwidth === undefined) out.push(`queue-limit ${limit} packets`);
  if (c.police !== undefined) {
    const p = c.police;
    out.push(
      `police cir ${p.cirBps} bc ${p.bcBytes}${p.pirBps !== undefined ? ` pir ${p.pirBps}` : ""}${p.beBytes > 0 ? ` be ${p.beBytes}` : ""}`,
      `  conform-action ${policeActionText(p.conform)} `,
      `  exceed-action ${policeActionText(p.exceed)} `,
    );
    if (p.violate !== undefined) out.push(`  violate-action ${policeActionText(p.violate)} `);
  }
  if (c.shape !== undefined)
    out.push(`${c.shape.kind === "average" ? "Average" : "Peak"} Rate Traffic Shaping`, `cir ${c.shape.cirBps} (bps)`);
  for (const l of classActionLines({
    name: c.name,
    ...(c.set ? { set: c.set } : {}),
    ...(c.drop ? { drop: true } : {}),
  }))
    out.push(l);
  if (c.servicePolicy !== undefined) out.push(`service-policy ${c.servicePolicy}`);
  return out;
}

/** `show policy-map [NAME]`. */
export function renderShowPolicyMap(device: RouterDevice, name?: string): string {
  const s = mqcIfAny(device);
  const out: string[] = [];
  for (const p of s?.policyMaps.values() ?? []) {
    if (name !== undefined && p.name !== name) continue;
    out.push(`  Policy Map ${p.name}`);
    for (const c of p.classes) {
      out.push(`    Class ${c.name}`);
      for (const l of classPolicyLines(c)) out.push(`      ${l}`);
    }
    out.push("");
  }
  if (name !== undefined && out.length === 0) return `% Policy-map ${name} not configured\n`;
  return out.length === 0 ? "" : `${out.join("\n")}\n`;
}

function rateLine(k: ClassCounters, label: string, now: number): string {
  return `${label} offered rate ${k.offered.read(now).bitsPerSec} bps, drop rate ${k.dropRate.read(now).bitsPerSec} bps`;
}

/** The lines of one attached policy (indent: spaces before `Service-policy`). */
function attachmentLines(
  s: MqcState,
  a: PolicyAttachment,
  ifKbps: number,
  now: number,
  indent: string,
  header: string,
  queues: boolean,
): string[] {
  const out = [`${indent}${header}`, ""];
  const label = loadIntervalLabel(a.loadIntervalSec);
  const i2 = `${indent}  `;
  const i3 = `${indent}    `;
  const i4 = `${indent}      `;
  a.classes.forEach((cls, index) => {
    const c = cls.config;
    const k = cls.counters;
    const cm = s.classMaps.get(c.name);
    const type = c.name === CLASS_DEFAULT ? "match-any" : cm?.matchAll === false ? "match-any" : "match-all";
    out.push(`${i2}Class-map: ${c.name} (${type})`);
    out.push(`${i3}${k.matched.packets} packets, ${k.matched.bytes} bytes`);
    out.push(`${i3}${rateLine(k, label, now)}`);
    if (c.name === CLASS_DEFAULT) out.push(`${i3}Match: any `);
    else for (const m of cm?.matches ?? []) out.push(`${i3}Match: ${matchShow(m)}`);
    const queueing = queues && cls.child === null;
    if (queueing) {
      out.push(`${i3}Queueing`);
      const conv = FIRST_CLASS_CONVERSATION + index;
      const limit = c.queueLimit ?? 64;
      if (c.priority !== undefined) {
        const kbps = reservedKbps(c, ifKbps);
        const burst = c.priority.burstBytes ?? Math.floor((kbps * 1000 * 0.2) / 8);
        out.push(`${i4}Strict Priority`, `${i4}Output Queue: Conversation ${conv} `);
        out.push(`${i4}Bandwidth ${kbps} (kbps) Burst ${burst} (Bytes)`);
        out.push(`${i4}(pkts matched/bytes matched) ${k.matched.packets}/${k.matched.bytes}`);
        out.push(`${i4}(total drops/bytes drops) ${k.priorityPolicerDrops.packets}/${k.priorityPolicerDrops.bytes}`);
      } else if (c.fairQueue !== undefined && c.bandwidth === undefined) {
        out.push(`${i4}Flow Based Fair Queueing`, `${i4}Maximum Number of Hashed Queues ${c.fairQueue.dynamicQueues} `);
        out.push(`${i4}(total queued/total drops/no-buffer drops) ${k.queueDepth}/${k.tailDrops.packets}/0`);
      } else {
        out.push(`${i4}Output Queue: Conversation ${conv} `);
        const b = c.bandwidth;
        const bw =
          b === undefined
            ? ""
            : b.kind === "kbps"
              ? `Bandwidth ${b.value} (kbps)`
              : b.kind === "percent"
                ? `Bandwidth ${b.value} (%)`
                : `Bandwidth remaining ${b.value} (%)`;
        out.push(`${i4}${bw}Max Threshold ${limit} (packets)`);
        out.push(`${i4}(pkts matched/bytes matched) ${k.matched.packets}/${k.matched.bytes}`);
        out.push(`${i4}(depth/total drops/no-buffer drops) ${k.queueDepth}/${k.tailDrops.packets}/0`);
      }
      out.push(`${i4}(pkts output/bytes output) ${k.output.packets}/${k.output.bytes}`);
    }
    if (c.police !== undefined && cls.meter !== null) {
      const p = c.police;
      const pc = k.police;
      out.push(`${i3}police:`);
      out.push(
        `${i3}    cir ${p.cirBps} bps, bc ${p.bcBytes} bytes${p.pirBps === undefined && p.beBytes > 0 ? `, be ${p.beBytes} bytes` : ""}`,
      );
      if (p.pirBps !== undefined) out.push(`${i3}    pir ${p.pirBps} bps, be ${p.beBytes} bytes`);
      out.push(`${i3}  conformed ${pc.conform.packets} packets, ${pc.conform.bytes} bytes; actions:`);
      out.push(`${i3}    ${policeActionText(p.conform)} `);
      out.push(`${i3}  exceeded ${pc.exceed.packets} packets, ${pc.exceed.bytes} bytes; actions:`);
      out.push(`${i3}    ${policeActionText(p.exceed)} `);
      let rates = `conformed ${pc.conform.rate.read(now).bitsPerSec} bps, exceed ${pc.exceed.rate.read(now).bitsPerSec} bps`;
      if (p.violate !== undefined) {
        out.push(`${i3}  violated ${pc.violate.packets} packets, ${pc.violate.bytes} bytes; actions:`);
        out.push(`${i3}    ${policeActionText(p.violate)} `);
        rates += `, violate ${pc.violate.rate.read(now).bitsPerSec} bps`;
      }
      out.push(`${i3}  ${rates}`);
    }
    if (c.shape !== undefined) {
      const sh = c.shape;
      out.push(`${i3}shape (${sh.kind}) cir ${sh.cirBps}, bc ${sh.bcBits}, be ${sh.beBits}`);
      out.push(`${i3}target shape rate ${shapeRateBps(sh)}`);
    }
    if (c.set !== undefined) {
      out.push(`${i3}QoS Set`);
      out.push(`${i4}${c.set.field === "dscp" ? `dscp ${dscpText(c.set.value)}` : `precedence ${c.set.value}`}`);
      out.push(`${i4}  Packets marked ${k.marked}`);
    }
    if (c.drop === true) out.push(`${i3}drop`);
    if (cls.child !== null) {
      const base = c.shape !== undefined ? Math.floor(shapeRateBps(c.shape) / 1000) : ifKbps;
      out.push("");
      out.push(...attachmentLines(s, cls.child, base, now, i3, `Service-policy : ${cls.child.policy.name}`, queues));
    }
    out.push("");
  });
  return out;
}

/** `show policy-map interface [IF] [input | output]`. */
export function renderShowPolicyMapInterface(
  device: RouterDevice,
  ifName?: string,
  direction?: "input" | "output",
): string {
  const s = mqcIfAny(device);
  if (s === undefined) return "";
  const now = device.stack.now();
  const out: string[] = [];
  const ifcs = s.service
    .attachedInterfaces()
    .filter((i) => ifName === undefined || i.name === ifName)
    .sort((x, y) => x.name.localeCompare(y.name));
  for (const ifc of ifcs) {
    const p = s.service.existing(ifc)!;
    const blocks: string[] = [];
    for (const dir of ["input", "output"] as const) {
      const a = p[dir];
      if (a === undefined || (direction !== undefined && direction !== dir)) continue;
      const queues =
        dir === "output" &&
        (a.queueing !== a || a.shaper !== null || orderedClasses(a.policy).some((c) => queuesIn(c)));
      blocks.push(
        ...attachmentLines(s, a, ifc.bandwidthKbps, now, "  ", `Service-policy ${dir}: ${a.policy.name}`, queues),
      );
    }
    if (blocks.length === 0) continue;
    out.push(` ${ifc.name} `, "", ...blocks);
  }
  return out.length === 0 ? "" : `${out.join("\n")}\n`;
}

function queuesIn(c: PolicyClass): boolean {
  return (
    c.bandwidth !== undefined || c.priority !== undefined || c.fairQueue !== undefined || c.queueLimit !== undefined
  );
}
