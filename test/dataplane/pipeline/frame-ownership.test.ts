// Frames may share an ArrayBuffer (small ones are carved out of a slab), and a
// router re-frames a forwarded datagram in place when there is room: it must
// do so only within the frame it received. Here R2 forwards untagged frames
// out of an 802.1Q subinterface (a 4-byte longer header) back to back, so
// re-framing in front of each datagram would write into the previous frame,
// already on its way to R3: every frame R3 receives must be the one R2 sent.
import { describe, expect, test } from "bun:test";
import { deviceFactories } from "../../../actors/index.ts";
import { Lab } from "../../../src/runtime/lab.ts";
import { buildLabSpec } from "../../../src/scenario/topology-file.ts";

/** FNV-1a as the runtime's trace prints it. */
function fnv(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return (h >>> 0).toString(16).padStart(8, "0");
}

describe("frame ownership", () => {
  test("re-framing for a VLAN tag never writes into a frame already sent", async () => {
    const spec = buildLabSpec(
      "vlan-out",
      "inline",
      {
        devices: { R1: "router", R2: "router", R3: "router" },
        links: [
          { name: "R1-R2", a: "R1 GigabitEthernet0/0", b: "R2 GigabitEthernet0/0" },
          { name: "R2-R3", a: "R2 GigabitEthernet0/1", b: "R3 GigabitEthernet0/0" },
        ],
      },
      {
        R1: "hostname R1\ninterface GigabitEthernet0/0\n ip address 10.0.12.1 255.255.255.0\n no shutdown\nip route 0.0.0.0 0.0.0.0 10.0.12.2\n",
        R2: "hostname R2\ninterface GigabitEthernet0/0\n ip address 10.0.12.2 255.255.255.0\n no shutdown\ninterface GigabitEthernet0/1\n no shutdown\ninterface GigabitEthernet0/1.100\n encapsulation dot1Q 100\n ip address 10.0.23.2 255.255.255.0\n",
        R3: "hostname R3\ninterface GigabitEthernet0/0\n no shutdown\ninterface GigabitEthernet0/0.100\n encapsulation dot1Q 100\n ip address 10.0.23.3 255.255.255.0\nip route 0.0.0.0 0.0.0.0 10.0.23.2\n",
      },
      1,
    );
    const sent: string[] = [];
    const received: string[] = [];
    const lab = await Lab.create(spec, {
      workers: 0,
      factories: deviceFactories,
      trace: (line) => {
        const m = line.match(/ R3 rx GigabitEthernet0\/0 len=(\d+) h=([0-9a-f]{8})$/);
        if (m !== null && (m[1] === "118" || m[1] === "1018")) received.push(`${m[1]} ${m[2]}`);
      },
      capture: {
        // R2's UDP frames towards R3 (802.1Q header, then IP protocol 17); R3's unreachables go the other way.
        write: (wire, _at, bytes) => {
          if (wire.name === "R2-R3" && bytes[18 + 9] === 17) sent.push(`${bytes.length} ${fnv(bytes)}`);
        },
        close: () => {},
      },
    });
    try {
      await lab.run(1e9);
      await lab.command("R1", "ping 10.0.23.3 repeat 5");
      sent.length = 0;
      received.length = 0;
      // Back to back on R1-R2 (100 and 1000 bytes, near the line rate): R2 gets them one after another from the same slab.
      await lab.command("R1", "traffic udp 10.0.23.3 count 200 rate 800000 size 100");
      await lab.command("R1", "traffic udp 10.0.23.3 count 50 rate 100000 size 1000");
      await lab.run(10e6);
      expect(sent.length).toBeGreaterThanOrEqual(250);
      expect(received).toEqual(sent);
    } finally {
      lab.close();
    }
  });
});
