// iperf 2's UDP mode between two Linux hosts through a T1 (R1 - R2 serial,
// 1.544 Mbit/s): a client under the line rate loses nothing and the server
// report says so (jitter, 0/N); a client above it loses what the T1 cannot
// carry, and the server's report (on the client and on a foreground
// `iperf -s -u`) counts the datagrams that never arrived.
import { afterAll, describe, expect, test } from "bun:test";
import { deviceFactories } from "../../../actors/index.ts";
import { encodeConsoleRequest } from "../../../src/config/cli/console-requests.ts";
import { parseIperf } from "../../../src/config/hosts/linux-iperf.ts";
import { Lab } from "../../../src/runtime/lab.ts";
import { buildLabSpec } from "../../../src/scenario/topology-file.ts";

const CONFIGS = {
  HA: "hostname HA\nip link set eth0 up\nip addr add 10.0.1.10/24 dev eth0\nip route add default via 10.0.1.1\n",
  HB: "hostname HB\nip link set eth0 up\nip addr add 10.0.2.10/24 dev eth0\nip route add default via 10.0.2.1\niperf -s -u -D\n",
  R1: "hostname R1\ninterface GigabitEthernet0/0\n ip address 10.0.1.1 255.255.255.0\n no shutdown\ninterface Serial0/0\n ip address 10.0.12.1 255.255.255.252\n no shutdown\nip route 10.0.2.0 255.255.255.0 10.0.12.2\nend\n",
  R2: "hostname R2\ninterface GigabitEthernet0/0\n ip address 10.0.2.1 255.255.255.0\n no shutdown\ninterface Serial0/0\n ip address 10.0.12.2 255.255.255.252\n no shutdown\nip route 10.0.1.0 255.255.255.0 10.0.12.1\nend\n",
};

const labs: Lab[] = [];
afterAll(() => {
  for (const l of labs) l.close();
});

async function makeLab(): Promise<Lab> {
  const topo = {
    strict: true,
    devices: { HA: "linux-host", HB: "linux-host", R1: "router", R2: "router" },
    links: [
      { name: "HA-R1", a: "HA eth0", b: "R1 GigabitEthernet0/0" },
      { name: "R1-R2", a: "R1 Serial0/0", b: "R2 Serial0/0" },
      { name: "R2-HB", a: "R2 GigabitEthernet0/0", b: "HB eth0" },
    ],
  };
  const lab = await Lab.create(buildLabSpec("iperf-udp", "<test>", topo, CONFIGS, 1), {
    workers: 0,
    factories: deviceFactories,
  });
  labs.push(lab);
  await lab.run(2e9);
  await lab.command("HA", "ping -c 2 10.0.2.10");
  return lab;
}

describe("iperf -u", () => {
  test("parsing: -u, -b with K/M (1024-based, implies -u), -l; bad values and TCP-only options refused", () => {
    const ok = (t: string) => {
      const p = parseIperf(t);
      if (typeof p === "string" || p.mode !== "client") throw new Error(String(p));
      return p;
    };
    expect(ok("-c 10.0.2.10 -u")).toMatchObject({ udp: true, rateBps: 1048576, len: null });
    expect(ok("-c 10.0.2.10 -b 512K -l 1000")).toMatchObject({ udp: true, rateBps: 524288, len: 1000 });
    expect(ok("-c 10.0.2.10")).toMatchObject({ udp: false });
    expect(parseIperf("-s -u")).toMatchObject({ mode: "server", udp: true, daemon: false });
    expect(parseIperf("-c 10.0.2.10 -b fast")).toBe("iperf: invalid bandwidth fast");
    expect(parseIperf("-c 10.0.2.10 -u -l 8")).toBe("iperf: invalid length 8");
    expect(parseIperf("-c 10.0.2.10 -u -P 2")).toBe("iperf: -P and -n are for TCP streams here");
  });

  test("512 Kbit/s through the T1: every datagram arrives, the server report says 0 lost", async () => {
    const lab = await makeLab();
    const { output } = await lab.command("HA", "iperf -c 10.0.2.10 -u -b 512K -t 5");
    expect(output).toContain("Client connecting to 10.0.2.10, UDP port 5001\nSending 1470 byte datagrams\n");
    expect(output).toMatch(/\[ {2}3\] local 10\.0\.1\.10 port \d+ connected with 10\.0\.2\.10 port 5001/);
    // 5 s at 524,288 bit/s in 11,760-bit datagrams: 223 (the last leaves at 4.98 s).
    expect(output).toContain("[  3] Sent 223 datagrams\n[  3] Server Report:\n");
    expect(output).toMatch(/\[ {2}3\] {2}0\.0- 5\.0 sec {3}320 KBytes {3}524 Kbits\/sec\n/);
    expect(output).toMatch(
      /\[ {2}3\] {2}0\.0- 5\.0 sec {3}320 KBytes {3}52\d Kbits\/sec {3}0\.000 ms {4}0\/ {2}223 \(0%\)/,
    );
  });

  test("2 Mbit/s through the T1: the server counts what the line dropped (client and foreground server agree)", async () => {
    const lab = await makeLab();
    let sent = false;
    // Server and client start at the same virtual time (the server first); Ctrl-C once it reported.
    const [server, client] = await lab.commands([
      {
        device: "HA",
        line: "iperf -s -u -p 6001",
        onOutput: (text) => {
          if (text.includes("Lost/Total") && !sent) {
            sent = true;
            lab.interject("HA", encodeConsoleRequest({ kind: "break" }));
          }
        },
      },
      { device: "HB", line: "iperf -c 10.0.1.10 -u -b 2M -t 4 -p 6001" },
    ]);
    const output = client!.output;
    const sentCount = Number(/Sent (\d+) datagrams/.exec(output)?.[1]);
    // 4 s at 2,097,152 bit/s: 714 datagrams offered, about 1.544/2.097 of them carried.
    expect(sentCount).toBe(714);
    const m =
      /Server Report:\n\[ {2}3\] {2}0\.0- 4\.\d sec .* (\d+\.\d+) Mbits\/sec +(\d+\.\d{3}) ms +(\d+)\/ +(\d+) \((\d+)%\)/.exec(
        output,
      );
    expect(m).not.toBeNull();
    const [, mbps, , lost, total, pct] = m!;
    expect(Number(total)).toBe(714);
    expect(Number(mbps)).toBeGreaterThan(1.35);
    expect(Number(mbps)).toBeLessThanOrEqual(1.544);
    expect(Number(lost) / 714).toBeGreaterThan(0.15);
    expect(Number(lost) / 714).toBeLessThan(0.35);
    expect(Number(pct)).toBe(Math.round((100 * Number(lost)) / 714));
    const s = server!.output;
    expect(s).toContain("Server listening on UDP port 6001\nReceiving 1470 byte datagrams\n");
    expect(s).toMatch(/\[ {2}3\] local 10\.0\.1\.10 port 6001 connected with 10\.0\.2\.10 port \d+/);
    expect(s).toContain("Bandwidth        Jitter   Lost/Total Datagrams\n");
    expect(s).toContain(` ${lost}/  ${total} (${pct}%)`);
  });
});
