import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { fragmentDatagram, fragmentIpv4, ipv4HeaderChecksum, setIpv4Checksum } from "../../src/dataplane/fragment.ts";
import { Reassembler } from "../../src/dataplane/reassembly.ts";

const S = 1_000_000_000;

/** Builds a valid IPv4 datagram with the given options and payload. */
function datagram(payload: Uint8Array, options: number[] = [], id = 0x1234, flags = 0): Uint8Array {
  const hlen = 20 + options.length;
  const p = new Uint8Array(hlen + payload.length);
  p[0] = 0x40 | (hlen / 4);
  p[2] = p.length >>> 8;
  p[3] = p.length & 0xff;
  p[4] = id >>> 8;
  p[5] = id & 0xff;
  p[6] = flags;
  p[8] = 64;
  p[9] = 17;
  p.set([10, 1, 1, 1, 10, 2, 2, 2], 12);
  p.set(options, 20);
  p.set(payload, hlen);
  setIpv4Checksum(p);
  return p;
}

const bytes = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 7 + 3) & 0xff);
const offsetOf = (f: Uint8Array): number => (((f[6]! & 0x1f) << 8) | f[7]!) * 8;
const mfOf = (f: Uint8Array): boolean => (f[6]! & 0x20) !== 0;

describe("fragment", () => {
  test("1500-byte datagram over MTU 576: 8-octet offsets, MF, valid checksums", () => {
    const d = datagram(bytes(1480));
    const r = fragmentIpv4(d, 576);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.fragments.map((f) => f.length)).toEqual([572, 572, 396]);
    expect(r.fragments.map(offsetOf)).toEqual([0, 552, 1104]);
    expect(r.fragments.map(mfOf)).toEqual([true, true, false]);
    for (const f of r.fragments) expect(ipv4HeaderChecksum(f, 20)).toBe(0);
  });

  test("fits: unchanged; DF: refused; tiny MTU: refused; truncated", () => {
    const d = datagram(bytes(100));
    expect(fragmentIpv4(d, 1500)).toEqual({ ok: true, fragments: [d] });
    expect(fragmentIpv4(datagram(bytes(2000), [], 1, 0x40), 1500)).toEqual({ ok: false, reason: "dontFragment" });
    expect(fragmentIpv4(datagram(bytes(100)), 27)).toEqual({ ok: false, reason: "mtuTooSmall" });
    expect(fragmentIpv4(d.subarray(0, 50), 40)).toEqual({ ok: false, reason: "truncated" });
    expect(fragmentDatagram(new Uint8Array(3), 576)).toEqual([]);
  });

  test("options: copy-bit options go to every fragment, others only to the first", () => {
    // Record route (7, copy bit clear, len 7) + NOP, then security-like option 0x82 len 4.
    const opts = [7, 7, 4, 0, 0, 0, 0, 1, 0x82, 4, 0xab, 0xcd];
    const d = datagram(bytes(200), opts);
    const r = fragmentIpv4(d, 100);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.fragments[0]!.subarray(20, 32)).toEqual(Uint8Array.from(opts));
    for (const f of r.fragments.slice(1)) {
      expect(f[0]! & 0x0f).toBe(6);
      expect(Array.from(f.subarray(20, 24))).toEqual([0x82, 4, 0xab, 0xcd]);
    }
  });

  test("re-fragmenting a fragment keeps offsets and the MF of a non-final input", () => {
    const r1 = fragmentIpv4(datagram(bytes(3000)), 1500);
    if (!r1.ok) throw new Error("fragment");
    const middle = r1.fragments[0]!;
    const r2 = fragmentIpv4(middle, 576);
    if (!r2.ok) throw new Error("refragment");
    expect(r2.fragments.map(mfOf)).toEqual([true, true, true]);
    const last = r1.fragments[r1.fragments.length - 1]!;
    const r3 = fragmentIpv4(last, 100);
    if (!r3.ok) throw new Error("refragment last");
    expect(offsetOf(r3.fragments[0]!)).toBe(offsetOf(last));
    expect(mfOf(r3.fragments[r3.fragments.length - 1]!)).toBe(false);
    const re = new Reassembler();
    let out: Uint8Array | null = null;
    for (const f of [...r2.fragments, ...r3.fragments, ...r1.fragments.slice(1, -1)]) out = re.add(f, 0) ?? out;
    expect(out).toEqual(datagram(bytes(3000)));
  });

  test("fragmentDatagram ignores DF but keeps it on the pieces", () => {
    const fr = fragmentDatagram(datagram(bytes(1000), [], 9, 0x40), 500);
    expect(fr).toHaveLength(3);
    for (const f of fr) {
      expect(f[6]! & 0x40).toBe(0x40);
      expect(ipv4HeaderChecksum(f, 20)).toBe(0);
    }
  });

  test("property: fragment then reassemble in any order gives the original", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4000 }),
        fc.integer({ min: 68, max: 1500 }),
        fc.constantFrom<number[]>([], [0x82, 4, 1, 2], [7, 7, 4, 0, 0, 0, 0, 0]),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        (len, mtu, opts, seed) => {
          const d = datagram(bytes(len), opts);
          const r = fragmentIpv4(d, mtu);
          if (!r.ok) throw new Error(r.reason);
          for (const f of r.fragments)
            expect(f.length).toBeLessThanOrEqual(Math.max(mtu, d.length <= mtu ? d.length : 0));
          const order = r.fragments
            .map((f, i) => ({ f, k: Math.imul(i + 1, seed | 1) >>> 0 }))
            .sort((a, b) => a.k - b.k)
            .map((x) => x.f);
          const re = new Reassembler({ maxFragmentsPerDatagram: 128 });
          const outs = order.map((f) => re.add(f, 0)).filter((x) => x !== null);
          expect(outs).toEqual([d]);
          expect(re.pending).toBe(0);
          expect(re.bytesHeld).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("reassembly", () => {
  const pieces = (): Uint8Array[] => {
    const r = fragmentIpv4(datagram(bytes(1000)), 300);
    if (!r.ok) throw new Error("fragment");
    return r.fragments;
  };

  test("timeout discards the buffer and counts it", () => {
    const re = new Reassembler();
    const [a, , c] = pieces();
    expect(re.add(a!, 0)).toBeNull();
    expect(re.nextExpiryAt()).toBe(15 * S);
    expect(re.expire(15 * S - 1)).toBe(0);
    expect(re.add(c!, 15 * S)).toBeNull(); // expiry runs first: a is gone, c opens a new buffer
    expect(re.counters).toEqual({ fragments: 2, reassembled: 0, timeouts: 1, failures: 0 });
  });

  test("exact duplicates are ignored, overlaps drop the datagram", () => {
    const re = new Reassembler();
    const f = pieces();
    re.add(f[0]!, 0);
    expect(re.add(f[0]!, 0)).toBeNull();
    expect(re.pending).toBe(1);
    // An overlapping piece: same offset as f[1] but shifted by 8 octets.
    const bad = f[1]!.slice();
    bad[7] = bad[7]! + 1;
    setIpv4Checksum(bad);
    re.add(f[1]!, 0);
    expect(re.add(bad, 0)).toBeNull();
    expect(re.pending).toBe(0);
    expect(re.counters.failures).toBe(1);
  });

  test("buffer and byte limits", () => {
    const re = new Reassembler({ maxBuffers: 2, maxTotalBytes: 600 });
    for (let id = 1; id <= 3; id++) {
      const r = fragmentIpv4(datagram(bytes(1000), [], id), 300);
      if (r.ok) re.add(r.fragments[0]!, 0);
    }
    expect(re.pending).toBe(2);
    expect(re.counters.failures).toBe(1); // third buffer refused
    const small = new Reassembler({ maxTotalBytes: 500 });
    for (let id = 1; id <= 2; id++) {
      const r = fragmentIpv4(datagram(bytes(1000), [], id), 300);
      if (r.ok) small.add(r.fragments[0]!, 0);
    }
    expect([small.pending, small.bytesHeld, small.counters.failures]).toEqual([1, 280, 1]);
    const few = new Reassembler({ maxFragmentsPerDatagram: 2 });
    expect(pieces().map((f) => few.add(f, 0))).toEqual([null, null, null, null]);
    expect(few.counters.failures).toBe(1);
  });

  test("unfragmented datagram passes through", () => {
    const d = datagram(bytes(10));
    expect(new Reassembler().add(d, 0)).toEqual(d);
  });
});
