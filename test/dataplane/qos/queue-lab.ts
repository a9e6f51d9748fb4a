// A router on a fake context whose ports serialize like the runtime's (HDLC
// framing overhead, the wire's bit rate) and whose timers run in virtual-time
// order: enough to watch an output queue fill, drain and choose.

import { CliSession } from "../../../src/config/cli/modes.ts";
import { routerCommandTable } from "../../../src/config/router/router-commands.ts";
import type { RouterDevice } from "../../../src/config/router/router-device.ts";
import { parseIpv4Address } from "../../../src/wire/ipv4-address.ts";
import { bringUp, type FakeContext, fakeRouter } from "../../config/router/fake-context.ts";

/** A frame the fake port put on the wire, with when its serialization started. */
export interface Departure {
  at: number;
  port: number;
  bytes: Uint8Array;
}

/** The lab: the router, its context, what left each port and a clock driver. */
export interface QueueLab {
  device: RouterDevice;
  ctx: FakeContext;
  departures: Departure[];
  /** Runs timers in time order until none is left (or `untilNs`). */
  run(untilNs?: number): void;
  /** Loads config lines; the load errors. */
  load(lines: string[]): string[];
  /** Runs one exec line; what IOS prints. */
  exec(line: string): string;
}

/** R1 with Serial0/0 (T1, 10.0.12.1/24) and GigabitEthernet0/1; `config` lines are loaded first. */
export function queueLab(bitsPerSecond = 1_544_000): QueueLab {
  const { device, ctx } = fakeRouter("R1", [
    { name: "Serial0/0", kind: "serial", bitsPerSecond },
    { name: "GigabitEthernet0/1", kind: "ethernet" },
  ]);
  bringUp(device, "Serial0/0", parseIpv4Address("10.0.12.1")!, 24);
  const busy = new Map<number, number>();
  const departures: Departure[] = [];
  const timers: { at: number; tag: string; id: number; seq: number }[] = [];
  let seq = 0;
  ctx.txBusyUntil = (port) => Math.max(ctx.nowNs, busy.get(port) ?? 0);
  ctx.send = (port, bytes) => {
    const start = Math.max(ctx.nowNs, busy.get(port) ?? 0);
    busy.set(port, start + Math.ceil(((bytes.length + 4) * 8 * 1e9) / ctx.ports[port]!.bitsPerSecond));
    departures.push({ at: start, port, bytes });
    return true;
  };
  let ids = 1000;
  ctx.schedule = (delayNs, tag) => {
    const id = ++ids;
    timers.push({ at: ctx.nowNs + delayNs, tag, id, seq: seq++ });
    return id;
  };
  const run = (untilNs = Number.POSITIVE_INFINITY): void => {
    for (;;) {
      timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const t = timers[0];
      if (t === undefined || t.at > untilNs) return;
      timers.shift();
      ctx.nowNs = Math.max(ctx.nowNs, t.at);
      device.timers.fire(t.tag);
    }
  };
  const session = new CliSession(routerCommandTable(), { device, hostname: () => device.hostname, privileged: true });
  return {
    device,
    ctx,
    departures,
    run,
    load: (lines) => session.loadConfig(lines.join("\n")).map((e) => e.message),
    exec: (line) => session.execute(line).output,
  };
}

/** An HDLC frame holding a UDP datagram 10.0.12.1 -> 10.0.12.2 of `size` bytes from `sport` to `dport` with ToS `tos`. */
export function hdlcUdp(dport: number, size = 1000, tos = 0, sport = 5000): Uint8Array {
  const f = new Uint8Array(4 + size);
  f.set([
    0x0f,
    0x00,
    0x08,
    0x00,
    0x45,
    tos,
    size >> 8,
    size & 0xff,
    0,
    0,
    0,
    0,
    64,
    17,
    0,
    0,
    10,
    0,
    12,
    1,
    10,
    0,
    12,
    2,
  ]);
  f.set([sport >> 8, sport & 0xff, dport >> 8, dport & 0xff, (size - 20) >> 8, (size - 20) & 0xff], 24);
  return f;
}

/** The UDP destination port of a departed HDLC frame. */
export function dportOf(d: Departure): number {
  return (d.bytes[26]! << 8) | d.bytes[27]!;
}
