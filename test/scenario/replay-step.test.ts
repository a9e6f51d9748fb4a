// The `replay WIRE PROTOCOL` step: how it parses, what the frame recorder
// keeps (the last IPv4 frame per IP protocol and wire, VLAN-tagged too, and
// nothing from serial wires), and a replay with nothing recorded failing its step.

import { expect, test } from "bun:test";
import { deviceFactories } from "../../actors/index.ts";
import { Lab } from "../../src/runtime/lab.ts";
import type { WireSpec } from "../../src/runtime/topology.ts";
import { FrameRecorder, ipProtocolOfFrame } from "../../src/scenario/frame-recorder.ts";
import { loadScenario } from "../../src/scenario/load.ts";
import { runSteps } from "../../src/scenario/runner.ts";
import { parseSteps, StepsError } from "../../src/scenario/steps.ts";

test("replay steps parse with a protocol name or number, and refuse the rest", () => {
  expect(parseSteps("t", "replay P-CE3 esp\nreplay X 17")).toEqual([
    { kind: "replay", line: 1, wire: "P-CE3", protocol: 50 },
    { kind: "replay", line: 2, wire: "X", protocol: 17 },
  ]);
  for (const bad of ["replay P-CE3", "replay P-CE3 smtp", "replay P-CE3 300", "replay a b c"])
    expect(() => parseSteps("t", bad)).toThrow(StepsError);
});

function frame(protocol: number, vlan = false, marker = 0): Uint8Array {
  const eth = vlan ? [...new Array(12).fill(0), 0x81, 0, 0, 7, 8, 0] : [...new Array(12).fill(0), 8, 0];
  const ip = new Array(20).fill(0);
  ip[0] = 0x45;
  ip[9] = protocol;
  ip[19] = marker;
  return Uint8Array.from([...eth, ...ip]);
}

test("the recorder keeps the last frame of each protocol per Ethernet wire and passes everything on", () => {
  expect(ipProtocolOfFrame(frame(50))).toBe(50);
  expect(ipProtocolOfFrame(frame(47, true))).toBe(47);
  expect(ipProtocolOfFrame(Uint8Array.from([...new Array(12).fill(0), 0x08, 0x06, 0, 1]))).toBeNull();
  expect(ipProtocolOfFrame(frame(50).subarray(0, 30))).toBeNull();
  const passed: number[] = [];
  const rec = new FrameRecorder({ write: (_w, _t, b) => passed.push(b[33]!), close() {} });
  const eth = { name: "P-CE3", kind: "ethernet" } as WireSpec;
  const serial = { name: "S", kind: "serial" } as WireSpec;
  rec.write(eth, 1, frame(50, false, 1));
  rec.write(eth, 2, frame(50, false, 2));
  rec.write(eth, 3, frame(1, false, 3));
  rec.write(serial, 4, frame(50, false, 4));
  expect(passed).toEqual([1, 2, 3, 4]);
  expect(rec.lastFrame("P-CE3", 50)?.[33]).toBe(2);
  expect(rec.lastFrame("P-CE3", 1)?.[33]).toBe(3);
  expect(rec.lastFrame("S", 50)).toBeUndefined();
  expect(rec.lastFrame("P-CE3", 6)).toBeUndefined();
});

test("a replay with nothing recorded fails its step", async () => {
  const s = loadScenario("basic-ping");
  const wire = s.lab.wires[0]!.name;
  const lab = await Lab.create(s.lab, { workers: 0, factories: deviceFactories });
  try {
    const r = await runSteps("t", lab, parseSteps("t", `replay ${wire} esp`), () => {}, {
      frames: new FrameRecorder(),
    });
    expect(r.ok).toBe(false);
    expect(r.failure).toBe(`step at line 1: no frame of IP protocol 50 has crossed ${wire} to replay`);
  } finally {
    lab.close();
  }
});
