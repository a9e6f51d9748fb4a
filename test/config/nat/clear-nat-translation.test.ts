// `clear ip nat translation ...` as IOS parses it: *, forced, inside G L
// [outside L G | forced], outside L G [forced], and the tcp/udp form with the
// inside ports; the entries it names go, an entry with flows under it only
// with forced (and its flows with it), static mappings stay; a word that does
// not fit gets the caret under it, a short line "% Incomplete command.", and
// random input never throws.

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { tokenize } from "../../../src/config/cli/match.ts";
import { parseClearNatTranslation } from "../../../src/config/nat/clear-nat-translation.ts";
import { echo, udp } from "../../dataplane/nat/nat-harness.ts";
import { cryptoRouter } from "../crypto/crypto-router.ts";

const PORTS = [
  { name: "GigabitEthernet0/0", kind: "ethernet" as const },
  { name: "GigabitEthernet0/1", kind: "ethernet" as const },
];

const CONFIG = `interface GigabitEthernet0/0
 ip address 10.0.0.1 255.255.255.0
 ip nat inside
interface GigabitEthernet0/1
 ip address 203.0.113.1 255.255.255.0
 ip nat outside
ip nat pool P 203.0.113.100 203.0.113.101 prefix-length 24
ip nat inside source list 1 pool P
ip nat inside source list 2 interface GigabitEthernet0/1 overload
ip nat inside source static 10.0.0.10 203.0.113.10
ip nat outside source static 198.51.100.2 10.0.0.200
access-list 1 permit 10.0.1.0 0.0.0.255
access-list 2 permit 10.0.0.0 0.0.0.255
`;

/** A router with: a pool address entry and its flow, two PAT flows, a flow under the static entry. */
function loaded() {
  const r = cryptoRouter("R1", PORTS);
  expect(r.load(CONFIG)).toEqual([]);
  const d = r.device;
  const out = (dgram: Uint8Array) => d.nat!.output(d.findInterface("Gi0/1")!, d.findInterface("Gi0/0")!, dgram);
  out(udp("10.0.1.5", 5353, "198.51.100.9", 53)); // pool: --- 203.0.113.100 10.0.1.5 and its udp flow
  out(udp("10.0.0.5", 4000, "10.0.0.200", 53)); // PAT, through the outside static mapping
  out(echo("10.0.0.6", "198.51.100.9", 7)); // PAT icmp
  out(udp("10.0.0.10", 6000, "198.51.100.9", 53)); // a flow under the static entry
  return r;
}

const lines = (r: ReturnType<typeof loaded>): string[] =>
  r
    .run("show ip nat translations")
    .split("\n")
    .slice(1, -2)
    .map((l) => l.replace(/ +/g, " "));

describe("clear ip nat translation", () => {
  test("the table the forms work on", () => {
    expect(lines(loaded())).toEqual([
      "--- --- --- 10.0.0.200 198.51.100.2",
      "icmp 203.0.113.1:7 10.0.0.6:7 198.51.100.9:7 198.51.100.9:7",
      "udp 203.0.113.1:4000 10.0.0.5:4000 10.0.0.200:53 198.51.100.2:53",
      "udp 203.0.113.10:6000 10.0.0.10:6000 198.51.100.9:53 198.51.100.9:53",
      "--- 203.0.113.10 10.0.0.10 --- ---",
      "udp 203.0.113.100:5353 10.0.1.5:5353 198.51.100.9:53 198.51.100.9:53",
      "--- 203.0.113.100 10.0.1.5 --- ---",
    ]);
  });

  test("* and forced leave only the static mappings", () => {
    for (const all of ["*", "forced", "f"]) {
      const r = loaded();
      expect(r.run(`clear ip nat translation ${all}`)).toBe("");
      expect(lines(r)).toEqual(["--- --- --- 10.0.0.200 198.51.100.2", "--- 203.0.113.10 10.0.0.10 --- ---"]);
    }
  });

  test("inside GLOBAL LOCAL names the address entry: with flows under it only forced clears it (and them); static stays", () => {
    const r = loaded();
    expect(r.run("clear ip nat translation inside 203.0.113.100 10.0.1.5")).toBe("");
    expect(lines(r).length).toBe(7); // it has a flow under it
    expect(r.run("clear ip nat translation inside 203.0.113.100 10.0.1.5 forced")).toBe("");
    expect(lines(r).some((l) => l.includes("10.0.1.5"))).toBe(false);
    r.run("clear ip nat translation in 203.0.113.10 10.0.0.10 f");
    expect(lines(r).filter((l) => l.includes("10.0.0.10")).length).toBe(2); // static: neither it nor its flow
    expect(lines(r).length).toBe(5);
  });

  test("inside ... outside ..., outside ..., and the protocol form with ports name single flows", () => {
    const r = loaded();
    r.run("clear ip nat translation inside 203.0.113.1 10.0.0.6 outside 198.51.100.9 198.51.100.9");
    expect(lines(r).some((l) => l.startsWith("icmp"))).toBe(false);
    r.run("clear ip nat translation outside 10.0.0.200 198.51.100.2");
    expect(lines(r).some((l) => l.includes("10.0.0.5"))).toBe(false);
    expect(lines(r)[0]).toBe("--- --- --- 10.0.0.200 198.51.100.2"); // the mapping itself is static
    // A wrong port, protocol or outside end clears nothing; the right ones clear the flow.
    r.run("clear ip nat translation udp inside 203.0.113.10 6001 10.0.0.10 6000");
    expect(lines(r).length).toBe(5);
    r.run("clear ip nat translation tcp inside 203.0.113.10 6000 10.0.0.10 6000");
    expect(lines(r).length).toBe(5);
    r.run("clear ip nat translation udp inside 203.0.113.10 6000 10.0.0.10 6000 outside 198.51.100.8 198.51.100.8");
    expect(lines(r).length).toBe(5);
    r.run("clear ip nat translation udp inside 203.0.113.10 6000 10.0.0.10 6000 outside 198.51.100.9 198.51.100.9");
    expect(lines(r).some((l) => l.includes("10.0.0.10:6000"))).toBe(false);
    expect(lines(r).length).toBe(4);
    r.run("clear ip nat translation udp inside 203.0.113.100 5353 10.0.1.5 5353");
    expect(lines(r).length).toBe(3);
    expect(lines(r)[2]).toBe("--- 203.0.113.100 10.0.1.5 --- ---"); // its flow gone, it can go now
    r.run("clear ip nat translation inside 203.0.113.100 10.0.1.5");
    expect(lines(r).length).toBe(2);
  });

  test("refusals: caret under the word that does not fit, incomplete lines", () => {
    const r = loaded();
    const caretAt = (col: number) => `${" ".repeat(3 + col)}^\n% Invalid input detected at '^' marker.\n`;
    expect(r.run("clear ip nat translation everything")).toBe(caretAt(25));
    expect(r.run("clear ip nat translation * 1.1.1.1")).toBe(caretAt(27));
    expect(r.run("clear ip nat translation inside 203.0.113.100 10.0.1.300")).toBe(caretAt(46));
    expect(r.run("clear ip nat translation udp inside 1.1.1.1 70000 2.2.2.2 5")).toBe(caretAt(44));
    expect(r.run("clear ip nat translation inside 1.1.1.1 2.2.2.2 sideways")).toBe(caretAt(48));
    expect(r.run("clear ip nat translation inside 1.1.1.1")).toContain("% Incomplete command.");
    expect(r.run("clear ip nat translation outside 1.1.1.1 2.2.2.2 3.3.3.3")).toBe(caretAt(49));
    expect(r.run("clear ip nat translation udp inside 1.1.1.1 5 2.2.2.2 5 forced")).toBe(caretAt(56));
    expect(r.run("clear ip nat translation udp outside 1.1.1.1 2.2.2.2")).toBe(caretAt(29));
    expect(r.run("clear ip nat translation tcp inside 1.1.1.1 5 2.2.2.2")).toContain("% Incomplete command.");
    expect(lines(r).length).toBe(7);
  });

  test("random words never throw and give a selector, a caret inside the line, or incomplete", () => {
    const word = fc.oneof(
      fc.constantFrom("*", "forced", "inside", "outside", "tcp", "udp", "in", "o", "1.2.3.4", "80", "0", "x"),
      fc.string({ maxLength: 6 }).filter((s) => /^\S+$/.test(s)),
    );
    fc.assert(
      fc.property(fc.array(word, { maxLength: 12 }), (words) => {
        const line = words.join(" ");
        const p = parseClearNatTranslation(tokenize(line));
        if (p.kind === "invalid") expect(p.column).toBeLessThan(line.length);
      }),
      { numRuns: 500 },
    );
  });
});
