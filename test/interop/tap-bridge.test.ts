// The host bridge against Linux's own stack: a namespace on a TAP attached to
// R1 GigabitEthernet0/2 pings R1, pings R3 two routers further on and
// traceroutes to it (ICMP and UDP probes); the TAP's carrier follows R1's
// `shutdown`, its MTU follows `mtu`, its MAC follows the interface's. Runs as
// root with /dev/net/tun (as .ci/run does); otherwise it says why it skips.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { deviceFactories } from "../../actors/index.ts";
import { createTapLab, type TapLab } from "../../src/host-bridge/tap-lab.ts";
import { loadScenario } from "../../src/scenario/load.ts";
import { interopSkipReason, must, Netns, reportSkip, uniqueSuffix, waitFor } from "./host-tools.ts";

const skip = reportSkip("tap-bridge.test.ts", interopSkipReason(["ping", "traceroute", "nsenter"]));
const suffix = uniqueSuffix();
const TAP = `wlt${suffix}`.slice(0, 15);
/** The second TAP, behind R3. */
const TAP_B = `wlu${suffix}`.slice(0, 15);

/** A TCP sink in the second namespace: answers with the size and SHA-256 of what it received. */
const TCP_SERVER = `
const net = require("node:net"), crypto = require("node:crypto");
net.createServer((c) => {
  const h = crypto.createHash("sha256"); let n = 0;
  c.on("data", (d) => { h.update(d); n += d.length; });
  c.on("end", () => c.end(n + " " + h.digest("hex")));
}).listen(5001, "192.168.88.2");`;

/** Sends 256 KB of seeded bytes to the sink and prints both digests. */
const TCP_CLIENT = `
const net = require("node:net"), crypto = require("node:crypto");
const data = new Uint8Array(256 * 1024); let x = 12345;
for (let i = 0; i < data.length; i++) { x = (x * 1103515245 + 12345) >>> 0; data[i] = x >>> 24; }
const sent = data.length + " " + crypto.createHash("sha256").update(data).digest("hex");
const c = net.connect(5001, "192.168.88.2", () => c.end(data));
let reply = ""; c.on("data", (d) => (reply += d));
c.on("close", () => { console.log(JSON.stringify({ sent, received: reply })); process.exit(0); });
setTimeout(() => { console.log(JSON.stringify({ sent, received: "timeout" })); process.exit(1); }, 12000);`;

describe.skipIf(skip)("host bridge: a Linux namespace on a TAP", () => {
  let t: TapLab;
  let ns: Netns;
  let nsB: Netns;

  beforeAll(async () => {
    const { lab: spec } = loadScenario(join(import.meta.dir, "labs", "tap-chain"), 1);
    for (const w of spec.wires) if (w.tap !== undefined) w.tap = w.tap === "wl0" ? TAP : TAP_B;
    // One Worker, as the console runs: what the ports send crosses from the Worker to the coordinator.
    t = await createTapLab(spec, { workers: 1, factories: deviceFactories });
    expect(t.bridge.failures).toEqual([]);
    expect(t.bridge.describe()).toContain("a lab with a TAP runs on the wall clock");
    ns = await Netns.create(`wlns${suffix}`);
    await must(["ip", "link", "set", TAP, "netns", ns.name]);
    await ns.must(["ip", "addr", "add", "192.168.77.2/24", "dev", TAP]);
    await ns.must(["ip", "link", "set", TAP, "up"]);
    await ns.must(["ip", "route", "add", "default", "via", "192.168.77.1"]);
    nsB = await Netns.create(`wlnb${suffix}`);
    await must(["ip", "link", "set", TAP_B, "netns", nsB.name]);
    await nsB.must(["ip", "addr", "add", "192.168.88.2/24", "dev", TAP_B]);
    await nsB.must(["ip", "link", "set", TAP_B, "up"]);
    await nsB.must(["ip", "route", "add", "default", "via", "192.168.88.1"]);
  });

  afterAll(async () => {
    await ns?.remove();
    await nsB?.remove();
    await t?.close();
  });

  test("ping R1, then R3's loopback through R2; traceroute -I and UDP list R1, R2, R3", async () => {
    const first = await ns.exec(["ping", "-c", "3", "-i", "0.2", "-W", "2", "192.168.77.1"], 10_000);
    expect(first.stdout).toContain("3 received");
    const far = await ns.exec(["ping", "-c", "3", "-i", "0.2", "-W", "2", "3.3.3.3"], 10_000);
    expect(far.stdout).toContain("3 received");
    // R1 saw the host in its ARP table at the TAP's MAC (the interface's, locally administered bit flipped).
    const arp = await t.loop.command("R1", "show ip arp");
    const link = await ns.must(["ip", "-o", "link", "show", TAP]);
    const tapMac = link.match(/link\/ether ([0-9a-f:]{17})/)![1]!;
    const cisco = tapMac.replace(/:/g, "").replace(/(....)(....)(....)/, "$1.$2.$3");
    expect(arp).toContain(`192.168.77.2`);
    expect(arp).toContain(cisco);
    const showIf = await t.loop.command("R1", "show interfaces GigabitEthernet0/2");
    const labMac = showIf.match(/address is ([0-9a-f.]{14})/)![1]!.replace(/\./g, "");
    expect(Number.parseInt(labMac.slice(0, 2), 16) ^ 0x02).toBe(Number.parseInt(tapMac.slice(0, 2), 16));
    expect(labMac.slice(2)).toBe(tapMac.replace(/:/g, "").slice(2));
    // The other way: R1's ping waits for Linux's real answers (the lab is held to the wall clock, commands too).
    expect(await t.loop.command("R1", "ping 192.168.77.2")).toContain("Success rate is 100 percent (5/5)");
    for (const mode of [["-I"], []]) {
      const tr = await ns.exec(["traceroute", ...mode, "-n", "-q", "1", "-w", "2", "-m", "5", "3.3.3.3"], 20_000);
      const hops = tr.stdout
        .split("\n")
        .slice(1)
        .map((l) => l.trim().split(/\s+/)[1]);
      // The echo reply comes from 3.3.3.3; R3's port unreachable from its outgoing interface, as IOS sources ICMP errors.
      expect(hops.slice(0, 3)).toEqual(["192.168.77.1", "10.0.12.2", mode.length > 0 ? "3.3.3.3" : "10.0.23.3"]);
    }
  }, 40_000);

  test("path MTU discovery: Linux caches the 1400 from R2's frag-needed and fits its packets to it", async () => {
    await t.loop.command("R2", "configure terminal");
    await t.loop.command("R2", "interface Serial0/1");
    await t.loop.command("R2", "ip mtu 1400");
    await t.loop.command("R2", "end");
    // A 1500-byte datagram with DF: R2 cannot send it towards R3 and answers frag-needed with its MTU.
    const big = await ns.exec(["ping", "-c", "1", "-W", "2", "-M", "do", "-s", "1472", "3.3.3.3"], 10_000);
    expect(big.stdout + big.stderr).toMatch(/[Ff]rag needed and DF set \(mtu = 1400\)/);
    expect(await ns.must(["ip", "route", "get", "3.3.3.3"])).toContain("mtu 1400");
    // Linux now refuses to send more than 1400 with DF itself, and 1400 exactly passes.
    const again = await ns.exec(["ping", "-c", "1", "-W", "2", "-M", "do", "-s", "1472", "3.3.3.3"], 10_000);
    expect(again.stdout + again.stderr).toMatch(/message too long, mtu=1400/i);
    const fits = await ns.exec(
      ["ping", "-c", "2", "-i", "0.2", "-W", "2", "-M", "do", "-s", "1372", "3.3.3.3"],
      10_000,
    );
    expect(fits.stdout).toContain("2 received");
    await t.loop.command("R2", "configure terminal");
    await t.loop.command("R2", "interface Serial0/1");
    await t.loop.command("R2", "no ip mtu");
    await t.loop.command("R2", "end");
  }, 20_000);

  test("TCP between two namespaces through R1, R2, R3: 256 KB arrive intact; R1's ip tcp adjust-mss 1360 shows in the SYN Linux receives", async () => {
    await t.loop.command("R1", "configure terminal");
    await t.loop.command("R1", "interface GigabitEthernet0/2");
    await t.loop.command("R1", "ip tcp adjust-mss 1360");
    await t.loop.command("R1", "end");
    const bun = process.execPath;
    const server = Bun.spawn(["ip", "netns", "exec", nsB.name, bun, "-e", TCP_SERVER], {
      stdout: "pipe",
      stderr: "pipe",
    });
    const capture = Bun.spawn(
      [
        "ip",
        "netns",
        "exec",
        nsB.name,
        "tshark",
        "-l",
        "-i",
        TAP_B,
        "-f",
        "tcp port 5001 and tcp[tcpflags] & tcp-syn != 0",
        "-T",
        "fields",
        "-e",
        "tcp.flags.ack",
        "-e",
        "tcp.options.mss_val",
        "-a",
        "duration:8",
      ],
      { stdout: "pipe", stderr: "ignore" },
    );
    try {
      await Bun.sleep(1500); // the server listening and tshark capturing
      const client = await ns.exec([bun, "-e", TCP_CLIENT], 15_000);
      const sent = JSON.parse(client.stdout.trim()) as { sent: string; received: string };
      // The server's digest of what it received equals the client's of what it sent.
      expect(sent.received).toBe(sent.sent);
    } finally {
      server.kill(9);
      await Bun.sleep(200);
      capture.kill("SIGTERM"); // tshark prints what it has and exits
    }
    const syns = (await new Response(capture.stdout).text())
      .trim()
      .split("\n")
      .map((l) => l.split("\t"));
    // The SYN (no ACK) from the first namespace arrives clamped; the server's SYN-ACK leaves with its own 1460.
    expect(syns).toContainEqual(["0", "1360"]);
    expect(syns).toContainEqual(["1", "1460"]);
    await t.loop.command("R1", "configure terminal");
    await t.loop.command("R1", "interface GigabitEthernet0/2");
    await t.loop.command("R1", "no ip tcp adjust-mss");
    await t.loop.command("R1", "end");
  }, 30_000);

  test("R1's shutdown drops the TAP's carrier; mtu 1400 sets the TAP's MTU", async () => {
    const carrierOf = async () => (await ns.must(["ip", "-o", "link", "show", TAP])).includes("NO-CARRIER");
    expect(await carrierOf()).toBe(false);
    await t.loop.command("R1", "configure terminal");
    await t.loop.command("R1", "interface GigabitEthernet0/2");
    await t.loop.command("R1", "shutdown");
    await waitFor("NO-CARRIER on the TAP", 3000, async () => ((await carrierOf()) ? true : undefined));
    await t.loop.command("R1", "no shutdown");
    await t.loop.command("R1", "mtu 1400");
    await t.loop.command("R1", "end");
    await waitFor("carrier and MTU 1400 on the TAP", 3000, async () => {
      const line = await ns.must(["ip", "-o", "link", "show", TAP]);
      return !line.includes("NO-CARRIER") && line.includes("mtu 1400") ? true : undefined;
    });
  }, 20_000);
});

test("a TAP that cannot be opened is reported with what is missing and the lab runs on", async () => {
  const { HostBridge } = await import("../../src/host-bridge/host-bridge.ts");
  const { TapOpenError } = await import("../../src/host-bridge/tap-device.ts");
  const { lab: spec } = loadScenario(join(import.meta.dir, "labs", "tap-chain"), 1);
  const bridge = new HostBridge(spec, (name) => {
    throw new TapOpenError(name, "root", `TAP ${name}: opening /dev/net/tun needs root (CAP_NET_ADMIN)`);
  });
  expect(bridge.active).toBe(false);
  expect(bridge.describe()).toEqual([
    "% R1 GigabitEthernet0/2 is not bridged: TAP wl0: opening /dev/net/tun needs root (CAP_NET_ADMIN)",
    "% R3 GigabitEthernet0/2 is not bridged: TAP wl1: opening /dev/net/tun needs root (CAP_NET_ADMIN)",
  ]);
  const { Lab } = await import("../../src/runtime/lab.ts");
  const lab = await Lab.create(spec, { workers: 0, factories: deviceFactories, tap: bridge });
  await lab.run(2e9);
  expect((await lab.command("R1", "ping 3.3.3.3")).output).toContain("Success rate is 100 percent");
  lab.close();
});
