// IKEv1 retransmission backs off: 10 s, then doubling up to 60 s, five times,
// then the exchange dies. Checked on a live pair whose responder rejects
// drops ISAKMP on input, so the initiator's main-mode message 1 is never answered.

import { afterEach, describe, expect, test } from "bun:test";
import { MAX_RETRANSMITS, retransmitWaitNs } from "../../../../src/protocols/ike/v1/retransmit-schedule.ts";
import { type IpsecPair, ipsecPair, standardCrypto } from "../../ipsec/ipsec-pair.ts";

const SEC = 1e9;
let pair: IpsecPair | null = null;
afterEach(() => {
  pair?.close();
  pair = null;
});

/** Lines of R1's logging buffer (where debug output goes) that contain `text`. */
async function count(p: IpsecPair, text: string): Promise<number> {
  return (await p.cmd("R1", "show logging")).split("\n").filter((l) => l.includes(text)).length;
}

describe("IKEv1 retransmission", () => {
  test("the wait doubles from 10 s and is capped at 60 s", () => {
    expect([0, 1, 2, 3, 4, 5].map((a) => retransmitWaitNs(a) / SEC)).toEqual([10, 20, 40, 60, 60, 60]);
    expect(MAX_RETRANSMITS).toBe(5);
  });

  test("an unanswered main mode is retransmitted at 10, 30, 70, 130 and 190 s, then dies", async () => {
    // R2 filters UDP 500 on input: R1 never hears back.
    const filter = [
      "ip access-list extended NO-IKE",
      " deny udp any any eq 500",
      " permit ip any any",
      "interface GigabitEthernet0/0",
      " ip access-group NO-IKE in",
    ];
    pair = await ipsecPair({ r2Crypto: [standardCrypto(2), ...filter].join("\n") });
    await pair.cmd("R1", "debug crypto isakmp");
    const start = pair.lab.now;
    await pair.cmd("R1", "ping 10.2.2.2 source Loopback0 repeat 1 timeout 0");
    const retransmits = (): Promise<number> => count(pair!, "retransmitting phase 1 MM_NO_STATE...");
    const at = async (sec: number): Promise<number> => {
      await pair!.lab.run(start + sec * SEC - pair!.lab.now);
      return retransmits();
    };
    expect(await at(9)).toBe(0);
    expect(await at(11)).toBe(1);
    expect(await at(29)).toBe(1);
    expect(await at(31)).toBe(2);
    expect(await at(69)).toBe(2);
    expect(await at(71)).toBe(3);
    expect(await at(131)).toBe(4);
    expect(await at(191)).toBe(5);
    expect(await count(pair, "Death by retransmission P1")).toBe(0);
    expect(await at(252)).toBe(5);
    expect(await count(pair, "Death by retransmission P1")).toBe(1);
  }, 60_000);
});
