// `show queueing [fair | priority | custom | interface IF]` and `show queue IF`:
// the legacy queueing configuration (the lists, the WFQ parameters of each
// interface running it) and the live state of an interface's output queue
// (the strategy's show-interfaces lines, per-queue utilization, and WFQ's
// active conversations with their depth, weight, drops and latest packet).

import type { RouterInterface } from "../../dataplane/pipeline/router-interface.ts";
import { CqScheduler } from "../../dataplane/qos/cq-scheduler.ts";
import { matchText, PQ_DEFAULT_LIMITS, PQ_QUEUES, type QueueMatch } from "../../dataplane/qos/legacy-lists.ts";
import { PqScheduler } from "../../dataplane/qos/pq-scheduler.ts";
import { WfqScheduler } from "../../dataplane/qos/wfq-scheduler.ts";
import { formatIpv4Address } from "../../wire/ipv4-address.ts";
import type { RouterDevice } from "../router/router-device.ts";

/** One `List Queue Args` row. */
function row(list: number, queue: string, args: string): string {
  return `${String(list).padEnd(7)}${queue.padEnd(7)}${args}`;
}

/** A rule's args column: `protocol ip          list 101`. */
function ruleArgs(m: QueueMatch): string {
  const what = matchText(m);
  return what === "" ? "protocol ip" : `${"protocol ip".padEnd(21)}${what}`;
}

/** `show queueing priority`. */
function priorityText(device: RouterDevice): string[] {
  const out = ["Current priority queue configuration:", "", "List   Queue  Args"];
  for (const [n, list] of [...device.stack.legacyQueueing.priorityLists].sort((a, b) => a[0] - b[0])) {
    if (list.defaultQueue !== 2) out.push(row(n, PQ_QUEUES[list.defaultQueue]!, "default"));
    for (const r of list.rules) out.push(row(n, PQ_QUEUES[r.queue]!, ruleArgs(r.match)));
    list.limits.forEach((l, q) => {
      if (l !== PQ_DEFAULT_LIMITS[q]) out.push(row(n, PQ_QUEUES[q]!, `limit ${l}`));
    });
  }
  return out;
}

/** `show queueing custom`. */
function customText(device: RouterDevice): string[] {
  const out = ["Current custom queue configuration:", "", "List   Queue  Args"];
  for (const [n, list] of [...device.stack.legacyQueueing.queueLists].sort((a, b) => a[0] - b[0])) {
    if (list.defaultQueue !== 1) out.push(row(n, String(list.defaultQueue), "default"));
    for (const r of list.rules) out.push(row(n, String(r.queue), ruleArgs(r.match)));
    for (let q = 0; q < list.limits.length; q++) {
      const parts: string[] = [];
      if (list.byteCounts[q] !== 1500) parts.push(`byte-count ${list.byteCounts[q]}`);
      if (list.limits[q] !== 20) parts.push(`limit ${list.limits[q]}`);
      if (parts.length > 0) out.push(row(n, String(q), parts.join(" ")));
    }
  }
  return out;
}

/** `show queueing fair`: every interface running WFQ, with its parameters. */
function fairText(device: RouterDevice): string[] {
  const out = [
    "Current fair queue configuration:",
    "",
    "  Interface           Discard    Dynamic  Reserved  Link    Priority",
    "                      threshold  queues   queues    queues  queues",
  ];
  for (const ifc of device.interfaces()) {
    const s = device.stack.outputQueues.queueOf(ifc)?.scheduler;
    if (ifc.parent !== null || !(s instanceof WfqScheduler)) continue;
    const c = s.config;
    // One link queue: what is not IP (ARP, keepalives) has its own conversation; no priority (RSVP) queues.
    out.push(
      `  ${ifc.name.padEnd(20)}${String(c.cdt).padEnd(11)}${String(c.dynamic).padEnd(9)}${String(c.reservable).padEnd(10)}${"1".padEnd(8)}0`,
    );
  }
  return out;
}

/** `show queueing interface IF`: the strategy and what each queue has sent. */
function interfaceText(device: RouterDevice, ifc: RouterInterface): string[] {
  const s = device.stack.outputQueues.queueOf(ifc)?.scheduler;
  if (s instanceof PqScheduler)
    return [
      `Interface ${ifc.name} queueing strategy: priority`,
      "",
      "Output queue utilization (queue/count)",
      `\t${PQ_QUEUES.map((q, i) => `${q}/${s.book.sent[i]}`).join(" ")} `,
    ];
  if (s instanceof CqScheduler)
    return [
      `Interface ${ifc.name} queueing strategy: custom`,
      "",
      "Output queue utilization (queue/count)",
      `\t${s.book.sent.map((n, q) => `${q}/${n}`).join(" ")} `,
    ];
  if (s instanceof WfqScheduler)
    return [`Interface ${ifc.name} queueing strategy: fair`, inputQueueLine(ifc), ...s.interfaceLines()];
  return [`Interface ${ifc.name} queueing strategy: none`];
}

function inputQueueLine(ifc: RouterInterface): string {
  return `  Input queue: 0/${ifc.config.holdQueueIn ?? 75}/${ifc.counters.inputDrops}/0 (size/max/drops/flushes); Total output drops: ${ifc.counters.outputDrops}`;
}

/** `show queueing [fair | priority | custom | interface IF]`. */
export function renderShowQueueing(
  device: RouterDevice,
  which?: "fair" | "priority" | "custom",
  ifc?: RouterInterface,
): string {
  if (ifc !== undefined) return `${interfaceText(device, ifc).join("\n")}\n`;
  const parts =
    which === "fair"
      ? [fairText(device)]
      : which === "priority"
        ? [priorityText(device)]
        : which === "custom"
          ? [customText(device)]
          : [fairText(device), customText(device), priorityText(device)];
  return `${parts.map((p) => p.join("\n")).join("\n\n")}\n`;
}

/** `show queue IF`: the output queue's lines and, for WFQ, each active conversation. */
export function renderShowQueue(device: RouterDevice, ifc: RouterInterface): string {
  const s = device.stack.outputQueues.queueOf(ifc)?.scheduler;
  if (s === undefined) return `% Queueing is not supported on ${ifc.name}\n`;
  const out = [inputQueueLine(ifc), ...s.interfaceLines()];
  if (s instanceof WfqScheduler) {
    for (const c of s.activeList()) {
      out.push(
        "",
        `  (depth/weight/total drops/no-buffer drops/interleaves) ${c.depth}/${c.weight}/${c.drops}/0/0`,
        `  Conversation ${c.conversation}, linktype: ${c.header === null ? "link" : "ip"}, length: ${c.length}`,
      );
      const h = c.header;
      if (h !== null) {
        out.push(
          `  source: ${formatIpv4Address(h.src)}, destination: ${formatIpv4Address(h.dst)}, TOS: ${h.tos} prot: ${h.protocol},`,
        );
        if (h.srcPort !== undefined) out.push(`  source port ${h.srcPort}, destination port ${h.dstPort}`);
      }
    }
  }
  return `${out.join("\n")}\n`;
}
