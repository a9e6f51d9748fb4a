// A Linux host is no IOS device: its NIC's state changes are logged as the
// kernel's e1000 driver logs them (dmesg stamp, `NIC Link is Up 1000 Mbps
// Full Duplex, Flow Control: RX`, `NIC Link is Down` on carrier loss, nothing
// for `ip link set down`), never as %LINK/%LINEPROTO. Hosts (Linux and
// Windows-style) have no startup configuration and no `write`, so the
// console's status never calls them modified, `quit` does not ask about them
// and `save` has nothing to write on them.
import { afterEach, describe, expect, test } from "bun:test";
import { deviceFactories } from "../../../actors/index.ts";
import { encodeConsoleRequest } from "../../../src/config/cli/console-requests.ts";
import { type ConsoleIO, ConsoleSession } from "../../../src/console/console-session.ts";
import { Lab } from "../../../src/runtime/lab.ts";
import { loadScenario } from "../../../src/scenario/load.ts";
import { buildLabSpec } from "../../../src/scenario/topology-file.ts";

const R1 = `hostname R1
interface GigabitEthernet0/0
 ip address 10.0.2.1 255.255.255.0
 no shutdown
`;
const H2 = `hostname H2
ip link set eth0 up
ip addr add 10.0.2.10/24 dev eth0
`;

let labs: Lab[] = [];
afterEach(() => {
  for (const l of labs) l.close();
  labs = [];
});

async function pair(): Promise<Lab> {
  const spec = buildLabSpec(
    "linux-log",
    "topology.json",
    { devices: { R1: "router", H2: "linux-host" }, links: [{ name: "R1-H2", a: "R1 Gi0/0", b: "H2 eth0" }] },
    { R1, H2 },
    1,
  );
  const lab = await Lab.create(spec, { workers: 0, factories: deviceFactories });
  labs.push(lab);
  return lab;
}

const h2Lines = (lab: Lab) => lab.syslog.filter((s) => s.text.startsWith("H2: ")).map((s) => s.text.slice(4));
const UP = /^\[ {4}\d\.\d{6}\] e1000: eth0 NIC Link is Up 1000 Mbps Full Duplex, Flow Control: RX$/;

describe("Linux host link messages", () => {
  test("carrier up and down print the e1000 driver's lines with dmesg's stamp; ip link set down prints nothing", async () => {
    const lab = await pair();
    await lab.run(2e9);
    const boot = h2Lines(lab).filter((l) => l.includes("eth0"));
    expect(boot.length).toBe(1);
    expect(boot[0]).toMatch(UP);
    // The stamp has no service timestamps of IOS in front of it.
    expect(lab.syslog.find((s) => s.text.includes("NIC Link is Up"))?.stamp).toBeNull();
    // Carrier lost (the far end shut): Link is Down, stamped with the time since boot (H2 booted at 0).
    await lab.command("R1", "configure terminal");
    await lab.command("R1", "interface Gi0/0");
    await lab.command("R1", "shutdown");
    await lab.run(1e9);
    const down = lab.syslog.filter((l) => l.text.startsWith("H2: ")).at(-1)!;
    expect(down.text).toMatch(/^H2: \[ {4}\d\.\d{6}\] e1000: eth0 NIC Link is Down$/);
    const stamp = /\[ *(\d+)\.(\d{6})\]/.exec(down.text)!;
    expect(Number(stamp[1]) * 1e6 + Number(stamp[2])).toBe(Math.floor(down.atNs / 1e3));
    await lab.command("R1", "no shutdown");
    await lab.command("R1", "end");
    await lab.run(1e9);
    expect(h2Lines(lab).at(-1)).toMatch(UP);
    // Taken down at the prompt: the kernel says nothing; up again: Link is Up.
    const before = h2Lines(lab).length;
    await lab.command("H2", "ip link set eth0 down");
    await lab.run(1e9);
    expect(h2Lines(lab).length).toBe(before);
    await lab.command("H2", "ip link set eth0 up");
    await lab.run(1e9);
    expect(h2Lines(lab).slice(before)).toEqual([expect.stringMatching(UP)]);
    expect(h2Lines(lab).filter((l) => /%LINK|%LINEPROTO/.test(l))).toEqual([]);
    // A router's lines stay IOS's.
    expect(lab.syslog.some((s) => s.text.startsWith("R1: %LINK-5-UPDOWN: Interface GigabitEthernet0/0"))).toBe(true);
  });
});

class Recorder implements ConsoleIO {
  text = "";
  write(text: string): void {
    this.text += text;
  }
  prompt(prompt: string, _again?: boolean, typed = ""): void {
    this.text += prompt + typed;
  }
  take(): string {
    const t = this.text;
    this.text = "";
    return t;
  }
}

describe("Linux host and saving", () => {
  test("status: a host changed at its prompt or in config mode is not modified and saves nothing; a router is", async () => {
    const lab = await Lab.create(loadScenario("hosts", 1).lab, { workers: 0, factories: deviceFactories });
    labs.push(lab);
    await lab.run(1e9);
    const status = async (d: string) =>
      JSON.parse((await lab.command(d, encodeConsoleRequest({ kind: "status" }))).output);
    await lab.command("H2", "ip addr add 10.0.9.9/24 dev eth0");
    expect(await status("H2")).toMatchObject({ modified: false, saves: false });
    await lab.command("H1", "configure terminal");
    await lab.command("H1", "hostname PC1");
    await lab.command("H1", "end");
    expect(await status("H1")).toMatchObject({ modified: false, saves: false });
    expect(await status("R1")).toMatchObject({ modified: false, saves: true });
    await lab.command("R1", "configure terminal");
    await lab.command("R1", "hostname Edge");
    await lab.command("R1", "end");
    expect(await status("R1")).toMatchObject({ modified: true, saves: true });
  });

  test("quit asks only about devices that save; save skips the hosts", async () => {
    const lab = await Lab.create(loadScenario("hosts", 1).lab, { workers: 0, factories: deviceFactories });
    labs.push(lab);
    const io = new Recorder();
    const s = new ConsoleSession(lab, io, { echo: true });
    try {
      await s.start(1e9);
      for (const line of ["attach H2", "ip addr add 10.0.9.9/24 dev eth0", "hostname box", "exit"])
        await s.handleLine(line);
      for (const line of ["attach H1", "conf t", "hostname PC1", "end", "exit"]) await s.handleLine(line);
      expect(s.prompt).toBe("wanlab>");
      expect(await s.unsavedDevices()).toEqual([]);
      for (const line of ["attach R1", "conf t", "hostname Edge", "end", "exit"]) await s.handleLine(line);
      expect(await s.unsavedDevices()).toEqual(["R1"]);
      io.take();
      await s.handleLine("save");
      expect(io.take()).toBe(
        "save\nH1: nothing to save (no startup configuration)\nH2: nothing to save (no startup configuration)\nR1: [OK]\nR2: [OK]\nwanlab>",
      );
      expect(await s.handleLine("quit")).toBe(false);
      expect(s.closed).toBe(true);
    } finally {
      s.close();
    }
  });
});
