// Both host kinds in the `hosts` scenario's lab, driven as a console would:
// their prompts (C:\> and root@H2:~#), whole outputs where the state fixes
// them (ipconfig, route print, ip addr, ip route), the live formats of ping,
// tracert, traceroute and tracepath line by line, Ctrl-C ending `ping -t` and
// a Linux ping without -c with their statistics, and a Linux host's running
// configuration, which is the iproute2 script that rebuilds it.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { deviceFactories } from "../../../actors/index.ts";
import { LinuxHostActor, withoutShellComments } from "../../../actors/linux-host.ts";
import { encodeConsoleRequest } from "../../../src/config/cli/console-requests.ts";
import { Lab } from "../../../src/runtime/lab.ts";
import { loadScenario } from "../../../src/scenario/load.ts";
import { buildLabSpec } from "../../../src/scenario/topology-file.ts";
import { fakeContext } from "../router/fake-context.ts";

let lab: Lab;

beforeAll(async () => {
  lab = await Lab.create(loadScenario("hosts", 3).lab, { workers: 0, factories: deviceFactories });
  await lab.run(2e9);
  // Resolve ARP hop by hop both ways (routers drop the datagram that triggers ARP).
  await lab.command("H1", "ping -n 5 10.0.2.10");
  await lab.command("H2", "ping -c 3 192.168.1.10");
});

afterAll(() => {
  lab.close();
});

/** Runs a command and interrupts it (Ctrl-C) once its output holds `marks` copies of `mark`. */
async function interruptAfter(device: string, line: string, mark: string, marks: number) {
  let seen = 0;
  let sent = false;
  return lab.command(device, line, (text) => {
    seen += text.split(mark).length - 1;
    if (seen >= marks && !sent) {
      sent = true;
      lab.interject(device, encodeConsoleRequest({ kind: "break" }));
    }
  });
}

describe("Windows-style host", () => {
  test("the prompt is C:\\> at exec level and IOS's in configuration mode", async () => {
    expect((await lab.command("H1", "ipconfig")).prompt).toBe("C:\\>");
    expect((await lab.command("H1", "configure terminal")).prompt).toBe("H1(config)#");
    expect((await lab.command("H1", "end")).prompt).toBe("C:\\>");
  });

  test("ipconfig prints the adapter's address, mask and gateway", async () => {
    const { output } = await lab.command("H1", "ipconfig");
    expect(output).toBe(
      [
        "",
        "Windows IP Configuration",
        "",
        "",
        "Ethernet adapter GigabitEthernet0/0:",
        "",
        "   Connection-specific DNS Suffix  . :",
        "   IPv4 Address. . . . . . . . . . . : 192.168.1.10",
        "   Subnet Mask . . . . . . . . . . . : 255.255.255.0",
        "   Default Gateway . . . . . . . . . : 192.168.1.1",
        "",
      ].join("\n"),
    );
  });

  test("route print lists the gateway and the On-link routes of the adapter", async () => {
    const { output } = await lab.command("H1", "route print");
    expect(output).toContain(
      [
        "IPv4 Route Table",
        "===========================================================================",
        "Active Routes:",
        "Network Destination        Netmask          Gateway       Interface  Metric",
        "          0.0.0.0          0.0.0.0     192.168.1.1      192.168.1.10     25",
        "      192.168.1.0    255.255.255.0         On-link      192.168.1.10    281",
        "     192.168.1.10  255.255.255.255         On-link      192.168.1.10    281",
        "    192.168.1.255  255.255.255.255         On-link      192.168.1.10    281",
        "===========================================================================",
        "Persistent Routes:",
        "  None",
      ].join("\n"),
    );
    expect(output).toMatch(
      /^ {2}2\.\.\.aa bb cc 00 \d\d 00 \.\.\.\.\.\.wanlab Ethernet Adapter \(GigabitEthernet0\/0\)$/m,
    );
    expect((await lab.command("H1", "route add 10.0.0.0 mask 255.0.0.0 192.168.1.1")).output).toContain("ROUTE PRINT");
  });

  test("ping prints Windows' reply, statistics and round-trip lines", async () => {
    const { output } = await lab.command("H1", "ping -n 2 -l 100 10.0.2.10");
    expect(output).toMatch(
      /^\nPinging 10\.0\.2\.10 with 100 bytes of data:\n(Reply from 10\.0\.2\.10: bytes=100 time=\d+ms TTL=62\n){2}\nPing statistics for 10\.0\.2\.10:\n {4}Packets: Sent = 2, Received = 2, Lost = 0 \(0% loss\),\nApproximate round trip times in milli-seconds:\n {4}Minimum = \d+ms, Maximum = \d+ms, Average = \d+ms\n$/,
    );
  });

  test("ping -t runs until Ctrl-C, then prints the statistics, Control-C and ^C", async () => {
    const { output } = await interruptAfter("H1", "ping -t 10.0.2.10", "Reply from", 3);
    expect(output).toMatch(/Packets: Sent = 3, Received = 3, Lost = 0 \(0% loss\),/);
    expect(output).toMatch(/Average = \d+ms\nControl-C\n\^C\n$/);
  });

  test("tracert prints the hops in Windows' columns and Trace complete.", async () => {
    const { output } = await lab.command("H1", "tracert 10.0.2.10");
    expect(output).toMatch(
      /^\nTracing route to 10\.0\.2\.10 over a maximum of 30 hops\n\n {2}1( +(<1|\d+) ms){3} {2}192\.168\.1\.1\n {2}2( +(<1|\d+) ms){3} {2}10\.0\.12\.2\n {2}3( +(<1|\d+) ms){3} {2}10\.0\.2\.10\n\nTrace complete\.\n$/,
    );
  });
});

describe("Linux-style host", () => {
  test("the prompt is root@H2:~# and there is no IOS configuration mode", async () => {
    const r = await lab.command("H2", "configure terminal");
    expect(r.prompt).toBe("root@H2:~#");
    expect(r.output).toContain("% Invalid input");
    expect((await lab.command("H2", "enable")).output).toContain("% Invalid input");
  });

  test("ip addr and ip route print iproute2's lines from the host's state", async () => {
    expect((await lab.command("H2", "ip addr")).output).toBe(
      [
        "2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo state UP group default qlen 40",
        "    link/ether aa:bb:cc:00:02:00 brd ff:ff:ff:ff:ff:ff",
        "    inet 10.0.2.10/24 brd 10.0.2.255 scope global eth0",
        "       valid_lft forever preferred_lft forever",
        "",
      ].join("\n"),
    );
    expect((await lab.command("H2", "ip route")).output).toBe(
      "default via 10.0.2.1 dev eth0 \n10.0.2.0/24 dev eth0 proto kernel scope link src 10.0.2.10 \n",
    );
    expect((await lab.command("H2", "ip addr show eth7")).output).toBe('Device "eth7" does not exist.\n');
  });

  test("ping prints iputils' lines; TTL 64 on the Linux host's own echoes and replies", async () => {
    const { output } = await lab.command("H2", "ping -c 2 192.168.1.10");
    expect(output).toMatch(
      /^PING 192\.168\.1\.10 \(192\.168\.1\.10\) 56\(84\) bytes of data\.\n64 bytes from 192\.168\.1\.10: icmp_seq=1 ttl=126 time=\d+\.\d+ ms\n64 bytes from 192\.168\.1\.10: icmp_seq=2 ttl=126 time=\d+\.\d+ ms\n\n--- 192\.168\.1\.10 ping statistics ---\n2 packets transmitted, 2 received, 0% packet loss, time 100\dms\nrtt min\/avg\/max\/mdev = \d+\.\d{3}\/\d+\.\d{3}\/\d+\.\d{3}\/\d+\.\d{3} ms\n$/,
    );
    // H1 sees H2's replies two routers down from 64.
    expect((await lab.command("H1", "ping -n 1 10.0.2.10")).output).toContain("TTL=62");
  });

  test("ping without -c runs until Ctrl-C: ^C, then the statistics", async () => {
    const { output } = await interruptAfter("H2", "ping 192.168.1.10", "bytes from", 4);
    expect(output).toMatch(/icmp_seq=4 ttl=126 time=\d+\.\d+ ms\n\^C\n--- 192\.168\.1\.10 ping statistics ---\n/);
    expect(output).toMatch(/\n4 packets transmitted, 4 received, 0% packet loss, time \d+ms\n/);
  });

  test("traceroute prints Linux's hop lines", async () => {
    const { output } = await lab.command("H2", "traceroute -q 2 192.168.1.10");
    const lines = output.trimEnd().split("\n");
    expect(lines[0]).toBe("traceroute to 192.168.1.10 (192.168.1.10), 30 hops max, 60 byte packets");
    expect(lines[1]).toMatch(/^ 1 {2}10\.0\.2\.1 \(10\.0\.2\.1\) {2}\d+\.\d{3} ms {2}\d+\.\d{3} ms$/);
    expect(lines[2]).toMatch(/^ 2 {2}10\.0\.12\.1 \(10\.0\.12\.1\) {2}\d+\.\d{3} ms {2}\d+\.\d{3} ms$/);
    expect(lines[3]).toMatch(
      /^ 3 {2}192\.168\.1\.10 \(192\.168\.1\.10\) {2}(\d+\.\d{3} ms|\*)( {1,2}(\d+\.\d{3} ms|\*))$/,
    );
    expect(lines).toHaveLength(4);
  });

  test("tracepath finds the 1400-byte hop and resumes with it", async () => {
    const { output } = await lab.command("H2", "tracepath -n 10.0.12.1");
    const lines = output.split("\n");
    expect(lines[0]).toBe(" 1?: [LOCALHOST]                      pmtu 1500");
    expect(lines[1]).toMatch(/^ 1: {2}10\.0\.2\.1 {45} +\d+\.\d{3}ms $/);
    expect(lines[1]!.indexOf("ms")).toBe(5 + 52 + 7);
    expect(lines[2]).toMatch(/^ 2: {2}10\.0\.2\.1 +\d+\.\d{3}ms asymm {2}1 pmtu 1400$/);
    expect(lines[3]).toMatch(/^ 2: {2}10\.0\.12\.1 +\d+\.\d{3}ms reached$/);
    // R1 answers from two routers away: its reply arrives with TTL 254.
    expect(lines[4]).toBe("     Resume: pmtu 1400 hops 2 back 2 ");
  });

  test("the running configuration is the iproute2 script that rebuilds the host", () => {
    const script = [
      "# H2",
      "hostname H7",
      "ip link set eth1 mtu 1400",
      "ip link set eth0 up",
      "ip addr add 10.0.2.10/24 dev eth0",
      "ip addr add 10.0.2.30/24 dev eth0",
      "ip route add default via 10.0.2.1",
    ].join("\n");
    const load = (text: string) => {
      const ctx = fakeContext("H2", [
        { name: "Ethernet0", kind: "ethernet" },
        { name: "Ethernet1", kind: "ethernet" },
      ]);
      const actor = new LinuxHostActor("H2", text);
      actor.start(ctx);
      return actor;
    };
    const first = load(script);
    expect(first.routerDevice.configErrors).toEqual([]);
    expect(first.routerDevice.stack.defaultTtl).toBe(64);
    const running = first.runningConfig();
    expect(running).toBe(
      [
        "hostname H7",
        "ip link set eth0 up",
        "ip addr add 10.0.2.10/24 dev eth0",
        "ip addr add 10.0.2.30/24 dev eth0",
        "ip link set eth1 mtu 1400",
        "ip route add default via 10.0.2.1",
        "",
      ].join("\n"),
    );
    // Loaded into a fresh host, it gives the same configuration.
    const second = load(running);
    expect(second.routerDevice.configErrors).toEqual([]);
    expect(second.runningConfig()).toBe(running);
    expect(withoutShellComments("# comment\nip link set eth0 up\n  # indented")).toBe("\nip link set eth0 up\n");
  });

  test("a linux-host's ports are eth0, eth1 ... (Ethernet ports); other names are refused", () => {
    const topo = (port: string) => ({
      devices: { H2: "linux-host", R1: "router" },
      links: [{ a: "R1 GigabitEthernet0/0", b: `H2 ${port}` }],
    });
    const spec = buildLabSpec("t", "topology.json", topo("eth0"), {}, 1);
    const h2 = spec.devices.find((d) => d.name === "H2")!;
    expect(h2.ports.map((p) => [p.name, p.kind])).toEqual([["Ethernet0", "ethernet"]]);
    expect(() => buildLabSpec("t", "topology.json", topo("GigabitEthernet0/0"), {}, 1)).toThrow(
      "H2 is a linux-host: name its interfaces eth0, eth1 ...",
    );
  });
});
