// iperf -c with -P (parallel TCP streams: one report line each, then iperf's
// [SUM]) and -S (the ToS byte of every segment the client sends), through a
// router between two Linux hosts; the capture is read back to see the ToS.
import { afterAll, describe, expect, test } from "bun:test";
import { deviceFactories } from "../../../actors/index.ts";
import { parseIperf } from "../../../src/config/hosts/linux-iperf.ts";
import { Lab } from "../../../src/runtime/lab.ts";
import { buildLabSpec } from "../../../src/scenario/topology-file.ts";
import { parseEthernet } from "../../../src/wire/ethernet.ts";
import { IP_PROTO_TCP, parseIpv4 } from "../../../src/wire/ipv4.ts";
import { parseTcp } from "../../../src/wire/tcp.ts";

const CONFIGS = {
  HA: "hostname HA\nip link set eth0 up\nip addr add 10.0.1.10/24 dev eth0\nip route add default via 10.0.1.1\n",
  HB: "hostname HB\nip link set eth0 up\nip addr add 10.0.2.10/24 dev eth0\nip route add default via 10.0.2.1\niperf -s -D\n",
  R1: "hostname R1\ninterface GigabitEthernet0/0\n ip address 10.0.1.1 255.255.255.0\n no shutdown\ninterface GigabitEthernet0/1\n ip address 10.0.2.1 255.255.255.0\n no shutdown\nend\n",
};

const labs: Lab[] = [];
afterAll(() => {
  for (const l of labs) l.close();
});

describe("iperf -P and -S", () => {
  test("parsing: -S takes hex, octal or decimal; -P 1-128; bad values are refused", () => {
    const ok = (t: string) => {
      const p = parseIperf(t);
      if (typeof p === "string" || p.mode !== "client") throw new Error(String(p));
      return p;
    };
    expect(ok("-c 10.0.2.10 -S 0xa0").tos).toBe(160);
    expect(ok("-c 10.0.2.10 -S 0240").tos).toBe(160);
    expect(ok("-c 10.0.2.10 --tos 184").tos).toBe(184);
    expect(ok("-c 10.0.2.10 -P 4").parallel).toBe(4);
    expect(ok("-c 10.0.2.10").parallel).toBe(1);
    expect(parseIperf("-c 10.0.2.10 -S 256")).toBe("iperf: invalid tos 256");
    expect(parseIperf("-c 10.0.2.10 -P 0")).toBe("iperf: invalid parallel count 0");
  });

  test("three streams with ToS 0xb8: each reports, [SUM] adds them up, every client segment carries the ToS", async () => {
    const frames: Uint8Array[] = [];
    const topo = {
      strict: true,
      devices: { HA: "linux-host", HB: "linux-host", R1: "router" },
      links: [
        { name: "HA-R1", a: "HA eth0", b: "R1 GigabitEthernet0/0", latencyMs: 1 },
        { name: "R1-HB", a: "R1 GigabitEthernet0/1", b: "HB eth0", latencyMs: 1 },
      ],
    };
    const lab = await Lab.create(buildLabSpec("iperf-streams", "<test>", topo, CONFIGS, 1), {
      workers: 0,
      factories: deviceFactories,
      capture: {
        write: (wire, _at, bytes) => void (wire.name === "HA-R1" && frames.push(bytes.slice())),
        close: () => {},
      },
    });
    labs.push(lab);
    await lab.run(2e9);
    await lab.command("HA", "ping -c 2 10.0.2.10");
    const { output } = await lab.command("HA", "iperf -c 10.0.2.10 -n 50K -P 3 -S 0xb8");
    for (const id of [3, 4, 5])
      expect(output).toMatch(new RegExp(`\\[ {2}${id}\\] {2}0\\.0- 0\\.\\d sec {2}50\\.0 KBytes`));
    expect(output).toMatch(/\[SUM\] {2}0\.0- 0\.\d sec {3}150 KBytes/);
    expect(output.match(/\[ ID\] Interval/g)?.length).toBe(1);
    await lab.run(1e9);
    const tos = new Set<number>();
    const ports = new Set<number>();
    for (const f of frames) {
      const eth = parseEthernet(f);
      if (!eth.ok || eth.value.ethertype !== 0x0800) continue;
      const ip = parseIpv4(eth.value.payload);
      if (!ip.ok || ip.value.protocol !== IP_PROTO_TCP || ip.value.src !== 0x0a00010a) continue;
      const tcp = parseTcp(ip.value.payload, { src: ip.value.src, dst: ip.value.dst });
      if (!tcp.ok) continue;
      tos.add((ip.value.dscp << 2) | ip.value.ecn);
      ports.add(tcp.value.srcPort);
    }
    expect([...tos]).toEqual([0xb8]);
    expect(ports.size).toBe(3);
  });
});
