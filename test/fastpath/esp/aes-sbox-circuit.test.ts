// The bitsliced AES S-box circuits (src/fastpath/esp/aes-sbox-circuit.ts): both
// directions agree with the S-box tables on all 256 bytes, the tables agree with
// FIPS-197 Figure 7 spot values, and wasm/assembly/_esp-aes-sbox.ts is exactly
// what the generator prints (so the circuit that runs is the one checked here).
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import {
  emitSboxModule,
  evaluate,
  sboxCircuits,
  sboxTables,
  schedule,
} from "../../../src/fastpath/esp/aes-sbox-circuit.ts";

describe("bitsliced AES S-box circuits", () => {
  const { forward: f, inverse: i } = sboxCircuits();
  const forward = f.circuit,
    inverse = i.circuit;
  const { sbox, inv } = sboxTables();

  test("the tables match FIPS-197 Figure 7 and Figure 14 spot values", () => {
    expect([sbox[0x00], sbox[0x01], sbox[0x53], sbox[0xff], sbox[0x9a]]).toEqual([0x63, 0x7c, 0xed, 0x16, 0xb8]);
    expect([inv[0x63], inv[0x00], inv[0xff]]).toEqual([0x00, 0x52, 0x7d]);
  });

  test("the forward circuit is the S-box on every byte", () => {
    for (let x = 0; x < 256; x++) expect(evaluate(forward, x)).toBe(sbox[x]!);
  });

  test("the inverse circuit is the inverse S-box on every byte", () => {
    for (let x = 0; x < 256; x++) expect(evaluate(inverse, x)).toBe(inv[x]!);
  });

  test("the schedule computes every gate once, after its operands, and stores every output", () => {
    for (const c of [forward, inverse]) {
      const steps = schedule(c);
      const ready = new Set<number>();
      const stored = new Set<number>();
      for (const s of steps) {
        if (s.kind === "load") ready.add(s.wire);
        else if (s.kind === "store") {
          expect(ready.has(s.wire)).toBe(true);
          stored.add(s.plane);
        } else {
          const g = c.gates[s.index]!;
          expect(ready.has(g.a)).toBe(true);
          if (g.op !== "not") expect(ready.has(g.b)).toBe(true);
          ready.add(s.index + 8);
        }
      }
      expect(steps.filter((s) => s.kind === "gate").length).toBe(c.gates.length);
      expect(stored.size).toBe(8);
    }
  });

  test("wasm/assembly/_esp-aes-sbox.ts is the generator's output", () => {
    const committed = readFileSync(new URL("../../../wasm/assembly/_esp-aes-sbox.ts", import.meta.url), "utf8");
    expect(committed).toBe(emitSboxModule());
  });
});
