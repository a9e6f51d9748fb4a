// A host ping's ICMP sequence number is 16 bits: after 65536 echoes it wraps
// to 0 while the count goes on. Windows ping must match replies (and quoted
// errors) with the wrapped number of the echo outstanding (compared with the
// unwrapped count, every echo after the 65536th timed out); Linux ping must
// take a reply to a reused number again (it kept the first round's as
// answered, so every reply after the wrap was dropped).
import { describe, expect, test } from "bun:test";
import { deviceFactories } from "../../../actors/index.ts";
import { Lab } from "../../../src/runtime/lab.ts";
import { loadScenario } from "../../../src/scenario/load.ts";

describe("host ping sequence numbers", () => {
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

  test("Linux ping -c 65600: icmp_seq wraps to 0 and every reply after it counts", async () => {
    const lab = await Lab.create(loadScenario("hosts", 1).lab, { workers: 0, factories: deviceFactories });
    try {
      await lab.run(2e9);
      await lab.command("H2", "ping -c 2 10.0.2.1"); // ARP first
      const { output } = await lab.command("H2", "ping -c 65600 10.0.2.1");
      const replies = output.split("\n").filter((l) => l.startsWith("64 bytes from 10.0.2.1: icmp_seq="));
      expect(replies.length).toBe(65600);
      expect(replies[65534]).toStartWith("64 bytes from 10.0.2.1: icmp_seq=65535 ");
      expect(replies[65535]).toStartWith("64 bytes from 10.0.2.1: icmp_seq=0 ");
      expect(replies[65536]).toStartWith("64 bytes from 10.0.2.1: icmp_seq=1 ");
      expect(output).toContain("65600 packets transmitted, 65600 received, 0% packet loss");
    } finally {
      lab.close();
    }
  }, 300_000);
});
