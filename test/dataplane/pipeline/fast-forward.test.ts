// The fast-switched forwarding path does what the full path does: the same
// bytes leave the router (TTL, checksum, MACs, zeroed padding), the same
// counters move. A permit-any inbound ACL on the middle router forces every
// frame onto the full path, for comparison.
import { describe, expect, test } from "bun:test";
import { deviceFactories } from "../../../actors/index.ts";
import { chainLab } from "../../../src/bench/chain-lab.ts";
import { Lab } from "../../../src/runtime/lab.ts";

interface Run {
  frames: string[];
  traffic: string;
  interfaces: string;
}

async function forwardThroughR2(fullPath: boolean): Promise<Run> {
  const chain = chainLab({ routers: 3 });
  if (fullPath) {
    chain.spec.devices.find((d) => d.name === "R2")!.config +=
      "access-list 101 permit ip any any\ninterface GigabitEthernet0/0\n ip access-group 101 in\n";
  }
  const frames: string[] = [];
  const lab = await Lab.create(chain.spec, {
    workers: 0,
    factories: deviceFactories,
    capture: {
      write: (wire, atNs, bytes) => {
        if (wire.name === "R2-R3") frames.push(`${atNs} ${Buffer.from(bytes).toString("hex")}`);
      },
      close: () => {},
    },
  });
  try {
    await lab.run(2e9);
    await lab.command("R1", `ping ${chain.loopbacks[2]} repeat 5`);
    for (const r of chain.names) {
      await lab.command(r, "clear counters");
      await lab.command(r, ""); // [confirm]
    }
    // 40 bytes: padded to Ethernet's 60; 1500 with a ToS: a full frame; TTL 2 expires at R3 and TTL 1 at R2 (time
    // exceeded, full path either way); 3000 bytes: fragments from R1, the last one padded.
    await lab.command("R1", `traffic udp ${chain.loopbacks[2]} count 20 rate 10000 size 40`);
    await lab.command("R1", `traffic udp ${chain.loopbacks[2]} count 20 rate 10000 size 1500 tos 184`);
    await lab.command("R1", `traffic udp ${chain.loopbacks[2]} count 3 rate 10000 ttl 2`);
    await lab.command("R1", `traffic udp ${chain.loopbacks[2]} count 3 rate 10000 ttl 1`);
    await lab.command("R1", `traffic udp ${chain.loopbacks[2]} count 5 rate 10000 size 3000`);
    await lab.run(1e9);
    const traffic = (await lab.command("R2", "show ip traffic")).output;
    const interfaces = (await lab.command("R2", "show interfaces")).output;
    return { frames, traffic, interfaces };
  } finally {
    lab.close();
  }
}

describe("fast-switched forwarding", () => {
  test("puts the same bytes on the wire and moves the same counters as the full path", async () => {
    const fast = await forwardThroughR2(false);
    const full = await forwardThroughR2(true);
    // 20 + 20 + 3 datagrams, 5 of 3000 bytes in 3 fragments each (R1 fragments), and ICMP from R3 back is on the same wire.
    expect(fast.frames.length).toBeGreaterThanOrEqual(20 + 20 + 3 + 15);
    expect(fast.frames).toEqual(full.frames);
    const forwarded = (t: string) => Number(t.match(/(\d+) forwarded/)![1]);
    expect(forwarded(fast.traffic)).toBe(forwarded(full.traffic));
    expect(forwarded(fast.traffic)).toBeGreaterThanOrEqual(20 + 20 + 3 + 15);
    // The ACL line and its counters differ; interface counters must not.
    const counters = (s: string) => s.split("\n").filter((l) => /packets (input|output)|output drops/.test(l));
    expect(counters(fast.interfaces)).toEqual(counters(full.interfaces));
    // Frames of 40-byte datagrams (and of the 40-byte last fragments) leave padded with zeros to 60 bytes.
    const small = fast.frames
      .map((f) => f.split(" ")[1]!)
      .filter((hex) => hex.length === 120 && hex.slice(24, 28) === "0800" && hex.slice(32, 36) === "0028");
    expect(small.length).toBe(25);
    for (const hex of small) expect(hex.slice(2 * 54)).toBe("00".repeat(6));
  }, 60_000);
});
