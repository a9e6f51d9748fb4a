// An unanswered NHRP resolution request is sent again. dmvpn-1000 at 4 spokes:
// while SPOKE1's first packet to SPOKE4's LAN hairpins through the hub, PE1
// drops the hub's GRE to SPOKE4 (an outbound access list on SPOKE4's port), so
// the resolution request the hub passes on to SPOKE4 is lost; the list goes
// half a second later. The retransmission (same request id, 1 s then 2 s ...)
// reaches SPOKE4, which answers, and SPOKE1 installs its shortcut well before
// the 3-minute incomplete entry would have let it ask again.
import { describe, expect, test } from "bun:test";
import { deviceFactories } from "../../../actors/index.ts";
import { dmvpnLab } from "../../../src/bench/dmvpn-lab.ts";
import { Lab } from "../../../src/runtime/lab.ts";

const SEC = 1e9;

describe("NHRP resolution retransmission", () => {
  test("a request lost on the way is sent again and the shortcut comes up", async () => {
    const l = dmvpnLab(4, 1);
    const lab = await Lab.create(l.spec, { workers: 0, factories: deviceFactories });
    const cmd = async (d: string, line: string) => (await lab.command(d, line)).output;
    try {
      await lab.run(80 * SEC);
      expect(await cmd("SPOKE1", "show ip route eigrp")).toContain("0.0.0.0/0");
      const config = async (d: string, lines: string[]) => {
        for (const line of ["configure terminal", ...lines, "end"]) await cmd(d, line);
      };
      await config("PE1", [
        "access-list 150 deny gre host 100.127.0.1 host 100.64.0.14",
        "access-list 150 permit ip any any",
        "interface GigabitEthernet4/0",
        "ip access-group 150 out",
      ]);
      await cmd("SPOKE1", `ping ${l.lans[3]} source Loopback0 repeat 1 timeout 1`);
      await lab.run(0.5 * SEC);
      expect(await cmd("SPOKE1", "show ip nhrp")).toMatch(/172\.16\.4\.1\/32\n.*\n\s+Type: incomplete/);
      await config("PE1", ["interface GigabitEthernet4/0", "no ip access-group 150 out"]);
      await lab.run(5 * SEC);
      const traffic = await cmd("SPOKE1", "show ip nhrp traffic");
      expect(Number(/Sent: Total \d+\n\s+(\d+) Resolution Request/.exec(traffic)?.[1])).toBeGreaterThanOrEqual(2);
      expect(await cmd("SPOKE1", "show ip route")).toMatch(
        /H\s+172\.16\.4\.0\/24 \[250\/1\] via 10\.0\.0\.5, (\S+, )?Tunnel0/,
      );
      expect(await cmd("SPOKE1", `ping ${l.lans[3]} source Loopback0`)).toContain("Success rate is 100 percent");
    } finally {
      lab.close();
    }
  }, 60_000);
});
