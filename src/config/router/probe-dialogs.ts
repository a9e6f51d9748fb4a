// IOS's extended ping and traceroute dialogs: `ping` or `traceroute` with no
// target asks IOS's questions one by one (Enter takes the default in
// brackets), then runs the same job as the one-line form. The ping dialog is
// the one seed 002 quotes: protocol, target, repeat, size, timeout, then the
// extended commands (source, ToS, DF, reply validation, data pattern, IP
// options) and the size sweep.

import { parseIpv4Address } from "../../wire/ipv4-address.ts";
import type { CommandSpec, CommandTable } from "../cli/modes.ts";
import {
  type Ctx,
  type PingRequest,
  sourceOf,
  startPing,
  startTraceroute,
  sweepSizes,
  type TracerouteRequest,
} from "./exec-commands.ts";
import { type DialogQuestion, decimal, runDialog, yesNo } from "./exec-dialog.ts";
import type { RouterDevice } from "./router-device.ts";

const BAD_SOURCE =
  "% Invalid source. Must use same-VRF IP address or full interface name without spaces (e.g. Serial0/1)";
const NO_OPTIONS = "% wanlab sends no IP options: Loose, Strict, Record, Timestamp and Verbose are not supported";

/** `Protocol [ip]:` (IP only) and `Target IP address:`; shared by both dialogs. */
function protocolAndTarget<S extends { target: number }>(askProtocol: boolean, command: string): DialogQuestion<S>[] {
  return [
    {
      prompt: "Protocol [ip]: ",
      when: () => askProtocol,
      read: (a) =>
        a === "" || a.toLowerCase() === "ip" ? undefined : `% Unknown protocol - "${a}", type "${command} ?" for help`,
    },
    {
      prompt: "Target IP address: ",
      read: (a, s) => {
        if (a === "") return "% Bad IP address";
        const target = parseIpv4Address(a);
        if (target === null) return "% Unrecognized host or address, or protocol not running.";
        s.target = target;
        return undefined;
      },
    },
  ];
}

/** A decimal question: stores the number or ends with IOS's range message. */
function number<S>(
  prompt: string,
  lo: number,
  hi: number,
  get: (s: S) => number,
  set: (s: S, v: number) => void,
  when?: (s: S) => boolean,
): DialogQuestion<S> {
  return {
    prompt,
    ...(when ? { when } : {}),
    read: (a, s) => {
      const v = decimal(a, get(s), lo, hi);
      if (typeof v === "string") return v;
      set(s, v);
      return undefined;
    },
  };
}

/** A yes/no question: stores the answer or asks again. */
function flag<S>(
  prompt: string,
  get: (s: S) => boolean,
  set: (s: S, v: boolean) => void,
  when?: (s: S) => boolean,
): DialogQuestion<S> {
  return {
    prompt,
    ...(when ? { when } : {}),
    read: (a, s) => {
      const v = yesNo(a, get(s));
      if (typeof v !== "boolean") return v;
      set(s, v);
      return undefined;
    },
  };
}

interface PingState extends PingRequest {
  size: number;
  extended: boolean;
  sweepMin: number;
  sweepMax: number;
  sweepInterval: number;
}

function pingQuestions(device: RouterDevice, askProtocol: boolean): DialogQuestion<PingState>[] {
  const ext = (s: PingState) => s.extended;
  return [
    ...protocolAndTarget<PingState>(askProtocol, "ping"),
    number(
      "Repeat count [5]: ",
      1,
      2147483647,
      (s) => s.repeat,
      (s, v) => void (s.repeat = v),
    ),
    number(
      "Datagram size [100]: ",
      36,
      18024,
      (s) => s.size,
      (s, v) => void (s.size = v),
    ),
    number(
      "Timeout in seconds [2]: ",
      0,
      3600,
      (s) => s.timeoutSec,
      (s, v) => void (s.timeoutSec = v),
    ),
    flag(
      "Extended commands [n]: ",
      (s) => s.extended,
      (s, v) => void (s.extended = v),
    ),
    {
      prompt: "Source address or interface: ",
      when: ext,
      read: (a, s) => {
        if (a === "") return undefined;
        const source = sourceOf(device, a);
        if (typeof source === "string") return BAD_SOURCE;
        s.source = source;
        return undefined;
      },
    },
    number(
      "Type of service [0]: ",
      0,
      255,
      (s) => s.tos,
      (s, v) => void (s.tos = v),
      ext,
    ),
    flag(
      "Set DF bit in IP header? [no]: ",
      (s) => s.dontFragment,
      (s, v) => void (s.dontFragment = v),
      ext,
    ),
    flag(
      "Validate reply data? [no]: ",
      (s) => s.validate === true,
      (s, v) => void (s.validate = v),
      ext,
    ),
    {
      prompt: "Data pattern [0xABCD]: ",
      when: ext,
      read: (a, s) => {
        if (a === "") return undefined;
        const m = /^(?:0x)?([0-9a-f]{1,4})$/i.exec(a);
        if (m === null) return "% A hexadecimal number between 0x0 and 0xFFFF.";
        s.pattern = Number.parseInt(m[1]!, 16);
        return undefined;
      },
    },
    {
      prompt: "Loose, Strict, Record, Timestamp, Verbose[none]: ",
      when: ext,
      read: (a) => (a === "" || a.toLowerCase() === "none" ? undefined : NO_OPTIONS),
    },
    flag(
      "Sweep range of sizes [n]: ",
      (s) => s.sweep,
      (s, v) => void (s.sweep = v),
    ),
    number(
      "Sweep min size [36]: ",
      36,
      18024,
      (s) => s.sweepMin,
      (s, v) => void (s.sweepMin = v),
      (s) => s.sweep,
    ),
    number(
      "Sweep max size [18024]: ",
      36,
      18024,
      (s) => s.sweepMax,
      (s, v) => void (s.sweepMax = v),
      (s) => s.sweep,
    ),
    number(
      "Sweep interval [1]: ",
      1,
      18024,
      (s) => s.sweepInterval,
      (s, v) => void (s.sweepInterval = v),
      (s) => s.sweep,
    ),
  ];
}

/** `ping` / `ping ip` with no target: the extended ping dialog. */
const pingDialog: CommandSpec<RouterDevice> = {
  syntax: "ping [ip]",
  help: "Send echo messages (with no target: the extended ping dialog)",
  handler: (a, ctx: Ctx) => {
    const state: PingState = {
      target: 0,
      source: {},
      repeat: 5,
      size: 100,
      sizes: [],
      sweep: false,
      timeoutSec: 2,
      dontFragment: false,
      tos: 0,
      extended: false,
      sweepMin: 36,
      sweepMax: 18024,
      sweepInterval: 1,
    };
    return runDialog(ctx.session, state, pingQuestions(ctx.device, a.ip !== true), (s) => {
      if (!s.sweep) return startPing(ctx, { ...s, sizes: [s.size] });
      const sizes = sweepSizes(s.sweepMin, s.sweepMax, s.sweepInterval);
      return typeof sizes === "string" ? sizes : startPing(ctx, { ...s, sizes });
    });
  },
};

interface TraceState extends TracerouteRequest {
  numeric: boolean;
}

function tracerouteQuestions(device: RouterDevice, askProtocol: boolean): DialogQuestion<TraceState>[] {
  return [
    ...protocolAndTarget<TraceState>(askProtocol, "traceroute"),
    {
      prompt: "Source address: ",
      read: (a, s) => {
        if (a === "") return undefined;
        const source = sourceOf(device, a);
        if (typeof source === "string") return BAD_SOURCE;
        s.source = source;
        return undefined;
      },
    },
    // wanlab resolves no names, so numeric display prints what the default prints.
    flag(
      "Numeric display [n]: ",
      (s) => s.numeric,
      (s, v) => void (s.numeric = v),
    ),
    number(
      "Timeout in seconds [3]: ",
      0,
      3600,
      (s) => s.timeoutSec,
      (s, v) => void (s.timeoutSec = v),
    ),
    number(
      "Probe count [3]: ",
      1,
      65535,
      (s) => s.probes,
      (s, v) => void (s.probes = v),
    ),
    number(
      "Minimum Time to Live [1]: ",
      0,
      255,
      (s) => s.minTtl,
      (s, v) => void (s.minTtl = v),
    ),
    number(
      "Maximum Time to Live [30]: ",
      0,
      255,
      (s) => s.maxTtl,
      (s, v) => void (s.maxTtl = v),
    ),
    number(
      "Port Number [33434]: ",
      1,
      65535,
      (s) => s.port,
      (s, v) => void (s.port = v),
    ),
    {
      prompt: "Loose, Strict, Record, Timestamp, Verbose[none]: ",
      read: (a) => (a === "" || a.toLowerCase() === "none" ? undefined : NO_OPTIONS),
    },
  ];
}

/** `traceroute` / `traceroute ip` with no target: IOS's traceroute dialog. */
const tracerouteDialog: CommandSpec<RouterDevice> = {
  syntax: "traceroute [ip]",
  help: "Trace route to destination (with no target: the extended traceroute dialog)",
  handler: (a, ctx: Ctx) => {
    const state: TraceState = {
      target: 0,
      source: {},
      probes: 3,
      timeoutSec: 3,
      minTtl: 1,
      maxTtl: 30,
      port: 33434,
      numeric: false,
    };
    return runDialog(ctx.session, state, tracerouteQuestions(ctx.device, a.ip !== true), (s) => {
      if (s.maxTtl < s.minTtl) return "% Maximum TTL must be at least the minimum TTL";
      return startTraceroute(ctx, s);
    });
  },
};

/** Registers the dialogs in privileged exec. */
export function addProbeDialogs(table: CommandTable<RouterDevice>): void {
  table.add("exec", pingDialog, tracerouteDialog);
}
