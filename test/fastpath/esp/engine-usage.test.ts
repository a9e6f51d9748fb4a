// Engine usage records: each sealed or opened ESP packet and each AH datagram
// counts under the implementation whose object did the arithmetic (not the
// one asked for), for fixed backends and for `auto`, whose chooser may split
// one batch between wasm and native by length.
import { describe, expect, test } from "bun:test";
import {
  createAhInbound,
  createAhOutbound,
  createEspInbound,
  createEspOutbound,
  type EspBackend,
  emptyEngineUsage,
} from "../../../src/fastpath/esp/index.ts";
import { bytes, countingIv, keysFor } from "./cases.ts";

const BACKENDS: EspBackend[] = ["wasm", "native", "ref"];

/** An IPv4 header template for AH (IHL 5). */
function ipv4Header(): Uint8Array {
  const h = new Uint8Array(20);
  h[0] = 0x45;
  h[8] = 64;
  h.set([10, 0, 0, 1], 12);
  h.set([10, 0, 0, 2], 16);
  return h;
}

describe("ESP/AH engine usage", () => {
  for (const backend of BACKENDS) {
    test(`${backend}: every ESP packet sealed and opened counts under ${backend}`, () => {
      const keys = keysFor("aes-256-cbc", "sha1", 1, 0x1234);
      const sealed = emptyEngineUsage();
      const opened = emptyEngineUsage();
      const out = createEspOutbound(keys, { backend, iv: countingIv().source, usage: sealed });
      const inb = createEspInbound(keys, { backend, usage: opened });
      const packets = out.sealBatch([bytes(40, 1), bytes(1400, 2), bytes(100, 3)], [4, 4, 4]);
      expect(inb.openBatch(packets).map((p) => p.status)).toEqual(["ok", "ok", "ok"]);
      expect(sealed).toEqual({ ...emptyEngineUsage(), [backend]: 3 });
      expect(opened).toEqual({ ...emptyEngineUsage(), [backend]: 3 });
    });

    test(`${backend}: every AH datagram sealed and verified counts under ${backend}`, () => {
      const keys = { spi: 0x4321, integrity: "sha1" as const, integrityKey: bytes(20, 9) };
      const sealed = emptyEngineUsage();
      const opened = emptyEngineUsage();
      const out = createAhOutbound(keys, { backend, usage: sealed });
      const inb = createAhInbound(keys, { backend, usage: opened });
      const d = out.seal(ipv4Header(), bytes(64, 4), 6);
      expect(inb.open(d).status).toBe("ok");
      expect(sealed).toEqual({ ...emptyEngineUsage(), [backend]: 1 });
      expect(opened).toEqual({ ...emptyEngineUsage(), [backend]: 1 });
    });
  }

  test("auto: each packet counts under the backend the chooser picked for its length", () => {
    const keys = keysFor("aes-128-cbc", "sha256", 2, 0x99);
    const sealed = emptyEngineUsage();
    const chooser = (_k: unknown, length: number): "wasm" | "native" => (length > 500 ? "wasm" : "native");
    const out = createEspOutbound(keys, { backend: "auto", iv: countingIv().source, usage: sealed, chooser });
    out.sealBatch([bytes(40, 1), bytes(1400, 2), bytes(100, 3), bytes(900, 4)], [4, 4, 4, 4]);
    expect(sealed).toEqual({ wasm: 2, native: 2, ref: 0 });
  });
});
