// Dialogs in steps.txt: indented answer lines after a command, checked
// against the question the device asks.

import { describe, expect, test } from "bun:test";
import { dialogAnswer } from "../../src/scenario/runner.ts";
import { parseSteps, StepsError } from "../../src/scenario/steps.ts";

describe("answer lines", () => {
  test("indented lines after a command are answers on the same device", () => {
    const steps = parseSteps("steps.txt", "R1# ping\n  Protocol [ip]:\n\t10.0.0.1\n  # a comment\nexpect Success\n");
    expect(steps).toEqual([
      { kind: "command", line: 1, device: "R1", text: "ping" },
      { kind: "answer", line: 2, device: "R1", text: "Protocol [ip]:" },
      { kind: "answer", line: 3, device: "R1", text: "10.0.0.1" },
      { kind: "expect", line: 5, negate: false, text: "Success" },
    ]);
  });
  test("an indented line anywhere else is an error", () => {
    expect(() => parseSteps("steps.txt", "wait 1s\n  y\n")).toThrow(StepsError);
    expect(() => parseSteps("steps.txt", "  y\n")).toThrow("must follow a command");
  });
  test("the question form is checked; the bare form is typed as is", () => {
    expect(dialogAnswer("Target IP address: ", "Target IP address: 10.0.0.1")).toBe("10.0.0.1");
    expect(dialogAnswer("Repeat count [5]: ", "Repeat count [5]:")).toBe("");
    expect(dialogAnswer("Proceed with reload? [confirm]", "Proceed with reload? [confirm]")).toBe("");
    expect(dialogAnswer("Repeat count [5]: ", "7")).toBe("7");
    expect(dialogAnswer("Repeat count [5]: ", "Datagram size [100]: 1500")).toEqual({
      error: 'the device asks "Repeat count [5]:", not "Datagram size [100]: 1500"',
    });
    expect(dialogAnswer("R1#", "y")).toEqual({
      error: '"y" answers a dialog, but the device asks nothing (its prompt is R1#)',
    });
    expect(dialogAnswer("R1(config-if)#", "y")).toHaveProperty("error");
  });
});
