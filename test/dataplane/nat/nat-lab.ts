// A small NAT lab run inline, so tests can reach into devices (send crafted
// datagrams, read the translation table) while it runs on the virtual clock:
//
//   H1 10.0.0.11 ─┐                                 ┌ Loopback0 198.51.100.1
//   H2 10.0.0.12 ─┼─ Gi0/0 R1 Gi0/1 ── Gi0/0 R2 ───┤
//   (LAN 10.0.0.0/24, R1 10.0.0.1)  203.0.113.1/.2   └ Loopback1 172.16.1.1
//
// R1's Gi0/0 is `ip nat inside`, Gi0/1 `ip nat outside`; the NAT lines are
// the test's. R2 has no route to 10.0.0.0/24 unless the test adds one.

import { createHost } from "../../../actors/host.ts";
import { createRouter, type IosDeviceActor } from "../../../actors/router.ts";
import type { RouterDevice } from "../../../src/config/router/router-device.ts";
import type { DeviceActor } from "../../../src/runtime/device.ts";
import { Lab } from "../../../src/runtime/lab.ts";
import { buildLabSpec } from "../../../src/scenario/topology-file.ts";

/** Extra configuration per router (appended before `end`). */
export interface NatLabOptions {
  r1?: string;
  r2?: string;
  seed?: number;
  /** Called with every frame put on the R1-R2 wire. */
  onWire?: (bytes: Uint8Array) => void;
}

/** A running NAT lab. */
export interface NatLab {
  lab: Lab;
  device(name: "R1" | "R2" | "H1" | "H2"): RouterDevice;
  cmd(device: "R1" | "R2" | "H1" | "H2", line: string): Promise<string>;
  close(): void;
}

const host = (n: number) =>
  [
    `hostname H${n}`,
    "interface GigabitEthernet0/0",
    ` ip address 10.0.0.1${n} 255.255.255.0`,
    " no shutdown",
    "ip default-gateway 10.0.0.1",
    "end",
  ].join("\n");

/** Builds and boots the lab (1 s of virtual time). */
export async function natLab(opts: NatLabOptions = {}): Promise<NatLab> {
  const actors = new Map<string, IosDeviceActor>();
  const r1 = [
    "hostname R1",
    "interface GigabitEthernet0/0",
    " ip address 10.0.0.1 255.255.255.0",
    " ip nat inside",
    "interface GigabitEthernet0/1",
    " ip address 203.0.113.1 255.255.255.0",
    " ip nat outside",
    "ip route 0.0.0.0 0.0.0.0 203.0.113.2",
    opts.r1 ?? "",
    "end",
  ].join("\n");
  const r2 = [
    "hostname R2",
    "interface Loopback0",
    " ip address 198.51.100.1 255.255.255.255",
    "interface Loopback1",
    " ip address 172.16.1.1 255.255.255.0",
    "interface GigabitEthernet0/0",
    " ip address 203.0.113.2 255.255.255.0",
    opts.r2 ?? "",
    "end",
  ].join("\n");
  const spec = buildLabSpec(
    "nat-lab",
    "nat-lab",
    {
      devices: { R1: "router", R2: "router", H1: "host", H2: "host" },
      links: [{ name: "R1-R2", a: "R1 GigabitEthernet0/1", b: "R2 GigabitEthernet0/0", latencyMs: 1 }],
      segments: [{ name: "LAN", ports: ["R1 GigabitEthernet0/0", "H1 GigabitEthernet0/0", "H2 GigabitEthernet0/0"] }],
    },
    { R1: r1, R2: r2, H1: host(1), H2: host(2) },
    opts.seed ?? 1,
  );
  const keep = (actor: DeviceActor, name: string): DeviceActor => {
    actors.set(name, actor as IosDeviceActor);
    return actor;
  };
  const lab = await Lab.create(spec, {
    workers: 0,
    factories: { router: (n, t) => keep(createRouter(n, t), n), host: (n, t) => keep(createHost(n, t), n) },
    capture:
      opts.onWire === undefined
        ? undefined
        : {
            write: (wire, _atNs, bytes) => {
              if (wire.name === "R1-R2") opts.onWire!(bytes);
            },
            close: () => {},
          },
  });
  await lab.run(1e9);
  return {
    lab,
    device: (name) => actors.get(name)!.routerDevice,
    cmd: async (name, line) => (await lab.command(name, line)).output,
    close: () => lab.close(),
  };
}
