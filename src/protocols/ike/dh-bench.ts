// Micro benchmark of IKE Diffie-Hellman (for `bench ipsec`): per group and per
// backend (node:crypto engine, BigInt), the time of one key pair and of one
// shared secret, what one tunnel's DH costs (each side makes a key pair and a
// shared secret: 2 + 2), and the one-time cost of building the group's engine.
// Keys come from a fixed seed. Returns numbers; prints nothing.

import { SeededRandom } from "../../runtime/random.ts";
import { type DhBackend, dhKeyPairWith, dhSharedSecretWith, randomBytesFrom, warmDhEngine } from "./dh.ts";
import { DH_EXPONENT_BITS, DH_GROUP_BITS, DH_GROUPS, type DhGroup } from "./dh-groups.ts";

/** One measured group and backend. */
export interface IkeDhBenchRow {
  group: DhGroup;
  bits: number;
  exponentBits: number;
  backend: DhBackend;
  /** False when the engine was asked for but node:crypto could not build it (the row then measures BigInt). */
  available: boolean;
  /** Milliseconds per key pair. */
  keyPairMs: number;
  /** Milliseconds per shared secret. */
  sharedSecretMs: number;
  /** DH work of one tunnel: two key pairs and two shared secrets. */
  tunnelMs: number;
  /** Tunnels per second on one core if DH were all the work. */
  tunnelsPerSecond: number;
  /** Time this run spent building the group's engine (0 when already built; null for BigInt). */
  setupMs: number | null;
}

/** Benchmark options. */
export interface IkeDhBenchOptions {
  /** Groups to measure (default all). */
  groups?: DhGroup[];
  /** Backends to measure (default engine and bigint). */
  backends?: DhBackend[];
  /** Minimum wall time per measurement in ms (default 200). */
  minMs?: number;
  /** Wall clock in ms (default performance.now); benchmarks are the one place that reads it. */
  now?: () => number;
}

/** Runs fn until minMs has elapsed (at least 3 times after a warm-up); ms per call. */
function msPerCall(fn: () => void, minMs: number, now: () => number): number {
  fn();
  let calls = 0;
  const start = now();
  let elapsed = 0;
  while (elapsed < minMs || calls < 3) {
    fn();
    calls++;
    elapsed = now() - start;
  }
  return elapsed / calls;
}

/** Measures key pair and shared secret time per group and backend. */
export function benchIkeDh(options: IkeDhBenchOptions = {}): IkeDhBenchRow[] {
  const groups = options.groups ?? [...DH_GROUPS];
  const backends = options.backends ?? (["engine", "bigint"] as DhBackend[]);
  const minMs = options.minMs ?? 200;
  const now = options.now ?? (() => performance.now());
  const rows: IkeDhBenchRow[] = [];
  for (const group of groups) {
    for (const backend of backends) {
      let setupMs: number | null = null;
      let available = true;
      if (backend === "engine") {
        const t0 = now();
        available = warmDhEngine(group);
        setupMs = now() - t0;
      }
      const random = randomBytesFrom(new SeededRandom(group * 31 + (backend === "engine" ? 1 : 2)));
      const peer = dhKeyPairWith(backend, group, random);
      const mine = dhKeyPairWith(backend, group, random);
      const keyPairMs = msPerCall(() => void dhKeyPairWith(backend, group, random), minMs, now);
      const sharedSecretMs = msPerCall(
        () => {
          if (!dhSharedSecretWith(backend, group, mine.privateKey, peer.publicKey))
            throw new Error(`group ${group}: no secret`);
        },
        minMs,
        now,
      );
      const tunnelMs = 2 * keyPairMs + 2 * sharedSecretMs;
      rows.push({
        group,
        bits: DH_GROUP_BITS[group],
        exponentBits: DH_EXPONENT_BITS[group],
        backend,
        available,
        keyPairMs,
        sharedSecretMs,
        tunnelMs,
        tunnelsPerSecond: 1000 / tunnelMs,
        setupMs,
      });
    }
  }
  return rows;
}
