// The console requests' line encoding, including the dashboard's `interfaces`
// poll: every request survives the round trip, and a line that is not one
// (an ordinary command, an unknown request word) is not taken for one.

import { expect, test } from "bun:test";
import {
  type ConsoleRequest,
  decodeConsoleRequest,
  encodeConsoleRequest,
} from "../../src/config/cli/console-requests.ts";

test("every console request decodes to itself", () => {
  const all: ConsoleRequest[] = [
    { kind: "help", line: "show ip " },
    { kind: "complete", line: "sh ip int" },
    { kind: "break" },
    { kind: "status" },
    { kind: "interfaces" },
  ];
  for (const r of all) expect(decodeConsoleRequest(encodeConsoleRequest(r))).toEqual(r);
});

test("ordinary lines and unknown request words are not requests", () => {
  expect(decodeConsoleRequest("show interfaces")).toBeUndefined();
  expect(decodeConsoleRequest("interfaces")).toBeUndefined();
  expect(decodeConsoleRequest("\u0000interface")).toBeUndefined();
});
