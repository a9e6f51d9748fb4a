// The legacy queueing commands: on interfaces `fair-queue [CDT [dynamic
// [reservable]]]`, `no fair-queue` (FIFO), `priority-group N` (PQ) and
// `custom-queue-list N` (CQ); globally the lists they name, `priority-list N
// ...` and `queue-list N ...`. The strategies themselves live in
// src/dataplane/qos; these handlers record the choice, and the output queues
// rebuild their schedulers from it.

import type { RouterInterface } from "../../dataplane/pipeline/router-interface.ts";
import {
  CQ_DEFAULT_BYTE_COUNT,
  CQ_DEFAULT_LIMIT,
  matchText,
  newPriorityList,
  newQueueList,
  PQ_DEFAULT_LIMITS,
  PQ_QUEUES,
  type QueueMatch,
  type QueueRule,
} from "../../dataplane/qos/legacy-lists.ts";
import { defaultQueueing, type InterfaceQueueing } from "../../dataplane/qos/legacy-queueing.ts";
import { WFQ_DEFAULT_CDT } from "../../dataplane/qos/wfq-scheduler.ts";
import type { Args } from "../cli/grammar.ts";
import type { CommandContext, CommandSpec, CommandTable, HandlerResult } from "../cli/modes.ts";
import type { RouterDevice } from "../router/router-device.ts";
import { describeLegacyQueueingCommands } from "./legacy-help.ts";
import { renderShowQueue, renderShowQueueing } from "./legacy-show.ts";

type Ctx = CommandContext<RouterDevice>;

/** Runs a handler on the current physical interface, then lets the device apply the change. */
function onPort(fn: (ifc: RouterInterface, args: Args, ctx: Ctx) => HandlerResult) {
  return (args: Args, ctx: Ctx): HandlerResult => {
    const ifc = ctx.device.stack.interface(String(ctx.data));
    if (ifc === undefined) return "% Interface no longer exists";
    if (ifc.port === null || ifc.parent !== null) return "% Queueing is not supported on this interface";
    const result = fn(ifc, args, ctx);
    ctx.device.interfaceChanged(ifc);
    return result;
  };
}

/** `fair-queue`'s dynamic queue count must be a power of two from 16 to 4096. */
function validDynamic(n: number): boolean {
  return n >= 16 && n <= 4096 && (n & (n - 1)) === 0;
}

/** A rule's match from its arguments: `list N`, `tcp P`, `udp P`, or all IP. */
function matchOf(a: Args): QueueMatch {
  if (a.list !== undefined) return { kind: "list", acl: String(a.list) };
  if (a.tcp !== undefined) return { kind: "tcp", port: Number(a.tcp) };
  if (a.udp !== undefined) return { kind: "udp", port: Number(a.udp) };
  return { kind: "ip" };
}

/** Adds a rule to a list, or (no) removes the same rule; IOS appends in the order typed. */
function editRules(rules: QueueRule[], rule: QueueRule, negated: boolean): void {
  const same = (r: QueueRule) => r.queue === rule.queue && matchText(r.match) === matchText(rule.match);
  const at = rules.findIndex(same);
  if (negated) {
    if (at >= 0) rules.splice(at, 1);
  } else if (at < 0) rules.push(rule);
}

/** Applies a change to a global list: the interfaces that use it rebuild their schedulers. */
function listChanged(ctx: Ctx): void {
  ctx.device.stack.legacyQueueing.listsChanged();
  ctx.device.stack.outputQueues.invalidate();
}

const MATCH = "[list <1-2699>:list | tcp <0-65535>:tcp | udp <0-65535>:udp]";
const PQ_QUEUE = "{high | medium | normal | low}:queue";

const globalSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: `priority-list <1-16>:number protocol ip ${PQ_QUEUE} ${MATCH}`,
    // `no priority-list N` removes the whole list.
    no: `priority-list <1-16>:number [protocol ip ${PQ_QUEUE} ${MATCH}]`,
    handler: (a, ctx) => {
      const lists = ctx.device.stack.legacyQueueing.priorityLists;
      const n = Number(a.number);
      if (ctx.negated && a.queue === undefined) {
        lists.delete(n);
        return listChanged(ctx);
      }
      const list = lists.get(n) ?? newPriorityList();
      editRules(list.rules, { queue: PQ_QUEUES.indexOf(String(a.queue) as never), match: matchOf(a) }, ctx.negated);
      lists.set(n, list);
      listChanged(ctx);
    },
  },
  {
    syntax: `priority-list <1-16>:number default ${PQ_QUEUE}`,
    no: `priority-list <1-16>:number default [${PQ_QUEUE}]`,
    handler: (a, ctx) => {
      const lists = ctx.device.stack.legacyQueueing.priorityLists;
      const list = lists.get(Number(a.number)) ?? newPriorityList();
      list.defaultQueue = ctx.negated ? 2 : PQ_QUEUES.indexOf(String(a.queue) as never);
      lists.set(Number(a.number), list);
      listChanged(ctx);
    },
  },
  {
    syntax:
      "priority-list <1-16>:number queue-limit [<0-32767>:high [<0-32767>:medium [<0-32767>:normal [<0-32767>:low]]]]",
    no: "priority-list <1-16>:number queue-limit [<0-32767>:high [<0-32767>:medium [<0-32767>:normal [<0-32767>:low]]]]",
    handler: (a, ctx) => {
      const lists = ctx.device.stack.legacyQueueing.priorityLists;
      const list = lists.get(Number(a.number)) ?? newPriorityList();
      list.limits = PQ_QUEUES.map((q, i) => (ctx.negated || a[q] === undefined ? PQ_DEFAULT_LIMITS[i]! : Number(a[q])));
      lists.set(Number(a.number), list);
      listChanged(ctx);
    },
  },
  {
    syntax: `queue-list <1-16>:number protocol ip <0-16>:queue ${MATCH}`,
    // `no queue-list N` removes the whole list.
    no: `queue-list <1-16>:number [protocol ip <0-16>:queue ${MATCH}]`,
    handler: (a, ctx) => {
      const lists = ctx.device.stack.legacyQueueing.queueLists;
      if (ctx.negated && a.queue === undefined) {
        lists.delete(Number(a.number));
        return listChanged(ctx);
      }
      const list = lists.get(Number(a.number)) ?? newQueueList();
      editRules(list.rules, { queue: Number(a.queue), match: matchOf(a) }, ctx.negated);
      lists.set(Number(a.number), list);
      listChanged(ctx);
    },
  },
  {
    syntax: "queue-list <1-16>:number default <1-16>:queue",
    no: "queue-list <1-16>:number default [<1-16>:queue]",
    handler: (a, ctx) => {
      const lists = ctx.device.stack.legacyQueueing.queueLists;
      const list = lists.get(Number(a.number)) ?? newQueueList();
      list.defaultQueue = ctx.negated ? 1 : Number(a.queue);
      lists.set(Number(a.number), list);
      listChanged(ctx);
    },
  },
  {
    syntax:
      "queue-list <1-16>:number queue <0-16>:queue {byte-count <1-16777215>:bytes [limit <0-32767>:limit] | limit <0-32767>:limit}",
    no: "queue-list <1-16>:number queue <0-16>:queue {byte-count [<1-16777215>:bytes] | limit [<0-32767>:limit]}",
    handler: (a, ctx) => {
      const lists = ctx.device.stack.legacyQueueing.queueLists;
      const list = lists.get(Number(a.number)) ?? newQueueList();
      const q = Number(a.queue);
      const byteCount = a["byte-count"] !== undefined || a.bytes !== undefined;
      if (byteCount) list.byteCounts[q] = ctx.negated ? CQ_DEFAULT_BYTE_COUNT : Number(a.bytes);
      if (a.limit !== undefined || (ctx.negated && !byteCount))
        list.limits[q] = ctx.negated ? CQ_DEFAULT_LIMIT : Number(a.limit);
      lists.set(Number(a.number), list);
      listChanged(ctx);
    },
  },
];

const interfaceSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "priority-group <1-16>:list",
    no: "priority-group [<1-16>:list]",
    handler: onPort((ifc, a, ctx) => {
      ifc.config.queueing = ctx.negated ? undefined : { kind: "priority", list: Number(a.list) };
    }),
  },
  {
    syntax: "custom-queue-list <1-16>:list",
    no: "custom-queue-list [<1-16>:list]",
    handler: onPort((ifc, a, ctx) => {
      ifc.config.queueing = ctx.negated ? undefined : { kind: "custom", list: Number(a.list) };
    }),
  },
  {
    syntax: "fair-queue [<1-4096>:cdt [<16-4096>:dynamic [<0-1000>:reservable]]]",
    no: "fair-queue [<1-4096>:cdt [<16-4096>:dynamic [<0-1000>:reservable]]]",
    handler: onPort((ifc, a, ctx) => {
      if (ctx.negated) {
        ifc.config.queueing = { kind: "fifo" };
        return;
      }
      const dynamic = a.dynamic === undefined ? undefined : Number(a.dynamic);
      if (dynamic !== undefined && !validDynamic(dynamic))
        return "% Number of dynamic queues must be a power of 2 (16, 32, 64, 128, 256, 512, 1024, 2048, 4096)";
      ifc.config.queueing = {
        kind: "fair",
        cdt: a.cdt === undefined ? WFQ_DEFAULT_CDT : Number(a.cdt),
        dynamic,
        reservable: a.reservable === undefined ? 0 : Number(a.reservable),
      };
    }),
  },
];

/** The running-config line of an interface's queueing (nothing when it runs IOS's default). */
export function queueingConfigLines(ifc: RouterInterface): string[] {
  const q: InterfaceQueueing | undefined = ifc.config.queueing;
  if (q === undefined) return [];
  const byDefault = defaultQueueing(ifc);
  switch (q.kind) {
    case "fifo":
      return byDefault.kind === "fair" ? [" no fair-queue"] : [];
    case "fair": {
      const custom = q.cdt !== WFQ_DEFAULT_CDT || q.dynamic !== undefined || q.reservable !== 0;
      if (!custom) return byDefault.kind === "fair" ? [] : [" fair-queue"];
      const dynamic = q.dynamic === undefined ? "" : ` ${q.dynamic}${q.reservable !== 0 ? ` ${q.reservable}` : ""}`;
      return [` fair-queue ${q.cdt}${dynamic}`];
    }
    case "priority":
      return [` priority-group ${q.list}`];
    case "custom":
      return [` custom-queue-list ${q.list}`];
  }
}

/** The global `priority-list` and `queue-list` lines of the running config, by list number. */
export function legacyQueueingRunningLines(device: RouterDevice): string[] {
  const lq = device.stack.legacyQueueing;
  const lines: string[] = [];
  const rule = (head: string, queue: string, m: QueueMatch) =>
    `${head} protocol ip ${queue}${matchText(m) === "" ? "" : ` ${matchText(m)}`}`;
  for (const [n, list] of [...lq.priorityLists].sort((a, b) => a[0] - b[0])) {
    const head = `priority-list ${n}`;
    for (const r of list.rules) lines.push(rule(head, PQ_QUEUES[r.queue]!, r.match));
    if (list.defaultQueue !== 2) lines.push(`${head} default ${PQ_QUEUES[list.defaultQueue]}`);
    if (list.limits.some((l, i) => l !== PQ_DEFAULT_LIMITS[i]))
      lines.push(`${head} queue-limit ${list.limits.join(" ")}`);
  }
  for (const [n, list] of [...lq.queueLists].sort((a, b) => a[0] - b[0])) {
    const head = `queue-list ${n}`;
    for (const r of list.rules) lines.push(rule(head, String(r.queue), r.match));
    if (list.defaultQueue !== 1) lines.push(`${head} default ${list.defaultQueue}`);
    for (let q = 0; q < list.limits.length; q++) {
      const bytes = list.byteCounts[q] !== CQ_DEFAULT_BYTE_COUNT;
      const limit = list.limits[q] !== CQ_DEFAULT_LIMIT;
      if (bytes && limit) lines.push(`${head} queue ${q} byte-count ${list.byteCounts[q]} limit ${list.limits[q]}`);
      else if (bytes) lines.push(`${head} queue ${q} byte-count ${list.byteCounts[q]}`);
      else if (limit) lines.push(`${head} queue ${q} limit ${list.limits[q]}`);
    }
  }
  return lines.length > 0 ? [...lines, "!"] : [];
}

const execSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "show queueing [fair | priority | custom | interface INTERFACE:interface]",
    handler: (a, ctx) => {
      if (a.interface !== undefined) {
        const ifc = ctx.device.findInterface(String(a.interface));
        if (ifc === undefined) return "% Invalid interface";
        return renderShowQueueing(ctx.device, undefined, ifc);
      }
      const which = a.fair ? "fair" : a.priority ? "priority" : a.custom ? "custom" : undefined;
      return renderShowQueueing(ctx.device, which);
    },
  },
  {
    syntax: "show queue INTERFACE:interface",
    handler: (a, ctx) => {
      const ifc = ctx.device.findInterface(String(a.interface));
      if (ifc === undefined) return "% Invalid interface";
      return renderShowQueue(ctx.device, ifc);
    },
  },
];

/** Registers the legacy queueing commands and their help. */
export function addLegacyQueueingCommands(table: CommandTable<RouterDevice>): void {
  table.add("exec", ...execSpecs);
  table.add("config", ...globalSpecs);
  table.add("config-if", ...interfaceSpecs);
  describeLegacyQueueingCommands(table);
}
