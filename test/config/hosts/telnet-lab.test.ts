// telnet from a router and from the Windows-style host: a port that answers
// RST is refused in each system's words, an open port says so (IOS's
// "... Open"; Windows clears the screen) and the console's escape closes the
// session with FIN; a router answers telnet to itself with RST (no vty
// transport configured); the text the far end sends reaches the console
// without the telnet option negotiation (RFC 854 IAC sequences).

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { deviceFactories } from "../../../actors/index.ts";
import { createLinuxHost, type LinuxHostActor } from "../../../actors/linux-host.ts";
import { encodeConsoleRequest } from "../../../src/config/cli/console-requests.ts";
import { telnetText } from "../../../src/config/router/telnet-client.ts";
import { Lab } from "../../../src/runtime/lab.ts";
import { buildLabSpec } from "../../../src/scenario/topology-file.ts";

const CONFIGS = {
  W: "hostname W\ninterface GigabitEthernet0/0\n ip address 10.0.1.10 255.255.255.0\n no shutdown\nip default-gateway 10.0.1.1\n",
  L: "hostname L\nip link set eth0 up\nip addr add 10.0.2.10/24 dev eth0\nip route add default via 10.0.2.1\niperf -s -D\n",
  R1: "hostname R1\ninterface GigabitEthernet0/0\n ip address 10.0.1.1 255.255.255.0\n no shutdown\ninterface GigabitEthernet0/1\n ip address 10.0.2.1 255.255.255.0\n no shutdown\nend\n",
};

let lab: Lab;
let linux: LinuxHostActor;

beforeAll(async () => {
  const topo = {
    strict: true,
    devices: { W: "host", L: "linux-host", R1: "router" },
    links: [
      { name: "W-R1", a: "W GigabitEthernet0/0", b: "R1 GigabitEthernet0/0", latencyMs: 1 },
      { name: "R1-L", a: "R1 GigabitEthernet0/1", b: "L eth0", latencyMs: 1 },
    ],
  };
  lab = await Lab.create(buildLabSpec("telnet", "<test>", topo, CONFIGS, 2), {
    workers: 0,
    factories: { ...deviceFactories, "linux-host": (n, c) => (linux = createLinuxHost(n, c) as LinuxHostActor) },
  });
  await lab.run(2e9);
  await lab.command("W", "ping -n 3 10.0.2.10");
});

afterAll(() => lab.close());

/** Runs a telnet that opens, then sends the console's escape once the output shows `mark`. */
async function openThenEscape(device: string, line: string, mark: string) {
  let sent = false;
  return lab.command(device, line, (text) => {
    if (!sent && text.includes(mark)) {
      sent = true;
      lab.interject(device, encodeConsoleRequest({ kind: "break" }));
    }
  });
}

describe("telnet", () => {
  test("Windows: a refused port, in Windows' words", async () => {
    const { output } = await lab.command("W", "telnet 10.0.2.10 5002");
    expect(output).toBe(
      "Connecting To 10.0.2.10...Could not open connection to the host, on port 5002: Connect failed\n",
    );
  });

  test("Windows: an open port; the escape closes it and the server's side goes away", async () => {
    const { output } = await openThenEscape("W", "telnet 10.0.2.10 5001", "\u001b[2J");
    expect(output).toBe("Connecting To 10.0.2.10...\u001b[2J\u001b[H\n");
    const server = linux.routerDevice.tcp.all();
    expect(server.map((c) => c.state)).toEqual(["ESTABLISHED"]); // opened; our FIN is still on the wire
    await lab.run(1e9);
    expect(linux.routerDevice.tcp.all()).toEqual([]);
  });

  test("IOS: refused by a host's closed port and by a router (no vty transport), open on the iperf port", async () => {
    expect((await lab.command("R1", "telnet 10.0.2.10 5002")).output).toBe(
      "Trying 10.0.2.10, 5002 ... \n% Connection refused by remote host\n",
    );
    expect((await lab.command("W", "telnet 10.0.1.1")).output).toContain("on port 23: Connect failed");
    const { output } = await openThenEscape("R1", "telnet 10.0.2.10 5001", "Open");
    expect(output).toBe("Trying 10.0.2.10, 5001 ... Open\n\n");
  });

  test("IAC negotiation is left out of what the console shows", () => {
    const bytes = Uint8Array.from([
      255, 251, 1, 255, 251, 3, 255, 253, 24, 13, 10, 72, 105, 255, 255, 255, 250, 24, 1, 255, 240, 33,
    ]);
    expect(telnetText(bytes)).toBe("\nHi\u00ff!");
  });
});
