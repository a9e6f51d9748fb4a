// A DeviceContext for renderer tests: a fixed port list, a virtual clock the
// test moves by hand, recorded schedule/cancel calls (runTimers fires those
// due), sends that always succeed (and are recorded) and a deterministic
// random source.

import { RouterDevice } from "../../../src/config/router/router-device.ts";
import type { RouterInterface } from "../../../src/dataplane/pipeline/router-interface.ts";
import type { DeviceContext, PortInfo, PortKind, TimeNs, TimerId } from "../../../src/runtime/device.ts";

/** A port as a test writes it: name, kind and optional speed. */
export interface FakePort {
  name: string;
  kind: PortKind;
  bitsPerSecond?: number;
}

/** The fake context with its recordings and a settable clock. */
export interface FakeContext extends DeviceContext {
  nowNs: TimeNs;
  readonly scheduled: Array<{ id: TimerId; delayNs: TimeNs; tag: string }>;
  readonly cancelled: TimerId[];
  readonly sent: Array<{ port: number; bytes: Uint8Array }>;
  readonly consoleLines: string[];
  /** reload() calls. */
  reloads: number;
  /** Output hold queue limits the device set, by port. */
  readonly outputQueueLimits: Map<number, number>;
}

/** Builds a fake context with the given ports (serial defaults to T1, Ethernet to 1 Gbit/s). */
export function fakeContext(name: string, ports: FakePort[], id = 0): FakeContext {
  let timer = 0;
  let seed = 0x12345678;
  const next = (): number => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed;
  };
  const infos: PortInfo[] = ports.map((p, index) => ({
    index,
    name: p.name,
    kind: p.kind,
    bitsPerSecond: p.bitsPerSecond ?? (p.kind === "serial" ? 1_544_000 : 1_000_000_000),
    wireMtu: 1500,
  }));
  const ctx: FakeContext = {
    name,
    id,
    ports: infos,
    nowNs: 0,
    scheduled: [],
    cancelled: [],
    sent: [],
    consoleLines: [],
    now: () => ctx.nowNs,
    schedule(delayNs, tag) {
      const tid = ++timer;
      ctx.scheduled.push({ id: tid, delayNs, tag });
      return tid;
    },
    cancel(tid) {
      ctx.cancelled.push(tid);
    },
    send(port, bytes) {
      ctx.sent.push({ port, bytes });
      return true;
    },
    txBusyUntil: () => ctx.nowNs,
    outputQueueDepth: () => 0,
    setOutputQueueLimit: (port, packets) => void ctx.outputQueueLimits.set(port, packets),
    nvram: { startupConfig: "" },
    boot: { kind: "powerOn" },
    reloads: 0,
    outputQueueLimits: new Map(),
    reload() {
      ctx.reloads++;
    },
    setPortEnabled() {},
    random: () => next() / 2 ** 32,
    randomU32: next,
    reply() {},
    console(line) {
      ctx.consoleLines.push(line);
    },
  };
  return ctx;
}

/** A router on a fake context. */
export function fakeRouter(name: string, ports: FakePort[]): { device: RouterDevice; ctx: FakeContext } {
  const ctx = fakeContext(name, ports);
  return { device: new RouterDevice(ctx, "router"), ctx };
}

/** Sets an interface's primary address, brings it up with carrier, and applies the change. */
export function bringUp(device: RouterDevice, name: string, address?: number, length?: number): RouterInterface {
  const ifc = device.findInterface(name) ?? (device.ensureInterface(name) as RouterInterface);
  if (address !== undefined && length !== undefined) ifc.config.address = { address, length };
  ifc.config.shutdown = false;
  ifc.carrier = true;
  device.interfaceChanged(ifc, true);
  return ifc;
}

/**
 * Fires the device's timers scheduled so far whose delay is at most `withinNs`
 * (earliest first, counted from now, the clock moved to each), e.g. the
 * control plane's answer to an echo; returns how many fired.
 */
export function runTimers(device: RouterDevice, ctx: FakeContext, withinNs = 10_000_000): number {
  const start = ctx.nowNs;
  const pending = ctx.scheduled
    .map((t, i) => ({ ...t, at: start + t.delayNs, i }))
    .filter((t) => t.delayNs <= withinNs && !ctx.cancelled.includes(t.id))
    .sort((a, b) => a.at - b.at || a.i - b.i);
  const due = new Set(pending.map((t) => t.id));
  const later = ctx.scheduled.filter((t) => !due.has(t.id));
  ctx.scheduled.splice(0, ctx.scheduled.length, ...later);
  let fired = 0;
  for (const t of pending) {
    ctx.nowNs = Math.max(ctx.nowNs, t.at);
    if (device.timers.fire(t.tag)) fired++;
  }
  return fired;
}
