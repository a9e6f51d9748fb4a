import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { canonicalInterfaceName, matchLine } from "../../../src/config/cli/index.ts";
import { makeSession, makeTable } from "./fixture.ts";

// Words the tables know, so random lines often get deep into the grammar.
const WORDS = [
  "show",
  "sh",
  "ip",
  "route",
  "int",
  "interface",
  "gi0/0",
  "Gi",
  "0/0",
  "no",
  "default",
  "do",
  "conf",
  "t",
  "exit",
  "end",
  "ping",
  "size",
  "repeat",
  "df",
  "source",
  "1.1.1.1",
  "255.0.0.0",
  "10",
  "99999",
  "|",
  "i",
  "sec",
  "section",
  "(",
  "!",
  "description",
  "router",
  "ospf",
  "access-list",
  "permit",
  "crypto",
  "map",
  "isakmp",
  "policy",
  "\x1a",
  "enable",
  "disable",
  "ssh",
  "boom",
];

const line = fc.oneof(
  fc.string({ unit: "grapheme-ascii", maxLength: 80 }),
  fc
    .array(fc.oneof(fc.constantFrom(...WORDS), fc.string({ unit: "grapheme-ascii", maxLength: 6 })), { maxLength: 10 })
    .map((w) => w.join(" ")),
);

describe("random input never throws", () => {
  const table = makeTable();
  test("matchLine", () => {
    fc.assert(
      fc.property(
        line,
        fc.constantFrom("user", "exec", "config", "config-if", "config-router", "config-isakmp"),
        (l, mode) => {
          const r = matchLine(table.compiled(mode), l);
          if (!r.ok && r.error.kind === "invalid") {
            expect(r.error.column).toBeGreaterThanOrEqual(0);
            expect(r.error.column).toBeLessThanOrEqual(l.length);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
  test("execute", () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), (lines) => {
        const { session } = makeSession(false);
        for (const l of lines) {
          const r = session.execute(l);
          expect(typeof r.output).toBe("string");
          expect(r.prompt.startsWith("R1") || r.prompt.length > 0).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
  test("loadConfig", () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), (lines) => {
        const { session } = makeSession();
        const errors = session.loadConfig(lines.join("\n"));
        for (const e of errors) expect(e.line).toBeGreaterThanOrEqual(1);
        expect(session.mode).toBe("exec");
      }),
      { numRuns: 300 },
    );
  });
  test("canonicalInterfaceName", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (s) => {
        const n = canonicalInterfaceName(s);
        if (n !== undefined) expect(canonicalInterfaceName(n)).toBe(n);
      }),
    );
  });
});
