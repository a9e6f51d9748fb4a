// Public surface of the ESP/AH fast path: factories for outbound and inbound
// ESP (RFC 4303) and AH (RFC 4302) SAs on the `ref`, `native`, `wasm` or
// `auto` backend, the anti-replay window, the calibration behind `auto`, the
// wire helpers and the benchmark library.

import { HmacWasm } from "../crypto/hash.ts";
import { HmacRef } from "../crypto/hash-ref.ts";
import { type CryptoResult, ICV_LENGTH, type Mac } from "../crypto/types.ts";
import { AhInbound, AhOutbound, checkAhKeys, type MacFor } from "./ah.ts";
import { DEFAULT_REPLAY_WINDOW, MAX_REPLAY_WINDOW } from "./anti-replay.ts";
import { processEspCalibration } from "./calibration.ts";
import { createEngine } from "./engines.ts";
import { NodeHmac } from "./native-crypto.ts";
import { type EngineFor, type EspEngine, EspInbound, EspOutbound } from "./sa.ts";
import type {
  AhInboundOptions,
  AhInboundSa,
  AhOutboundOptions,
  AhOutboundSa,
  AhSaKeys,
  EspBackend,
  EspBackendChoice,
  EspBackendChooser,
  EspEngineUsage,
  EspInboundOptions,
  EspInboundSa,
  EspOutboundOptions,
  EspOutboundSa,
  EspSaKeys,
} from "./types.ts";
import { type EspTransform, espTransform } from "./wire.ts";

export { AH_FIELD, AH_FIXED_LENGTH, checkAhKeys } from "./ah.ts";
export { DEFAULT_REPLAY_WINDOW, MAX_REPLAY_WINDOW, ReplayWindow } from "./anti-replay.ts";
export { benchFastpathEsp, type EspBenchOptions, type EspBenchRow } from "./bench.ts";
export {
  BATCH_SIZES,
  calibrateTransform,
  EspCalibration,
  type EspCalibrationOptions,
  type EspCalibrationRow,
  processEspCalibration,
  SIZE_BUCKETS,
  sizeBucket,
} from "./calibration.ts";
export * from "./types.ts";
export {
  type EspTransform,
  espTransform,
  field as ESP_FIELD,
  HEADER_LENGTH as ESP_HEADER_LENGTH,
  packetLength as espPacketLength,
} from "./wire.ts";

const BACKENDS: readonly EspBackendChoice[] = ["wasm", "native", "ref", "auto"];

/** Checks an SA's keys (cipher key length, known algorithms, SPI range) without building anything. */
export function checkEspKeys(keys: EspSaKeys): CryptoResult<EspTransform> {
  return espTransform(keys);
}

function transformOrThrow(keys: EspSaKeys): EspTransform {
  const t = espTransform(keys);
  if (!t.ok) throw new RangeError(`ESP SA: ${t.error.detail}`);
  return t.value;
}

function checkBackend(backend: EspBackendChoice): void {
  if (!BACKENDS.includes(backend)) throw new RangeError(`unknown ESP backend ${String(backend)}`);
}

function checkWindow(replayWindow: number): number {
  if (!Number.isInteger(replayWindow) || replayWindow < 0 || replayWindow > MAX_REPLAY_WINDOW) {
    throw new RangeError(`replay window ${replayWindow} outside 0..${MAX_REPLAY_WINDOW}`);
  }
  return replayWindow;
}

function checkSequence(sequence: number): number {
  if (!Number.isInteger(sequence) || sequence < 0 || sequence > 0xffffffff)
    throw new RangeError(`sequence ${sequence} is not 0..2^32-1`);
  return sequence;
}

/** Engines for an SA: one fixed, or for `auto` wasm and native built on demand and picked per length. */
function engineFor(
  backend: EspBackendChoice,
  keys: EspSaKeys,
  t: EspTransform,
  chooser: EspBackendChooser | undefined,
  usage: EspEngineUsage | undefined,
): EngineFor {
  checkBackend(backend);
  if (backend !== "auto") {
    const engine = createEngine(backend, keys, t);
    // The SA asks once per packet: each packet counts under the engine that does its arithmetic.
    if (usage === undefined) return () => engine;
    return () => {
      usage[engine.backend]++;
      return engine;
    };
  }
  const choose = chooser ?? processEspCalibration().chooser;
  const built = new Map<EspBackend, EspEngine>();
  return (length, batchSize) => {
    const b = choose(keys, length, batchSize);
    let e = built.get(b);
    if (!e) {
      e = createEngine(b, keys, t);
      built.set(b, e);
    }
    if (usage !== undefined) usage[e.backend]++;
    return e;
  };
}

/**
 * An outbound ESP SA. Throws RangeError for a configuration error (key length
 * not matching the cipher, unknown algorithm or backend, bad sequence).
 */
export function createEspOutbound(keys: EspSaKeys, options: EspOutboundOptions): EspOutboundSa {
  const t = transformOrThrow(keys);
  return new EspOutbound(
    keys,
    t,
    engineFor(options.backend, keys, t, options.chooser, options.usage),
    options.iv,
    checkSequence(options.sequence ?? 0),
  );
}

/** An inbound ESP SA (anti-replay window 64 unless set; 0 disables). Throws RangeError for a configuration error. */
export function createEspInbound(keys: EspSaKeys, options: EspInboundOptions): EspInboundSa {
  const t = transformOrThrow(keys);
  const window = checkWindow(options.replayWindow ?? DEFAULT_REPLAY_WINDOW);
  return new EspInbound(keys, t, engineFor(options.backend, keys, t, options.chooser, options.usage), window);
}

function macOf(backend: EspBackend, keys: AhSaKeys): Mac {
  const alg = keys.integrity!;
  const icv = ICV_LENGTH[alg];
  const r =
    backend === "ref"
      ? HmacRef.create(alg, keys.integrityKey, icv)
      : backend === "wasm"
        ? HmacWasm.create(alg, keys.integrityKey, icv)
        : { ok: true as const, value: new NodeHmac(alg, keys.integrityKey, icv) };
  if (!r.ok) throw new RangeError(`AH SA: ${r.error.detail}`);
  return r.value;
}

/** Which implementation an HMAC object is (by its class, not by what was asked for). */
function macBackend(mac: Mac): EspBackend {
  if (mac instanceof HmacWasm) return "wasm";
  if (mac instanceof NodeHmac) return "native";
  if (mac instanceof HmacRef) return "ref";
  throw new RangeError("AH SA: HMAC of an unknown implementation");
}

function macFor(
  backend: EspBackendChoice,
  keys: AhSaKeys,
  chooser: EspBackendChooser | undefined,
  usage: EspEngineUsage | undefined,
): MacFor {
  checkBackend(backend);
  const checked = checkAhKeys(keys);
  if (!checked.ok) throw new RangeError(`AH SA: ${checked.error.detail}`);
  if (backend !== "auto") {
    const mac = macOf(backend, keys);
    // The SA asks once per datagram: each datagram counts under the implementation of its HMAC.
    if (usage === undefined) return () => mac;
    const actual = macBackend(mac);
    return () => {
      usage[actual]++;
      return mac;
    };
  }
  const choose = chooser ?? processEspCalibration().chooser;
  // The chooser is keyed on ESP transforms; AH costs what ESP-NULL with the same HMAC costs.
  const asEsp: EspSaKeys = {
    spi: keys.spi,
    encryption: null,
    encryptionKey: new Uint8Array(0),
    integrity: keys.integrity,
    integrityKey: keys.integrityKey,
  };
  const built = new Map<EspBackend, Mac>();
  return (length) => {
    const b = choose(asEsp, length, 1);
    let m = built.get(b);
    if (!m) {
      m = macOf(b, keys);
      built.set(b, m);
    }
    if (usage !== undefined) usage[macBackend(m)]++;
    return m;
  };
}

/** An outbound AH SA over IPv4. Throws RangeError for a configuration error (no integrity algorithm, bad SPI). */
export function createAhOutbound(keys: AhSaKeys, options: AhOutboundOptions): AhOutboundSa {
  const mf = macFor(options.backend, keys, options.chooser, options.usage);
  return new AhOutbound(keys, mf, checkSequence(options.sequence ?? 0));
}

/** An inbound AH SA over IPv4 (anti-replay window 64 unless set; 0 disables). Throws RangeError for a configuration error. */
export function createAhInbound(keys: AhSaKeys, options: AhInboundOptions): AhInboundSa {
  const mf = macFor(options.backend, keys, options.chooser, options.usage);
  return new AhInbound(keys, mf, checkWindow(options.replayWindow ?? DEFAULT_REPLAY_WINDOW));
}
