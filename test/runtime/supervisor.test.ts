// A device actor that throws is logged, rebuilt from its configuration and
// restarted; the rest of the lab goes on. A device that keeps crashing is
// left down after five crashes in a minute.
import { describe, expect, test } from "bun:test";
import type { DeviceActor, DeviceContext, DeviceFactory } from "../../src/runtime/device.ts";
import { Lab } from "../../src/runtime/lab.ts";
import type { LabSpec } from "../../src/runtime/topology.ts";

/** Sends a frame to its peer every second; counts what it gets; crashes when its config says so. */
class Ticker implements DeviceActor {
  ctx!: DeviceContext;
  received = 0;
  constructor(private readonly config: string) {}
  start(ctx: DeviceContext): void {
    this.ctx = ctx;
    ctx.setPortEnabled(0, true);
    ctx.schedule(1e9, "tick");
  }
  receive(): void {
    this.received++;
    if (this.config === "crash-on-receive") throw new TypeError("bad frame handling");
  }
  timer(): void {
    this.ctx.send(0, new Uint8Array(64));
    this.ctx.schedule(1e9, "tick");
  }
  carrier(): void {}
  command(id: number, line: string): void {
    this.ctx.reply(id, `${this.ctx.name} got ${this.received}\n`, true);
    void line;
  }
  runningConfig(): string {
    return this.config;
  }
}

const factories: Record<string, DeviceFactory> = { ticker: (_n, config) => new Ticker(config) };

function pair(configA: string, configB: string): LabSpec {
  return {
    name: "pair",
    seed: 1,
    devices: [
      {
        id: 0,
        name: "A",
        kind: "ticker",
        config: configA,
        ports: [{ index: 0, name: "GigabitEthernet0/0", kind: "ethernet", wireId: 0 }],
      },
      {
        id: 1,
        name: "B",
        kind: "ticker",
        config: configB,
        ports: [{ index: 0, name: "GigabitEthernet0/0", kind: "ethernet", wireId: 0 }],
      },
    ],
    wires: [
      {
        id: 0,
        name: "A-B",
        kind: "ethernet",
        segment: false,
        ends: [
          { deviceId: 0, port: 0 },
          { deviceId: 1, port: 0 },
        ],
        latencyNs: 1e6,
        bitsPerSecond: 1e9,
        mtu: 1500,
        loss: 0,
      },
    ],
  };
}

describe("supervisor", () => {
  test("a crashing device is restarted and then left down; its neighbour runs on", async () => {
    const lab = await Lab.create(pair("ok", "crash-on-receive"), { workers: 0, factories });
    await lab.run(30e9);
    const crashes = lab.syslog.filter((l) =>
      l.text.startsWith("B: %SYS-2-ACTOR_CRASH: B: device actor failed: TypeError: bad frame handling"),
    );
    expect(crashes.length).toBe(6);
    expect(lab.syslog.filter((l) => l.text.includes("%SYS-5-RESTART: B")).length).toBe(5);
    expect(lab.syslog.some((l) => l.text.includes("B: 6 crashes in 60 seconds, device left down"))).toBe(true);
    // A keeps running and answering.
    const a = await lab.command("A", "status");
    expect(a.output).toMatch(/^A got \d+\n$/);
    const b = await lab.command("B", "status");
    expect(b.output).toContain("B is not running");
    lab.close();
  });
});
