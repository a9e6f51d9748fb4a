// Small pieces the IKEv1 exchanges share: payload builders (vendor IDs,
// proxy identities), the bytes a quick-mode hash covers, byte helpers, and the
// wording of IOS debug lines (notify names, proxy and transform text).

import type { SaRequest } from "../../../dataplane/ipsec/ipsec-sa.ts";
import { formatProxyId, type ProxyId } from "../../../dataplane/ipsec/proxy-id.ts";
import { formatIpv4Address, readIpv4 } from "../../../wire/ipv4-address.ts";
import type { IsakmpPayload, IsakmpPayloadInput } from "../../../wire/isakmp.ts";
import { ID_TYPE, NOTIFY } from "../../../wire/isakmp-constants.ts";
import type { IsakmpPolicy } from "../../ipsec/crypto-config.ts";
import type { IkeCipher } from "../v1-cipher.ts";
import { u32Bytes } from "./phase1-policy.ts";
import type { Phase2Offer } from "./phase2-proposal.ts";

/** Nonce length IOS sends. */
export const NONCE_LENGTH = 20;

export const NOTIFY_NAME: Record<number, string> = {
  [NOTIFY.NO_PROPOSAL_CHOSEN]: "PROPOSAL_NOT_CHOSEN",
  [NOTIFY.PAYLOAD_MALFORMED]: "PAYLOAD_MALFORMED",
  [NOTIFY.INVALID_ID_INFORMATION]: "INVALID_ID_INFO",
  [NOTIFY.AUTHENTICATION_FAILED]: "AUTHENTICATION_FAILED",
  [NOTIFY.INITIAL_CONTACT]: "INITIAL_CONTACT",
  [NOTIFY.INVALID_SPI]: "INVALID_SPI",
  [NOTIFY.R_U_THERE]: "R_U_THERE",
  [NOTIFY.R_U_THERE_ACK]: "R_U_THERE_ACK",
};

export function ikeCipherOf(p: IsakmpPolicy): IkeCipher {
  switch (p.encryption) {
    case "des":
      return { algorithm: "des", keyBits: 64 };
    case "3des":
      return { algorithm: "3des", keyBits: 192 };
    case "aes-128":
      return { algorithm: "aes", keyBits: 128 };
    case "aes-192":
      return { algorithm: "aes", keyBits: 192 };
    case "aes-256":
      return { algorithm: "aes", keyBits: 256 };
  }
}

export function vid(data: Uint8Array): IsakmpPayloadInput {
  return { type: "vendorId", data };
}

/** An identity payload for a proxy: a host as IPV4_ADDR, a subnet as IPV4_ADDR_SUBNET. */
export function proxyIdPayload(p: ProxyId): IsakmpPayloadInput {
  if (p.mask >>> 0 === 0xffffffff)
    return { type: "id", idType: ID_TYPE.IPV4_ADDR, protocolId: p.protocol, port: p.port, data: u32Bytes(p.address) };
  return {
    type: "id",
    idType: ID_TYPE.IPV4_ADDR_SUBNET,
    protocolId: p.protocol,
    port: p.port,
    data: concat(u32Bytes(p.address), u32Bytes(p.mask)),
  };
}

export function proxyFromId(id: Extract<IsakmpPayload, { type: "id" }>): ProxyId | null {
  if (id.idType === ID_TYPE.IPV4_ADDR && id.data.length === 4)
    return { address: readIpv4(id.data, 0), mask: 0xffffffff, protocol: id.protocolId, port: id.port };
  if (id.idType === ID_TYPE.IPV4_ADDR_SUBNET && id.data.length === 8) {
    const mask = readIpv4(id.data, 4);
    return { address: (readIpv4(id.data, 0) & mask) >>> 0, mask, protocol: id.protocolId, port: id.port };
  }
  return null;
}

export function hostProxy(address: number): ProxyId {
  return { address, mask: 0xffffffff, protocol: 0, port: 0 };
}

/** The bytes after the HASH payload, up to the end of the last payload (an encrypted body's padding excluded). */
export function restAfterHash(plain: Uint8Array, payloads: readonly IsakmpPayload[]): Uint8Array {
  let end = 0;
  for (const p of payloads) end += 4 + p.body.length;
  return plain.subarray(4 + payloads[0]!.body.length, end);
}

export function sameFlow(a: SaRequest, b: SaRequest): boolean {
  return (
    a.interfaceName === b.interfaceName &&
    a.mapName === b.mapName &&
    a.sequence === b.sequence &&
    formatProxyId(a.localProxy) === formatProxyId(b.localProxy) &&
    formatProxyId(a.remoteProxy) === formatProxyId(b.remoteProxy)
  );
}

export function proxyText(p: ProxyId): string {
  return `${ip(p.address)}/${ip(p.mask)}/${p.protocol}/${p.port} (type=${p.mask >>> 0 === 0xffffffff ? 1 : 4})`;
}

export function offerText(o: Phase2Offer): string {
  const enc =
    o.encryption === null
      ? ""
      : o.encryption === "esp-aes-192"
        ? "esp-aes 192 "
        : o.encryption === "esp-aes-256"
          ? "esp-aes 256 "
          : `${o.encryption} `;
  const mac = o.integrity === null ? "" : `${o.protocol}-${o.integrity === "sha1" ? "sha" : o.integrity}-hmac `;
  return `${enc}${mac}`;
}

export function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function ip(a: number): string {
  return formatIpv4Address(a);
}

export function hex(n: number): string {
  return (n >>> 0).toString(16).toUpperCase();
}

/**
 * Key bytes as lowercase hex for exported key records, as one flat string:
 * the lab keeps every record for its captures, and a string built by `+=`
 * per byte stays a rope holding a piece per byte (a 24-hour soak grew by
 * 5 MB every 12 hours that way).
 */
export function keyHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("hex");
}

export function isZero(b: Uint8Array): boolean {
  return b.every((x) => x === 0);
}

export function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
