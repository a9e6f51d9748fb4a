// Parsers take bytes straight from the network: random bytes, mutated
// captures and the saved corpus must give a result, never an exception.

import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import {
  type Parsed,
  parseArp,
  parseEthernet,
  parseHdlc,
  parseIcmp,
  parseIpv4,
  parseSlarp,
  parseTcp,
  parseUdp,
} from "../../src/wire/index.ts";
import * as fixtures from "./fixtures.ts";

const pseudo = { src: 0x0a000001, dst: 0x0a000002 };

/** Every parser by corpus folder name. */
const PARSERS: Record<string, (b: Uint8Array) => Parsed<unknown>> = {
  ethernet: parseEthernet,
  arp: parseArp,
  ipv4: (b) => parseIpv4(b),
  "ipv4-nochecksum": (b) => parseIpv4(b, { verifyChecksum: false }),
  icmp: parseIcmp,
  udp: (b) => parseUdp(b, pseudo),
  tcp: (b) => parseTcp(b, pseudo),
  "tcp-nochecksum": (b) => parseTcp(b),
  hdlc: parseHdlc,
  slarp: parseSlarp,
};

function neverThrows(b: Uint8Array): void {
  for (const parse of Object.values(PARSERS)) {
    const r = parse(b);
    expect(typeof r.ok).toBe("boolean");
  }
}

const captured = Object.values(fixtures).filter((v): v is Uint8Array => v instanceof Uint8Array);

describe("parsers never throw", () => {
  test("random bytes", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 120 }), neverThrows), { numRuns: 2000 });
  });

  test("captured frames with random byte flips and truncation, at every layer", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...captured),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
        fc.nat(),
        fc.integer({ min: 0, max: 60 }),
        (frame, flips, cut, layer) => {
          const b = frame.slice();
          for (const [at, v] of flips) b[at % b.length] = v;
          // Start at an arbitrary header offset and end at an arbitrary length.
          const start = Math.min(layer, b.length);
          neverThrows(b.subarray(start, start + (cut % (b.length - start + 1))));
        },
      ),
      { numRuns: 2000 },
    );
  });

  test("corpus replay", () => {
    const root = join(import.meta.dir, "../corpus");
    let files = 0;
    for (const dir of readdirSync(root, { withFileTypes: true })) {
      if (!dir.isDirectory()) continue;
      const parse = PARSERS[dir.name];
      expect(parse, `no parser for corpus folder ${dir.name}`).toBeDefined();
      for (const f of readdirSync(join(root, dir.name)).filter((n) => n.endsWith(".hex"))) {
        const text = readFileSync(join(root, dir.name, f), "utf8").replace(/#.*$/gm, "");
        const r = parse!(fixtures.hex(text));
        expect(typeof r.ok, `${dir.name}/${f}`).toBe("boolean");
        files++;
      }
    }
    expect(files).toBeGreaterThan(0);
  });
});
