// `--crypto auto` calibration: size buckets, one measurement per transform per
// process, a chooser answering wasm or native. Correctness never depends on the
// answer (both backends give identical bytes, see esp.test.ts), so these tests
// check only the shape and the caching.
import { describe, expect, test } from "bun:test";
import {
  calibrateTransform,
  createEspInbound,
  createEspOutbound,
  EspCalibration,
  SIZE_BUCKETS,
  sizeBucket,
} from "../../../src/fastpath/esp/index.ts";
import { bytes, countingIv, keysFor, toHex } from "./cases.ts";

describe("ESP calibration", () => {
  test("payload lengths fall in the nearest bucket on a log scale", () => {
    expect(SIZE_BUCKETS).toEqual([64, 512, 1400]);
    expect([0, 1, 64, 180, 182, 512, 846, 848, 1400, 9000].map(sizeBucket)).toEqual([
      64, 64, 64, 64, 512, 512, 512, 1400, 1400, 1400,
    ]);
  });

  test("measures both backends at every bucket", () => {
    const rows = calibrateTransform("aes-128-cbc", "sha1", { packets: 16, batch: 8 });
    expect(rows.map((r) => [r.bucket, r.batch])).toEqual([
      [64, 1],
      [64, 8],
      [512, 1],
      [512, 8],
      [1400, 1],
      [1400, 8],
    ]);
    for (const r of rows) {
      expect(r.wasmPps).toBeGreaterThan(0);
      expect(r.nativePps).toBeGreaterThan(0);
      expect(r.choice).toBe(r.wasmPps >= r.nativePps ? "wasm" : "native");
    }
  });

  test("the chooser answers from the one-at-a-time rows for small calls and the batch rows for large ones", () => {
    const cal = new EspCalibration({ packets: 8, batch: 8 });
    const keys = keysFor("aes-128-cbc", "md5");
    const rows = cal.measure("aes-128-cbc", "md5");
    for (const [len, bucket] of [
      [60, 64],
      [600, 512],
      [1300, 1400],
    ] as const) {
      expect(cal.chooser(keys, len, 1)).toBe(rows.find((r) => r.bucket === bucket && r.batch === 1)!.choice);
      expect(cal.chooser(keys, len, 32)).toBe(rows.find((r) => r.bucket === bucket && r.batch === 8)!.choice);
    }
  });

  test("each transform is measured once, then the chooser answers from the cache", () => {
    let clockReads = 0;
    const cal = new EspCalibration({ packets: 8, batch: 8, now: () => ++clockReads });
    const keys = keysFor("des-cbc", "md5");
    const first = cal.chooser(keys, 100);
    const reads = clockReads;
    expect(reads).toBeGreaterThan(0);
    expect(["wasm", "native"]).toContain(first);
    for (const len of [0, 64, 500, 1400, 1500]) cal.chooser(keys, len);
    expect(clockReads).toBe(reads);
    for (const len of [0, 64, 500, 1400, 1500]) cal.chooser(keys, len, 32);
    expect(clockReads).toBe(reads);
    expect(cal.results().length).toBe(6);
    cal.chooser(keysFor("des-cbc", "sha1"), 100);
    expect(cal.results().length).toBe(12);
  });

  test("auto SAs built on a calibration seal the same bytes as the reference", () => {
    const cal = new EspCalibration({ packets: 8, batch: 8 });
    const keys = keysFor("aes-256-cbc", "sha256");
    const payloads = [0, 100, 700, 1400].map((n, i) => bytes(n, i));
    const auto = createEspOutbound(keys, { backend: "auto", chooser: cal.chooser, iv: countingIv().source }).sealBatch(
      payloads,
      [4, 4, 4, 4],
    );
    const ref = createEspOutbound(keys, { backend: "ref", iv: countingIv().source }).sealBatch(payloads, [4, 4, 4, 4]);
    expect(auto.map(toHex)).toEqual(ref.map(toHex));
    const opened = createEspInbound(keys, { backend: "auto", chooser: cal.chooser }).openBatch(auto);
    expect(opened.map((r) => r.status)).toEqual(["ok", "ok", "ok", "ok"]);
  });
});
