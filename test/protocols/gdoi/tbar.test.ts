// Time-based anti-replay (TBAR) end to end on getvpn-fail-close-tbar's lab (KS1
// with `replay time window-size 5`, members CE1 and CE3), run inline so the
// test can hold a member's devices: members stamp their pseudotime in Cisco
// metadata inside ESP and check each other's; a packet replayed within the
// window passes (TBAR allows it), the same packet replayed 10 s later is
// dropped and counted with %GDOI-4-TIMEBASED_REPLAY_FAILED; a member whose
// pseudotime runs fast drops the others' packets until a rekey sets it back;
// a time-based SA without the key server's pseudotime sends nothing.

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { deviceFactories } from "../../../actors/index.ts";
import { createRouter, type IosDeviceActor } from "../../../actors/router.ts";
import type { RouterDevice } from "../../../src/config/router/router-device.ts";
import type { DeviceFactory } from "../../../src/runtime/device.ts";
import { Lab } from "../../../src/runtime/lab.ts";
import type { WireSpec } from "../../../src/runtime/topology.ts";
import { loadScenario } from "../../../src/scenario/load.ts";
import {
  CMD_TBAR_LENGTH,
  emitTbarMetadataInto,
  IP_PROTO_CISCO_METADATA,
  parseCiscoMetadata,
} from "../../../src/wire/cisco-metadata.ts";
import { emitIpv4 } from "../../../src/wire/ipv4.ts";

const SEC = 1_000_000_000;

describe("Cisco metadata (TBAR option)", () => {
  test("round trip, and what the receiver refuses", () => {
    const b = new Uint8Array(CMD_TBAR_LENGTH + 3);
    expect(emitTbarMetadataInto(620_880, 4, b)).toBe(12);
    expect([...b.subarray(0, 12)]).toEqual([4, 12, 1, 0, 0, 2, 0, 4, 0, 0x09, 0x79, 0x50]);
    const md = parseCiscoMetadata(b);
    expect(md.ok && md.value).toEqual({ nextHeader: 4, length: 12, pseudotimeMs: 620_880 });
    expect(IP_PROTO_CISCO_METADATA).toBe(99);
    const bad = (mutate: (x: Uint8Array) => Uint8Array | undefined | void) => {
      const x = b.slice();
      const r = parseCiscoMetadata(mutate(x) ?? x);
      return r.ok ? "ok" : r.error.reason;
    };
    expect(bad((x) => x.subarray(0, 3))).toBe("truncated");
    expect(bad((x) => x.subarray(0, 8))).toBe("truncated");
    expect(
      bad((x) => {
        x[2] = 2;
      }),
    ).toBe("badVersion");
    expect(
      bad((x) => {
        x[1] = 10;
      }),
    ).toBe("badLength");
    expect(
      bad((x) => {
        x[7] = 8;
      }),
    ).toBe("badLength");
  });

  test("arbitrary bytes never throw", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        const r = parseCiscoMetadata(bytes);
        if (r.ok) expect(r.value.length).toBeLessThanOrEqual(bytes.length);
      }),
    );
  });
});

describe("TBAR on a GETVPN lab", () => {
  test("stamps, replay inside and outside the window, a drifting member and its resync by rekey", async () => {
    const scenario = loadScenario("getvpn-fail-close-tbar");
    const actors = new Map<string, IosDeviceActor>();
    const router: DeviceFactory = (name, config, nvram) => {
      const a = createRouter(name, config, nvram) as IosDeviceActor;
      actors.set(name, a);
      return a;
    };
    // ESP on CE3's link addressed to HOST3: the packets an attacker on the provider's side would replay.
    const toHost3: Uint8Array[] = [];
    const capture = {
      write(wire: WireSpec, _at: number, bytes: Uint8Array) {
        const ip = bytes.subarray(14);
        if (wire.name === "P-CE3" && ip[9] === 50 && ip[16] === 10 && ip[17] === 0 && ip[18] === 33 && ip[19] === 2)
          toHost3.push(ip.slice());
      },
      close() {},
    };
    const lab = await Lab.create(scenario.lab, {
      workers: 0,
      factories: { ...deviceFactories, router },
      capture,
    });
    const run = async (device: string, line: string) => (await lab.command(device, line)).output;
    const ce3 = (): RouterDevice => actors.get("CE3")!.routerDevice;
    try {
      await run("KS1", "configure terminal");
      await run("KS1", "interface Ethernet0/0");
      await run("KS1", "no shutdown");
      await run("KS1", "end");
      await lab.run(120 * SEC);
      // Each site's ARP first, so that no echo of the counted pings is lost to it.
      await run("HOST1", "ping 10.0.111.1 repeat 2");
      await run("HOST3", "ping 10.0.33.1 repeat 2");
      expect(await run("HOST1", "ping 10.0.33.2 repeat 5")).toContain("Success rate is 100 percent (5/5)");
      const replay3 = await run("CE3", "show crypto gdoi gm replay");
      expect(replay3).toContain("Anti-replay Information For Group GDOI-GROUP1:");
      expect(replay3).toMatch(/Input Packets\s+: 5\s+Output Packets\s+: 5\n/);
      expect(replay3).toMatch(/Input Error Packets\s+: 0\s+Output Error Packets\s+: 0\n/);
      expect(replay3).toContain("No TBAR errors detected");
      // Members run the key server's pseudotime: about the time since the first registration.
      const value = Number(/Replay Value\s+: ([\d.]+) secs/.exec(replay3)![1]);
      expect(value).toBeGreaterThan(0);
      expect(value).toBeLessThan(125);

      // Replayed at once: inside the window, TBAR lets it through (the echo reaches HOST3 again).
      expect(toHost3.length).toBe(5);
      const victim = toHost3[0]!;
      const ingress = ce3().stack.interface("Ethernet0/0")!;
      const decrypts = () => ce3().ipsec!.groups.group("GDOI-GROUP1")!.counters.decrypt;
      const before = decrypts();
      expect(ce3().ipsec!.groups.open(victim.slice(), ingress)).toBe(true);
      expect(decrypts()).toBe(before + 1);
      // Ten seconds later the same packet is outside the 5-second window: dropped and counted.
      await lab.run(10 * SEC);
      expect(ce3().ipsec!.groups.open(victim.slice(), ingress)).toBe(true);
      expect(decrypts()).toBe(before + 1);
      const after = await run("CE3", "show crypto gdoi gm replay");
      expect(after).toMatch(/Input Error Packets\s+: 1\s+/);
      const maxDelta = Number(/Time Sync Error\s+: 1\s+Max time delta\s+: ([\d.]+) secs/.exec(after)![1]);
      expect(maxDelta).toBeGreaterThan(5);
      const [, mine, peer, delta] =
        /src=10\.0\.111\.2; my_pst=([\d.]+) secs; peer_pst=([\d.]+) secs; delta=([\d.]+) secs/.exec(after)!.map(Number);
      expect(mine! - peer!).toBeCloseTo(delta!, 1);
      expect(delta).toBe(maxDelta);
      expect(await run("CE3", "show logging | include TIMEBASED")).toMatch(
        /%GDOI-4-TIMEBASED_REPLAY_FAILED: An anti replay check has failed in group GDOI-GROUP1: my_pseudotime = [\d.]+ secs, peer_pseudotime = [\d.]+ secs, replay_window = 5 \(sec\), src_ip = 10\.0\.111\.2, dst_ip = 10\.0\.33\.2/,
      );

      // CE3's oscillator runs 50% fast: after 20 s it is 10 s ahead and drops what CE1 seals.
      ce3().ipsec!.groups.group("GDOI-GROUP1")!.tbar.rate = 1.5;
      await lab.run(20 * SEC);
      expect(await run("HOST1", "ping 10.0.33.2 repeat 3 timeout 1")).toContain("Success rate is 0 percent (0/3)");
      expect(await run("CE3", "show crypto gdoi gm replay")).toMatch(/Time Sync Error\s+: 4\s+/);
      // A rekey carries the key server's pseudotime again: CE3 is back in step and traffic flows.
      await run("KS1", "crypto gdoi ks rekey");
      await lab.run(2 * SEC);
      expect(await run("HOST1", "ping 10.0.33.2 repeat 3")).toContain("Success rate is 100 percent (3/3)");
      expect(await run("CE3", "show crypto gdoi gm replay")).toMatch(/Time Sync Error\s+: 4\s+/);

      // A time-based SA whose key server sent no pseudotime: nothing can be stamped, so nothing is sent.
      const ce1 = actors.get("CE1")!.routerDevice;
      const groups = ce1.ipsec!.groups;
      const tek = groups.group("GDOI-GROUP1")!.teks[0]!;
      const any = { address: 0, mask: 0, port: 0 };
      groups.install(
        "UNSTAMPED",
        0,
        [{ action: "permit", protocol: 0, src: any, dst: any, spi: 0x4242 }],
        [
          {
            spi: 0x4242,
            transform: tek.transform,
            lifetimeSec: 600,
            tbarWindowSec: 5,
            encryptionKey: tek.keys.encryptionKey,
            integrityKey: tek.keys.integrityKey,
          },
        ],
      );
      const dgram = emitIpv4({
        dscp: 0,
        ecn: 0,
        identification: 1,
        dontFragment: false,
        moreFragments: false,
        fragmentOffset: 0,
        ttl: 64,
        protocol: 17,
        src: 0x0a006f02,
        dst: 0x0a002102,
        options: new Uint8Array(0),
        payload: new Uint8Array(8),
      });
      const egress = ce1.stack.interface("Ethernet0/0")!;
      expect(groups.output("UNSTAMPED", egress, 0xc0a80b01, dgram, null)).toMatchObject({
        ok: false,
        failure: "encapsulationFailed",
      });
      expect(groups.group("UNSTAMPED")!.tbar.outputErrors).toBe(1);
      expect(groups.group("UNSTAMPED")!.counters.encrypt).toBe(0);
    } finally {
      lab.close();
    }
  }, 60000);
});
