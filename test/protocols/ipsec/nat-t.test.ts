// NAT traversal through the ipsec-nat-t lab's PAT router, beyond what the
// scenario shows: aggressive mode also finds the NAT (NAT-D in messages 2 and
// 3) and floats to UDP 4500 for message 3; garbage on UDP 4500 (short,
// marker-only, random) is dropped and logged without hurting the tunnel; two
// branches behind the one PAT address are two peers to HQ, told apart by the
// port their NAT-T traffic comes from.

import { afterEach, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { deviceFactories } from "../../../actors/index.ts";
import type { IosDeviceActor } from "../../../actors/router.ts";
import type { RouterDevice } from "../../../src/config/router/router-device.ts";
import type { DeviceActor } from "../../../src/runtime/device.ts";
import { Lab } from "../../../src/runtime/lab.ts";
import { loadScenario } from "../../../src/scenario/load.ts";
import { buildLabSpec } from "../../../src/scenario/topology-file.ts";
import { IP_PROTO_UDP } from "../../../src/wire/ipv4.ts";
import { emitUdp } from "../../../src/wire/udp.ts";

const HQ = 0xc6336403; // 198.51.100.3
const PAT = 0xc6336402; // 198.51.100.2

let lab: Lab | null = null;
afterEach(() => {
  lab?.close();
  lab = null;
});

/** The scenario's three routers, booted, ARP warmed; `extra` lines are configured on R1 first. */
async function natLab(
  extraR1: string[] = [],
): Promise<{ lab: Lab; cmd: (d: string, l: string) => Promise<string>; router: (name: string) => RouterDevice }> {
  const scenario = loadScenario("ipsec-nat-t");
  const actors = new Map<string, IosDeviceActor>();
  const factories = {
    ...deviceFactories,
    router: (name: string, text: string): DeviceActor => {
      const actor = deviceFactories.router(name, text) as IosDeviceActor;
      actors.set(name, actor);
      return actor;
    },
  };
  const l = await Lab.create(scenario.lab, { workers: 0, factories });
  lab = l;
  await l.run(2e9);
  const cmd = async (d: string, line: string): Promise<string> => (await l.command(d, line)).output;
  if (extraR1.length > 0) for (const line of ["configure terminal", ...extraR1, "end"]) await cmd("R1", line);
  await cmd("R1", "ping 198.51.100.3");
  return { lab: l, cmd, router: (name) => actors.get(name)!.routerDevice };
}

describe("NAT traversal through PAT", () => {
  test("aggressive mode finds the NAT in messages 2 and 3 and floats to UDP 4500 for message 3", async () => {
    const { cmd } = await natLab(["crypto isakmp peer address 198.51.100.3", " set aggressive-mode password NATT-KEY"]);
    await cmd("R1", "debug crypto isakmp");
    await cmd("R3", "debug crypto isakmp");
    expect(await cmd("R1", "ping 10.3.3.3 source Loopback0 repeat 10")).toContain(".!!!!!!!!!");
    expect(await cmd("R1", "show logging")).toContain("beginning Aggressive Mode exchange");
    expect(await cmd("R1", "show logging")).toContain("NAT found, the node inside NAT");
    const r3log = await cmd("R3", "show logging");
    expect(r3log).toContain("His hash no match - this node outside NAT");
    expect(r3log).toContain("Detected port floating to port = 4500");
    expect(await cmd("R3", "show crypto isakmp sa")).toMatch(
      /198\.51\.100\.3\s+198\.51\.100\.2\s+QM_IDLE\s+1001 ACTIVE/,
    );
    const sa = await cmd("R3", "show crypto ipsec sa");
    expect(sa).toContain("current_peer 198.51.100.2 port 4500");
    expect(sa).toContain("in use settings ={Tunnel UDP-Encaps, }");
    expect(sa).toContain("#pkts decaps: 9, #pkts decrypt: 9, #pkts verify: 9");
  });

  test("garbage on UDP 4500 is dropped and logged; the tunnel keeps working", async () => {
    const { cmd, router } = await natLab();
    expect(await cmd("R1", "ping 10.3.3.3 source Loopback0 repeat 5")).toContain(".!!!!");
    const r2 = router("R2");
    // Arbitrary payloads from the outside (the PAT router's address, port 4500) to HQ's port 4500:
    // too short, a marker with a truncated ISAKMP header, ESP with unknown SPIs, random bytes.
    const payloads = fc.sample(
      fc.oneof(
        fc.uint8Array({ minLength: 0, maxLength: 3 }),
        fc.uint8Array({ minLength: 0, maxLength: 27 }).map((b) => Uint8Array.from([0, 0, 0, 0, ...b])),
        fc.uint8Array({ minLength: 8, maxLength: 200 }),
      ),
      { numRuns: 60, seed: 7 },
    );
    for (const data of [Uint8Array.of(0xfe), Uint8Array.of(0, 0, 0, 0), ...payloads]) {
      const udp = emitUdp({ srcPort: 4500, dstPort: 4500, payload: data }, { src: PAT, dst: HQ });
      r2.stack.send({ dst: HQ, src: PAT, protocol: IP_PROTO_UDP, payload: udp, bypassCrypto: true });
    }
    await cmd("R1", "show clock");
    await lab!.run(5e6);
    const log = await cmd("R3", "show logging");
    expect(log).toContain(
      "%CRYPTO-4-IKMP_BAD_MESSAGE: IKE message from 198.51.100.2 failed its sanity check or is malformed",
    );
    expect(log).toContain("%CRYPTO-4-RECVD_PKT_INV_SPI");
    expect(await cmd("R1", "ping 10.3.3.3 source Loopback0 repeat 5")).toContain("!!!!!");
    expect(await cmd("R3", "show crypto isakmp sa")).toMatch(/QM_IDLE\s+1001 ACTIVE/);
  });

  test("two branches behind one PAT address: two ISAKMP SAs from one address, told apart by port; clear crypto sa deletes each pair at its own branch", async () => {
    // The scenario's lab plus R4, a second branch (LAN 10.4.4.0/24) on R2's inside segment.
    const dir = join(import.meta.dir, "../../../scenarios/ipsec-nat-t");
    const cfg = (n: string): string => readFileSync(join(dir, `${n}.cfg`), "utf8");
    const r4 = cfg("R1")
      .replace("hostname R1", "hostname R4")
      .replaceAll("10.1.1.", "10.4.4.")
      .replace("192.168.1.1 255", "192.168.1.4 255");
    const r2 = cfg("R2").replace(
      "ip route 10.1.1.0 255.255.255.0 192.168.1.1",
      "ip route 10.1.1.0 255.255.255.0 192.168.1.1\nip route 10.4.4.0 255.255.255.0 192.168.1.4",
    );
    const r3 = cfg("R3").replace(
      "ip route 10.1.1.0 255.255.255.0 198.51.100.2",
      "ip route 10.1.1.0 255.255.255.0 198.51.100.2\nip route 10.4.4.0 255.255.255.0 198.51.100.2",
    );
    const spec = buildLabSpec(
      "two-branches",
      "two-branches",
      {
        devices: { R1: "router", R2: "router", R3: "router", R4: "router" },
        segments: [
          {
            name: "INSIDE",
            ports: ["R1 GigabitEthernet0/0", "R2 GigabitEthernet0/0", "R4 GigabitEthernet0/0"],
            latencyMs: 0.5,
          },
        ],
        links: [{ name: "R2-R3", a: "R2 GigabitEthernet0/1", b: "R3 GigabitEthernet0/0", latencyMs: 2 }],
      },
      { R1: cfg("R1"), R2: r2, R3: r3, R4: r4 },
      1,
    );
    const actors = new Map<string, IosDeviceActor>();
    const l = await Lab.create(spec, {
      workers: 0,
      factories: {
        ...deviceFactories,
        router: (name: string, text: string): DeviceActor => {
          const a = deviceFactories.router(name, text) as IosDeviceActor;
          actors.set(name, a);
          return a;
        },
      },
    });
    lab = l;
    await l.run(2e9);
    const cmd = async (d: string, line: string): Promise<string> => (await l.command(d, line)).output;
    for (const b of ["R1", "R4"]) await cmd(b, "ping 198.51.100.3");
    for (const [b, lan] of [
      ["R1", "10.1.1.1"],
      ["R4", "10.4.4.1"],
    ] as const) {
      expect(await cmd(b, "ping 10.3.3.3 source Loopback0 repeat 10")).toContain(".!!!!!!!!!");
      expect(await cmd("R3", `ping ${lan} source Loopback0`)).toContain("!!!!!");
    }
    // R4's IKE ports collide with R1's on the PAT address: 500 -> 1, 4500 -> 1024.
    const nat = await cmd("R2", "show ip nat translations");
    expect(nat).toMatch(/udp 198\.51\.100\.2:1\s+192\.168\.1\.4:500\s/);
    expect(nat).toMatch(/udp 198\.51\.100\.2:1024\s+192\.168\.1\.4:4500\s/);
    expect(
      (await cmd("R3", "show crypto isakmp sa")).match(/198\.51\.100\.3\s+198\.51\.100\.2\s+QM_IDLE/g)?.length,
    ).toBe(2);
    const session = await cmd("R3", "show crypto session");
    expect(session).toContain(
      "Peer: 198.51.100.2 port 4500 \n  IKEv1 SA: local 198.51.100.3/4500 remote 198.51.100.2/4500 Active \n  IPSEC FLOW: permit ip 10.3.3.0/255.255.255.0 10.1.1.0/255.255.255.0",
    );
    expect(session).toContain(
      "Peer: 198.51.100.2 port 1024 \n  IKEv1 SA: local 198.51.100.3/4500 remote 198.51.100.2/1024 Active \n  IPSEC FLOW: permit ip 10.3.3.0/255.255.255.0 10.4.4.0/255.255.255.0",
    );
    // HQ clears its SAs: each DELETE goes under the ISAKMP SA of the branch that holds the pair.
    await cmd("R3", "clear crypto sa");
    await cmd("R1", "show clock");
    await l.run(50e6);
    for (const b of ["R1", "R4"])
      expect(
        actors
          .get(b)!
          .routerDevice.ipsec!.allFlows()
          .every((f) => f.pairs.length === 0),
        b,
      ).toBe(true);
  });
});
