// The PKI part of `show running-config`, as IOS 15 prints it ahead of the
// ISAKMP policies: trustpoints, each trustpoint's certificate chain (the DER
// as hex words, ended by `quit`), then `crypto key pubkey-chain rsa` with
// every peer key. Loading these lines back gives the same PkiConfig; the
// router's own key pairs are not configuration (IOS keeps them in private
// NVRAM), so they are not printed.

import type { PkiConfig } from "../../protocols/pki/pki-config.ts";
import { formatIpv4Address } from "../../wire/ipv4-address.ts";
import { hexWordLines } from "./pki-text.ts";

/** Running-config blocks of the PKI configuration, each closed by `!`. */
export function renderPkiConfig(pki: PkiConfig): string[] {
  const out: string[] = [];
  for (const tp of pki.trustpoints.values()) {
    out.push(`crypto pki trustpoint ${tp.name}`);
    if (tp.enrollment !== null) out.push(` enrollment ${tp.enrollment}`);
    if (tp.fqdnNone) out.push(" fqdn none");
    if (tp.subjectName !== null) out.push(` subject-name ${tp.subjectName}`);
    if (tp.ipAddress !== null) out.push(` ip-address ${formatIpv4Address(tp.ipAddress)}`);
    if (tp.revocationCheck !== null) out.push(` revocation-check ${tp.revocationCheck}`);
    if (tp.rsaKeypair !== null)
      out.push(` rsakeypair ${tp.rsaKeypair.label}${tp.rsaKeypair.bits === undefined ? "" : ` ${tp.rsaKeypair.bits}`}`);
    out.push("!");
  }
  for (const tp of pki.trustpoints.values()) {
    if (tp.chain.length === 0) continue;
    out.push(`crypto pki certificate chain ${tp.name}`);
    for (const c of tp.chain) {
      out.push(
        ` certificate ${c.kind === "router" ? "" : `${c.kind} `}${c.serialText}`,
        ...hexWordLines(c.cert.der, "  "),
        "  \tquit",
      );
    }
    out.push("!");
  }
  if (pki.pubkeyChain.length > 0) {
    out.push("crypto key pubkey-chain rsa");
    for (const e of pki.pubkeyChain) {
      out.push(` ${e.kind}-key ${e.name}${e.usage === "general" ? "" : ` ${e.usage}`}`);
      if (e.address !== null) out.push(`  address ${formatIpv4Address(e.address)}`);
      if (e.keyDer !== null) out.push("  key-string", ...hexWordLines(e.keyDer, "  "), "  quit");
    }
    out.push("!");
  }
  return out;
}
