// NAT traversal through the ipsec-nat-t lab's PAT router, beyond what the
// scenario shows: aggressive mode also finds the NAT (NAT-D in messages 2 and
// 3) and floats to UDP 4500 for message 3; garbage on UDP 4500 (short,
// marker-only, random) is dropped and logged without hurting the tunnel.

import { afterEach, describe, expect, test } from "bun:test";
import fc from "fast-check";
import { deviceFactories } from "../../../actors/index.ts";
import type { IosDeviceActor } from "../../../actors/router.ts";
import { Lab } from "../../../src/runtime/lab.ts";
import { loadScenario } from "../../../src/scenario/load.ts";
import { emitUdp } from "../../../src/wire/udp.ts";
import { IP_PROTO_UDP } from "../../../src/wire/ipv4.ts";
import type { RouterDevice } from "../../../src/config/router/router-device.ts";
import type { DeviceActor } from "../../../src/runtime/device.ts";

const HQ = 0xc6336403; // 198.51.100.3
const PAT = 0xc6336402; // 198.51.100.2

let lab: Lab | null = null;
afterEach(() => {
  lab?.close();
  lab = null;
});

/** The scenario's three routers, booted, ARP warmed; `extra` lines are configured on R1 first. */
async function natLab(extraR1: string[] = []): Promise<{ lab: Lab; cmd: (d: string, l: string) => Promise<string>; router: (name: string) => RouterDevice }> {
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
    expect(await cmd("R3", "show crypto isakmp sa")).toMatch(/198\.51\.100\.3\s+198\.51\.100\.2\s+QM_IDLE\s+1001 ACTIVE/);
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
    const payloads = fc.sample(fc.oneof(
      fc.uint8Array({ minLength: 0, maxLength: 3 }),
      fc.uint8Array({ minLength: 0, maxLength: 27 }).map((b) => Uint8Array.from([0, 0, 0, 0, ...b])),
      fc.uint8Array({ minLength: 8, maxLength: 200 }),
    ), { numRuns: 60, seed: 7 });
    for (const data of [Uint8Array.of(0xfe), Uint8Array.of(0, 0, 0, 0), ...payloads]) {
      const udp = emitUdp({ srcPort: 4500, dstPort: 4500, payload: data }, { src: PAT, dst: HQ });
      r2.stack.send({ dst: HQ, src: PAT, protocol: IP_PROTO_UDP, payload: udp, bypassCrypto: true });
    }
    await cmd("R1", "show clock");
    await lab!.run(5e6);
    const log = await cmd("R3", "show logging");
    expect(log).toContain("%CRYPTO-4-IKMP_BAD_MESSAGE: IKE message from 198.51.100.2 failed its sanity check or is malformed");
    expect(log).toContain("%CRYPTO-4-RECVD_PKT_INV_SPI");
    expect(await cmd("R1", "ping 10.3.3.3 source Loopback0 repeat 5")).toContain("!!!!!");
    expect(await cmd("R3", "show crypto isakmp sa")).toMatch(/QM_IDLE\s+1001 ACTIVE/);
  });
});
