// IPv4 fragmentation (RFC 791 section 3.2, RFC 815 notes) on raw datagram bytes
// for an egress MTU: payload split on 8-octet boundaries, MF set on all but the
// last piece (and kept on the last when the input was itself a non-final
// fragment), offsets added to the input's own offset, options copied to
// non-first fragments only when their copy bit is set, header checksum redone.
// Reads the header itself (src/wire lands in parallel); never throws.

/** Why a datagram could not be fragmented. */
export type FragmentFailure = "truncated" | "dontFragment" | "mtuTooSmall";

/** Outcome of fragmenting: the pieces (one, unchanged, when it fits) or why not. */
export type FragmentResult = { ok: true; fragments: Uint8Array[] } | { ok: false; reason: FragmentFailure };

/** RFC 791 header checksum over header bytes (checksum field taken as is). */
export function ipv4HeaderChecksum(header: Uint8Array, length: number): number {
  let sum = 0;
  for (let i = 0; i < length; i += 2) sum += (header[i]! << 8) | header[i + 1]!;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** Writes a fresh header checksum into an IPv4 header in place. */
export function setIpv4Checksum(packet: Uint8Array): void {
  const hlen = (packet[0]! & 0x0f) * 4;
  packet[10] = 0;
  packet[11] = 0;
  const c = ipv4HeaderChecksum(packet, hlen);
  packet[10] = c >>> 8;
  packet[11] = c & 0xff;
}

/** Options of a header reduced to those with the copy bit set, padded to 4 octets. */
function copiedOptions(options: Uint8Array): Uint8Array {
  const out: number[] = [];
  let i = 0;
  while (i < options.length) {
    const type = options[i]!;
    if (type === 0) break; // end of option list
    if (type === 1) {
      i++;
      continue;
    } // NOP, copy bit clear
    const len = options[i + 1];
    if (len === undefined || len < 2 || i + len > options.length) break; // malformed: stop copying
    if (type & 0x80) for (let k = 0; k < len; k++) out.push(options[i + k]!);
    i += len;
  }
  while (out.length % 4 !== 0) out.push(0);
  return Uint8Array.from(out);
}

/** Fragments an IPv4 datagram for an MTU, refusing when DF is set and it does not fit. */
export function fragmentIpv4(packet: Uint8Array, mtu: number): FragmentResult {
  if (packet.length < 20) return { ok: false, reason: "truncated" };
  const hlen = (packet[0]! & 0x0f) * 4;
  const total = (packet[2]! << 8) | packet[3]!;
  if (hlen < 20 || total < hlen || total > packet.length) return { ok: false, reason: "truncated" };
  if (total <= mtu) return { ok: true, fragments: [packet.length === total ? packet : packet.slice(0, total)] };
  const flagsOffset = (packet[6]! << 8) | packet[7]!;
  if (flagsOffset & 0x4000) return { ok: false, reason: "dontFragment" };
  const inputMf = (flagsOffset & 0x2000) !== 0;
  const baseOffset = flagsOffset & 0x1fff; // in 8-octet units
  const header = packet.subarray(0, hlen);
  const laterOptions = copiedOptions(packet.subarray(20, hlen));
  const payload = packet.subarray(hlen, total);
  if (Math.floor((mtu - hlen) / 8) < 1 || Math.floor((mtu - 20 - laterOptions.length) / 8) < 1)
    return { ok: false, reason: "mtuTooSmall" };

  const fragments: Uint8Array[] = [];
  let done = 0;
  while (done < payload.length) {
    const first = done === 0;
    const fhlen = first ? hlen : 20 + laterOptions.length;
    const room = Math.floor((mtu - fhlen) / 8) * 8;
    const take = Math.min(room, payload.length - done);
    const last = done + take >= payload.length;
    const f = new Uint8Array(fhlen + take);
    f.set(header.subarray(0, 20));
    if (first) f.set(header.subarray(20), 20);
    else f.set(laterOptions, 20);
    f[0] = 0x40 | (fhlen / 4);
    f[2] = f.length >>> 8;
    f[3] = f.length & 0xff;
    const offset = baseOffset + done / 8;
    const mf = !last || inputMf;
    f[6] = (mf ? 0x20 : 0) | ((offset >>> 8) & 0x1f);
    f[7] = offset & 0xff;
    f.set(payload.subarray(done, done + take), fhlen);
    setIpv4Checksum(f);
    fragments.push(f);
    done += take;
  }
  return { ok: true, fragments };
}

/**
 * Fragments for an MTU ignoring DF (the caller has already decided); the datagram
 * itself when it fits; empty when the bytes are not a datagram or the MTU is too small.
 */
export function fragmentDatagram(packet: Uint8Array, mtu: number): Uint8Array[] {
  if (packet.length >= 8 && packet[6]! & 0x40) {
    const copy = packet.slice();
    copy[6] = copy[6]! & ~0x40;
    const r = fragmentIpv4(copy, mtu);
    if (!r.ok) return [];
    if (r.fragments.length === 1) return [packet]; // fitted: leave it untouched
    return r.fragments.map((f) => {
      f[6] = f[6]! | 0x40;
      setIpv4Checksum(f);
      return f;
    });
  }
  const r = fragmentIpv4(packet, mtu);
  return r.ok ? r.fragments : [];
}
