// The crypto section of `show running-config`, in IOS 15's order: the PKI
// (trustpoints, certificate chains, pubkey-chain; pki-running-config.ts), ISAKMP
// policies (attributes at their defaults left out), pre-shared keys,
// keepalive, the global IPsec SA lifetime, transform sets (the `mode` line
// always printed), IPsec profiles, dynamic maps, then crypto maps
// (`local-address` before the entries; not the maps tunnel protection builds). Loading these lines back gives the same CryptoConfig.

import {
  type CryptoConfig,
  type CryptoMapEntry,
  defaultIsakmpPolicy,
  type IsakmpKey,
  type IsakmpPolicy,
} from "../../protocols/ipsec/crypto-config.ts";
import { formatIpv4Address } from "../../wire/ipv4-address.ts";
import { isakmpEncryptionConfig, transformSetConfigWords } from "./crypto-text.ts";
import { renderPkiConfig } from "./pki-running-config.ts";

/** IOS's defaults for the global SA lifetime (`crypto ipsec security-association lifetime`). */
export const DEFAULT_IPSEC_LIFETIME_SEC = 3600;
export const DEFAULT_IPSEC_LIFETIME_KB = 4608000;

/** The lines of one `crypto isakmp policy N` block. */
export function isakmpPolicyLines(p: IsakmpPolicy): string[] {
  const d = defaultIsakmpPolicy(p.priority);
  const lines = [`crypto isakmp policy ${p.priority}`];
  if (p.encryption !== d.encryption) lines.push(` encr ${isakmpEncryptionConfig(p.encryption)}`);
  if (p.hash !== d.hash) lines.push(` hash ${p.hash}`);
  if (p.authentication !== d.authentication) lines.push(` authentication ${p.authentication}`);
  if (p.group !== d.group) lines.push(` group ${p.group}`);
  if (p.lifetimeSec !== d.lifetimeSec) lines.push(` lifetime ${p.lifetimeSec}`);
  return lines;
}

/** `crypto isakmp key ...`: no mask for a host key, bare `0.0.0.0` for the wildcard. */
export function isakmpKeyLine(k: IsakmpKey): string {
  const key = k.encrypted ? `6 ${k.key}` : k.key;
  const host = k.mask >>> 0 === 0xffffffff || (k.address === 0 && k.mask === 0);
  const where = host ? formatIpv4Address(k.address) : `${formatIpv4Address(k.address)} ${formatIpv4Address(k.mask)}`;
  return `crypto isakmp key ${key} address ${where}`;
}

/** The lines under `crypto map NAME SEQ ipsec-isakmp` or `crypto dynamic-map NAME SEQ`. */
export function cryptoMapEntryBody(e: CryptoMapEntry): string[] {
  const lines: string[] = [];
  if (e.description !== undefined) lines.push(` description ${e.description}`);
  for (const p of e.peers) lines.push(` set peer ${formatIpv4Address(p)}`);
  if (e.lifetimeSec !== undefined) lines.push(` set security-association lifetime seconds ${e.lifetimeSec}`);
  if (e.lifetimeKb !== undefined) lines.push(` set security-association lifetime kilobytes ${e.lifetimeKb}`);
  if (e.transformSets.length > 0) lines.push(` set transform-set ${e.transformSets.join(" ")}`);
  if (e.pfsGroup !== undefined) lines.push(` set pfs group${e.pfsGroup}`);
  if (e.matchAddress !== undefined) lines.push(` match address ${e.matchAddress}`);
  if (e.qosPreClassify === true) lines.push(" qos pre-classify");
  return lines;
}

/** Running-config lines of all crypto configuration, each block closed by `!`; empty if none. */
export function renderCryptoConfig(c: CryptoConfig, gdoiGroups: readonly string[][] = []): string[] {
  const out: string[] = renderPkiConfig(c.pki);
  const block = (lines: string[]): void => {
    if (lines.length > 0) out.push(...lines, "!");
  };

  const isakmp: string[] = [];
  for (const p of [...c.isakmpPolicies.values()].sort((a, b) => a.priority - b.priority))
    isakmp.push(...isakmpPolicyLines(p));
  if (!c.defaultPolicyEnabled) isakmp.push("no crypto isakmp default policy");
  for (const k of c.isakmpKeys) isakmp.push(isakmpKeyLine(k));
  if (c.keepalive !== null) {
    const k = c.keepalive;
    let line = `crypto isakmp keepalive ${k.intervalSec}`;
    if (k.retrySec !== 2) line += ` ${k.retrySec}`;
    if (k.mode === "periodic") line += " periodic";
    isakmp.push(line);
  }
  if (c.natKeepaliveSec !== null) isakmp.push(`crypto isakmp nat keepalive ${c.natKeepaliveSec}`);
  if (c.aggressiveModeDisabled) isakmp.push("crypto isakmp aggressive-mode disable");
  block(isakmp);

  for (const peer of [...c.isakmpPeers.values()].sort((a, b) => a.address - b.address)) {
    const lines = [`crypto isakmp peer address ${formatIpv4Address(peer.address)}`];
    if (peer.aggressivePassword !== undefined) lines.push(` set aggressive-mode password ${peer.aggressivePassword}`);
    if (peer.aggressiveClientEndpoint !== undefined)
      lines.push(
        ` set aggressive-mode client-endpoint ipv4-address ${formatIpv4Address(peer.aggressiveClientEndpoint)}`,
      );
    block(lines);
  }

  const ipsec: string[] = [];
  if (c.ipsecLifetimeSec !== DEFAULT_IPSEC_LIFETIME_SEC)
    ipsec.push(`crypto ipsec security-association lifetime seconds ${c.ipsecLifetimeSec}`);
  if (c.ipsecLifetimeKb !== DEFAULT_IPSEC_LIFETIME_KB)
    ipsec.push(`crypto ipsec security-association lifetime kilobytes ${c.ipsecLifetimeKb}`);
  if (!c.natTransparency) ipsec.push("no crypto ipsec nat-transparency udp-encapsulation");
  block(ipsec);

  const sets: string[] = [];
  for (const ts of c.transformSets.values()) {
    sets.push(`crypto ipsec transform-set ${ts.name} ${transformSetConfigWords(ts).join(" ")}`, ` mode ${ts.mode}`);
  }
  if (!c.defaultTransformSetsEnabled) sets.push("no crypto ipsec default transform-set");
  block(sets);

  for (const p of c.ipsecProfiles.values()) block([`crypto ipsec profile ${p.name}`, ...cryptoMapEntryBody(p.entry)]);

  const dynamic: string[] = [];
  for (const m of c.dynamicMaps.values()) {
    for (const e of m.entries) dynamic.push(`crypto dynamic-map ${m.name} ${e.sequence}`, ...cryptoMapEntryBody(e));
  }
  block(dynamic);

  // `crypto gdoi group` blocks (src/config/gdoi) come before the maps whose gdoi entries name them.
  for (const g of gdoiGroups) block(g);

  for (const m of c.cryptoMaps.values()) {
    if (m.tunnel !== undefined) continue; // built by tunnel protection, not configured
    const lines: string[] = [];
    if (m.localAddressInterface !== undefined)
      lines.push(`crypto map ${m.name} local-address ${m.localAddressInterface}`);
    for (const e of m.entries) {
      if (e.dynamicMap !== undefined)
        lines.push(`crypto map ${m.name} ${e.sequence} ipsec-isakmp dynamic ${e.dynamicMap}`);
      else if (e.gdoi === true) {
        lines.push(`crypto map ${m.name} ${e.sequence} gdoi`);
        if (e.gdoiGroup !== undefined) lines.push(` set group ${e.gdoiGroup}`);
        if (e.matchAddress !== undefined) lines.push(` match address ${e.matchAddress}`);
      } else lines.push(`crypto map ${m.name} ${e.sequence} ipsec-isakmp`, ...cryptoMapEntryBody(e));
    }
    const fc = m.gdoiFailClose;
    if (fc !== undefined) {
      lines.push(`crypto map ${m.name} gdoi fail-close`);
      if (fc.matchAddress !== undefined) lines.push(` match address ${fc.matchAddress}`);
      if (fc.activated) lines.push(" activate");
    }
    block(lines);
  }
  return out;
}
