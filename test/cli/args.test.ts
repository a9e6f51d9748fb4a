// The shared command-line parser: declared options only, values where they
// belong, no stray arguments, seeds as unsigned 32-bit whole numbers.
import { describe, expect, test } from "bun:test";
import { ArgsError, integerFlag, parseArgs, seedFlag } from "../../src/cli/args.ts";

const SPEC = { options: ["seed", "workers"], switches: ["json"], maxPositional: 1 };

describe("parseArgs with a spec", () => {
  test("options, switches and one positional", () => {
    const a = parseArgs(["basic-ping", "--seed", "7", "--workers=0", "--json"], SPEC);
    expect(a.positional).toEqual(["basic-ping"]);
    expect(a.flags.get("seed")).toBe("7");
    expect(a.flags.get("workers")).toBe("0");
    expect(a.flags.get("json")).toBe(true);
  });
  test("an unknown option is an error that suggests the near miss", () => {
    expect(() => parseArgs(["x", "--sed", "7"], SPEC)).toThrow("unknown option --sed (did you mean --seed?)");
    expect(() => parseArgs(["x", "--colour"], SPEC)).toThrow(/unknown option --colour; known options: --seed/);
  });
  test("an extra argument is an error", () => {
    expect(() => parseArgs(["a", "b"], SPEC)).toThrow('unexpected argument "b"');
  });
  test("an option without its value, and a switch with one, are errors", () => {
    expect(() => parseArgs(["a", "--seed"], SPEC)).toThrow("--seed needs a value");
    expect(() => parseArgs(["a", "--seed", "--json"], SPEC)).toThrow("--seed needs a value");
    expect(() => parseArgs(["a", "--json=yes"], SPEC)).toThrow("--json takes no value");
  });
  test("errors are ArgsError", () => {
    expect(() => parseArgs(["--nope"], SPEC)).toThrow(ArgsError);
  });
});

describe("seedFlag", () => {
  const seed = (v: string) => seedFlag(parseArgs(["--seed", v], SPEC));
  test("whole numbers from 0 to 2^32-1", () => {
    expect(seedFlag(parseArgs([], SPEC))).toBe(1);
    expect(seed("0")).toBe(0);
    expect(seed("42")).toBe(42);
    expect(seed("4294967295")).toBe(4294967295);
  });
  test("negative, fractional, too large and non-numeric seeds are refused", () => {
    for (const bad of ["-1", "1.5", "4294967296", "1e3", "seven", " "])
      expect(() => seed(bad)).toThrow(/--seed must be a whole number from 0 to 4294967295/);
  });
  test("integerFlag bounds", () => {
    expect(() => integerFlag(parseArgs(["--workers", "300"], SPEC), "workers", 1, 0, 256)).toThrow(/0 to 256/);
  });
});
