// Windows ping's ICMP sequence number is 16 bits: after 65536 echoes it wraps
// to 0 while the count goes on, and replies (and quoted errors) must match the
// wrapped number of the echo outstanding. Compared with the unwrapped count,
// every echo after the 65536th timed out (`Request timed out.`).
import { describe, expect, test } from "bun:test";
import { deviceFactories } from "../../../actors/index.ts";
import { Lab } from "../../../src/runtime/lab.ts";
import { loadScenario } from "../../../src/scenario/load.ts";

describe("Windows ping sequence numbers", () => {
  test("ping -n 65600: every reply past the 65536th counts", async () => {
    const lab = await Lab.create(loadScenario("hosts", 1).lab, { workers: 0, factories: deviceFactories });
    try {
      await lab.run(2e9);
      await lab.command("H1", "ping -n 2 192.168.1.1"); // ARP first
      const { output } = await lab.command("H1", "ping -n 65600 192.168.1.1");
      const replies = output.split("\n").filter((l) => l.startsWith("Reply from 192.168.1.1: bytes=32 time"));
      expect(replies.length).toBe(65600);
      expect(output).not.toContain("Request timed out.");
      expect(output).toContain("Packets: Sent = 65600, Received = 65600, Lost = 0 (0% loss),");
    } finally {
      lab.close();
    }
  }, 300_000);
});
