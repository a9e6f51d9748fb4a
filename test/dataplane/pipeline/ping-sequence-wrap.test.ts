// ping's ICMP sequence number is 16 bits: after 65536 echoes it wraps to 0
// while the count of echoes goes on, and replies must still match the echo
// outstanding (they used to be compared with the unwrapped count, so every
// reply after the 65536th counted as lost).
import { describe, expect, test } from "bun:test";
import { deviceFactories } from "../../../actors/index.ts";
import { chainLab } from "../../../src/bench/chain-lab.ts";
import { Lab } from "../../../src/runtime/lab.ts";

describe("ping sequence numbers", () => {
  test("replies past the 65536th echo count as received", async () => {
    const chain = chainLab({ routers: 2 });
    const lab = await Lab.create(chain.spec, { workers: 0, factories: deviceFactories });
    try {
      await lab.run(2e9);
      await lab.command("R1", `ping ${chain.loopbacks[1]}`); // resolves ARP, so no echo of the long run is lost
      const { output } = await lab.command("R1", `ping ${chain.loopbacks[1]} repeat 65600`);
      expect(output).toContain("Sending 65600, 100-byte ICMP Echos");
      // 65600 marks, all `!`, 70 per line.
      const marks = output.split("\n").filter((l) => /^[!.]+$/.test(l));
      expect(marks.join("")).toBe("!".repeat(65600));
      expect(output).toContain("Success rate is 100 percent (65600/65600)");
    } finally {
      lab.close();
    }
  }, 120_000);
});
