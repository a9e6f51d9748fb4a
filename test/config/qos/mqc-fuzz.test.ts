// Malformed and random MQC configuration never throws out of the device: any
// sequence of class-map / policy-map / class lines with random arguments
// loads (refused lines reported, the rest kept), the running config it leaves
// loads back into a fresh router and prints the same, and traffic through the
// resulting policy is classified without error.

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { configFromShowRun, renderRunningConfig } from "../../../src/config/router/running-config.ts";
import { routerSession } from "../router/router-session.ts";

const word = fc.constantFrom("A", "B", "class-default", "P", "Q", "101", "ef", "af41", "63", "64", "x");
const num = fc.constantFrom("0", "8", "64", "128", "1000", "8000", "64000", "2000000000", "-1", "99999999999");
const line = fc.oneof(
  fc.tuple(fc.constantFrom("class-map", "class-map match-any", "class-map match-all", "no class-map"), word),
  fc.tuple(
    fc.constantFrom(" match ip dscp", " match precedence", " match access-group", " match protocol", " match any"),
    word,
  ),
  fc.tuple(fc.constantFrom("policy-map", "no policy-map", " class", " no class"), word),
  fc.tuple(
    fc.constantFrom(
      "  bandwidth",
      "  bandwidth percent",
      "  bandwidth remaining percent",
      "  priority",
      "  priority percent",
      "  queue-limit",
      "  fair-queue",
    ),
    num,
  ),
  fc.tuple(
    fc.constantFrom(
      "  police cir",
      "  shape average",
      "  shape peak",
      "  set dscp",
      "  set precedence",
      "  service-policy",
      "  drop",
      "  no priority",
      "  no bandwidth",
    ),
    fc.oneof(num, word),
  ),
  fc.tuple(
    fc.constantFrom(
      "interface Serial0/0",
      " service-policy output",
      " service-policy input",
      " no service-policy output",
      " max-reserved-bandwidth",
      " load-interval",
    ),
    fc.oneof(num, word),
  ),
);

describe("MQC configuration fuzz", () => {
  test("random lines load without throwing and the running config round-trips", () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), (lines) => {
        const r = routerSession();
        const text = lines.map(([a, b]) => `${a} ${b}`);
        r.load(text);
        const run = renderRunningConfig(r.device);
        const again = routerSession();
        expect(again.load(configFromShowRun(run).split("\n"))).toEqual([]);
        expect(renderRunningConfig(again.device)).toBe(run);
        // Shows never throw either.
        r.run("show policy-map interface");
        r.run("show policy-map");
        r.run("show class-map");
      }),
      { numRuns: 80 },
    );
  });
});
