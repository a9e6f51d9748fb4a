// A device actor that throws is rebuilt and restarted, and learns why from
// ctx.boot (an IOS device renders its own %SYS-5-RESTART); the rest of the lab
// goes on. A device that keeps crashing is left down after five crashes in a
// minute, which the lab reports; the runtime itself writes no %SYS text.
import { describe, expect, test } from "bun:test";
import { createRouter, type IosDeviceActor } from "../../actors/router.ts";
import { chainLab } from "../../src/bench/chain-lab.ts";
import type { BootReason, DeviceActor, DeviceContext, DeviceFactory } from "../../src/runtime/device.ts";
import { Lab } from "../../src/runtime/lab.ts";
import type { LabSpec } from "../../src/runtime/topology.ts";

/** Sends a frame to its peer every second; counts what it gets; crashes when its config says so. */
class Ticker implements DeviceActor {
  ctx!: DeviceContext;
  received = 0;
  constructor(private readonly config: string) {}
  start(ctx: DeviceContext): void {
    this.ctx = ctx;
    boots.push({ name: ctx.name, boot: ctx.boot });
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

const boots: { name: string; boot: BootReason }[] = [];
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
    boots.length = 0;
    const lab = await Lab.create(pair("ok", "crash-on-receive"), { workers: 0, factories });
    await lab.run(30e9);
    // Each restarted instance is told it follows a crash, and why.
    const bBoots = boots.filter((b) => b.name === "B").map((b) => b.boot);
    expect(bBoots[0]).toEqual({ kind: "powerOn" });
    expect(bBoots.slice(1)).toEqual(Array(5).fill({ kind: "crash", error: "TypeError: bad frame handling" }));
    // The runtime writes no IOS text; the lab reports the device it gave up on.
    expect(lab.syslog.filter((l) => l.text.includes("%SYS"))).toEqual([]);
    expect(lab.syslog.map((l) => l.text)).toEqual([
      "B: % wanlab: B crashed 6 times in 60 seconds and is left down (last error: TypeError: bad frame handling)",
    ]);
    // A keeps running and answering.
    const a = await lab.command("A", "status");
    expect(a.output).toMatch(/^A got \d+\n$/);
    const b = await lab.command("B", "status");
    expect(b.output).toBe("% B is not running (too many crashes)\n");
    lab.close();
  });

  test("an IOS router renders its own restart after a crash and after a reload", async () => {
    const chain = chainLab({ routers: 2 });
    const actors = new Map<string, IosDeviceActor>();
    const routers: Record<string, DeviceFactory> = {
      router: (name, config, privateConfig) => {
        const actor = createRouter(name, config, privateConfig) as IosDeviceActor;
        actors.set(name, actor);
        return actor;
      },
    };
    const lab = await Lab.create(chain.spec, { workers: 0, factories: routers });
    await lab.run(2e9);
    const [r1, r2] = chain.names as [string, string];
    const crashed = await lab.command(r2, "test crash");
    expect(crashed.output).toBe(`% ${r2} crashed while running this command: Error: test crash requested on ${r2}\n`);
    const restart = (reason: string) =>
      `${r2}: %SYS-5-RESTART: System restarted --\nSystem returned to ROM by ${reason}`;
    expect(lab.syslog.map((l) => l.text)).toContain(
      restart(`error - a Software forced crash (Error: test crash requested on ${r2})`),
    );
    // The new instance logs it in its own buffer too.
    expect((await lab.command(r2, "show logging")).output).toContain("%SYS-5-RESTART: System restarted --");
    // A reload (what `reload` does once confirmed) is rendered with its own reason.
    actors.get(r2)!.routerDevice.ctx.reload();
    await lab.command(r1, "ping 172.16.0.2 repeat 1");
    await lab.run(1e9);
    expect(lab.syslog.map((l) => l.text)).toContain(restart("reload"));
    expect(lab.syslog.some((l) => l.text.includes("%SYS-2-ACTOR_CRASH"))).toBe(false);
    lab.close();
  });
});
