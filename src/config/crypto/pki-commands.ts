// IOS PKI commands: `ip domain name`, `crypto key generate rsa` and `crypto
// key zeroize rsa` (the router's key pairs, from its seeded random source),
// `crypto key pubkey-chain rsa` (config-pubkey-chain, config-pubkey-key and
// the hex entry of `key-string` ... `quit` in config-pubkey), `crypto pki
// trustpoint` (ca-trustpoint), `crypto pki enroll` for `enrollment
// selfsigned` (non-interactive: IOS's questions are printed with their
// default answers), `crypto pki certificate chain` (the certificates a saved
// configuration carries back), `crypto key import|export rsa … pem terminal`
// (pki-key-import.ts), and the shows. Outputs that start with `%`
// but are not errors go through device.write, as the crypto map note does.

import {
  chainCertificateFromHex,
  newTrustpoint,
  type PkiChainCertificate,
  type PubkeyChainEntry,
  parseSubjectName,
  setPubkeyFromHex,
  type Trustpoint,
} from "../../protocols/pki/pki-config.ts";
import { selfSignedCertificate, selfSignedSubject } from "../../protocols/pki/self-signed.ts";
import { formatIpv4Address, parseIpv4Address } from "../../wire/ipv4-address.ts";
import type { Args } from "../cli/grammar.ts";
import { INVALID_INPUT } from "../cli/match.ts";
import type { CommandContext, CommandSpec, CommandTable, HandlerResult } from "../cli/modes.ts";
import { iosClockMs } from "../ios-clock.ts";
import type { RouterDevice } from "../router/router-device.ts";
import { addKeyImportCommands } from "./pki-key-import.ts";
import {
  renderShowMyPubkey,
  renderShowPkiCertificates,
  renderShowPkiTrustpoints,
  renderShowPubkeyChain,
  renderShowPubkeyChainKey,
} from "./show-crypto-pki.ts";

type Ctx = CommandContext<RouterDevice>;

/** What a hex entry mode (config-pubkey) is filling: a pubkey-chain key or a chain certificate. */
type HexTarget =
  | { readonly kind: "pubkey"; readonly entry: PubkeyChainEntry; readonly hex: string[] }
  | {
      readonly kind: "certificate";
      readonly trustpoint: string;
      readonly certKind: PkiChainCertificate["kind"];
      readonly serial: string;
      readonly hex: string[];
    };

/** IOS's default modulus when `crypto key generate rsa` is given none (the `[512]` of its question). */
export const DEFAULT_RSA_MODULUS = 512;
/** The modulus IOS uses for a trustpoint's key pair made at enrollment. */
export const ENROLL_RSA_MODULUS = 1024;

const str = (a: Args, name: string): string | undefined => (typeof a[name] === "string" ? String(a[name]) : undefined);

/** The router's FQDN (`hostname.domain`), or null without `ip domain name`. */
export function routerFqdn(device: RouterDevice): string | null {
  return device.domainName === null ? null : `${device.hostname}.${device.domainName}`;
}

function trustpointOf(ctx: Ctx): Trustpoint | undefined {
  return ctx.device.crypto.pki.trustpoints.get(String(ctx.data));
}

function onTrustpoint(fn: (tp: Trustpoint, a: Args, ctx: Ctx) => HandlerResult) {
  return (a: Args, ctx: Ctx): HandlerResult => {
    const tp = trustpointOf(ctx);
    return tp === undefined ? "% Trustpoint no longer exists" : fn(tp, a, ctx);
  };
}

/** Generates key pairs and returns IOS's lines (the question for the modulus answered with its default). */
function generateKeys(
  device: RouterDevice,
  o: { label: string; bits: number | undefined; usageKeys: boolean; exportable: boolean },
): string[] {
  const pki = device.crypto.pki;
  const lines = [`The name for the keys will be: ${o.label}`];
  if (pki.keys.get(o.label) !== undefined)
    lines.push(
      `% You already have RSA keys defined named ${o.label}.`,
      "% Do you really want to replace them? [yes/no]: yes",
    );
  let bits = o.bits;
  if (bits === undefined) {
    bits = DEFAULT_RSA_MODULUS;
    for (const kind of o.usageKeys ? ["Signature", "Encryption"] : ["General Purpose"]) {
      lines.push(
        "Choose the size of the key modulus in the range of 360 to 4096 for your",
        `  ${kind} Keys. Choosing a key modulus greater than 512 may take`,
        "  a few minutes.",
        "",
        `How many bits in the modulus [${DEFAULT_RSA_MODULUS}]: `,
      );
    }
  } else {
    lines.push(`% The key modulus size is ${bits} bits`);
  }
  const pairs = pki.keys.generate({
    label: o.label,
    bits,
    usageKeys: o.usageKeys,
    exportable: o.exportable,
    now: device.now(),
    random: (n) => device.randomBytes(n),
  });
  for (const _ of pairs)
    lines.push(`% Generating ${bits} bit RSA keys, keys will be ${o.exportable ? "" : "non-"}exportable...[OK]`);
  return lines;
}

/** Removes router certificates whose key is gone (IOS: "All router certs issued using these keys will also be removed"). */
function dropOrphanCertificates(device: RouterDevice): void {
  const pki = device.crypto.pki;
  const keys = pki.keys.all().map((p) => p.key);
  for (const tp of pki.trustpoints.values()) {
    tp.chain = tp.chain.filter(
      (c) => c.kind === "ca" || keys.some((k) => k.n === c.cert.publicKey.n && k.e === c.cert.publicKey.e),
    );
  }
}

/** `crypto pki enroll NAME` for a self-signed trustpoint. */
function enroll(device: RouterDevice, name: string): HandlerResult {
  const pki = device.crypto.pki;
  const tp = pki.trustpoints.get(name);
  if (tp === undefined) return `% Could not find trustpoint ${name}.`;
  if (tp.enrollment !== "selfsigned")
    return `% Trustpoint ${name}: only \`enrollment selfsigned\` can enroll in this lab (no CA to reach).`;
  const lines: string[] = [];
  const fqdn = routerFqdn(device) ?? device.hostname;
  const label = pki.keyLabelOf(tp, fqdn);
  let pair = pki.keys.signingPair(label);
  if (pair === undefined) {
    const bits = tp.rsaKeypair?.bits ?? ENROLL_RSA_MODULUS;
    pki.keys.generate({
      label,
      bits,
      usageKeys: false,
      exportable: false,
      now: device.now(),
      random: (n) => device.randomBytes(n),
    });
    pair = pki.keys.signingPair(label)!;
    lines.push(`% Generating ${bits} bit RSA keys, keys will be non-exportable...[OK]`);
  }
  if (tp.fqdnNone) lines.push("% The fully-qualified domain name will not be included in the certificate");
  const existing = tp.chain.find((c) => c.kind === "self-signed");
  if (existing !== undefined)
    lines.push(
      `% The router already has a Self Signed Certificate for trustpoint ${name}.`,
      "% Do you want to replace it? [yes/no]: yes",
    );
  lines.push(
    "% Include the router serial number in the subject name? [yes/no]: no",
    ...(tp.ipAddress === null ? ["% Include an IP address in the subject name? [no]: no"] : []),
    "Generate Self Signed Router Certificate? [yes/no]: yes",
    "",
  );
  const address = tp.ipAddress === null ? null : formatIpv4Address(tp.ipAddress);
  const subject = selfSignedSubject(
    tp.subjectName === null ? null : parseSubjectName(tp.subjectName),
    tp.fqdnNone ? null : fqdn,
    address,
  );
  const serial = pki.nextSelfSignedSerial++;
  const cert = selfSignedCertificate(pair, subject, BigInt(serial), iosClockMs(device.now()));
  tp.chain = [
    ...tp.chain.filter((c) => c.kind !== "self-signed"),
    { kind: "self-signed", serialText: serial.toString(16).toUpperCase().padStart(2, "0"), cert },
  ];
  lines.push("Router Self Signed Certificate successfully created");
  device.write(`${lines.join("\n")}\n`);
}

/** Ends a hex entry: the key or certificate is checked and stored; either way the mode is left. */
function finishHex(target: HexTarget, ctx: Ctx): HandlerResult {
  ctx.session.exitMode();
  const text = target.hex.join(" ");
  if (target.kind === "pubkey") {
    const error = setPubkeyFromHex(target.entry, text);
    return error === null ? undefined : `% Invalid public key (${error})`;
  }
  const tp = ctx.device.crypto.pki.trustpoints.get(target.trustpoint);
  if (tp === undefined) return "% Trustpoint no longer exists";
  const c = chainCertificateFromHex(target.certKind, target.serial, text);
  if (typeof c === "string") return `% Invalid certificate (${c})`;
  tp.chain = [...tp.chain.filter((x) => x.serialText.toLowerCase() !== target.serial.toLowerCase()), c];
  const pki = ctx.device.crypto.pki;
  if (c.kind === "self-signed" && c.cert.serial >= BigInt(pki.nextSelfSignedSerial))
    pki.nextSelfSignedSerial = Number(c.cert.serial) + 1;
}

// ---- global config -------------------------------------------------------------------

const globalSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "ip domain name WORD:domain",
    no: "ip domain name [WORD:domain]",
    handler: (a, ctx) => void (ctx.device.domainName = ctx.negated ? null : String(a.domain)),
  },
  {
    syntax: "ip domain-name WORD:domain",
    no: "ip domain-name [WORD:domain]",
    handler: (a, ctx) => void (ctx.device.domainName = ctx.negated ? null : String(a.domain)),
  },
  {
    syntax: "crypto key generate rsa [general-keys | usage-keys]:kind [label WORD] [modulus <360-4096>] [exportable]",
    handler: (a, ctx) => {
      const device = ctx.device;
      let label = str(a, "label");
      if (label === undefined) {
        if (device.hostname === "Router") return "% Please define a hostname other than Router.";
        label = routerFqdn(device) ?? undefined;
        if (label === undefined) return "% Please define a domain-name first.";
      }
      const bits = typeof a.modulus === "number" ? a.modulus : undefined;
      return generateKeys(device, {
        label,
        bits,
        usageKeys: a.kind === "usage-keys",
        exportable: a.exportable === true,
      }).join("\n");
    },
  },
  {
    syntax: "crypto key zeroize rsa [WORD:label]",
    handler: (a, ctx) => {
      const pki = ctx.device.crypto.pki;
      const label = str(a, "label");
      if (label !== undefined && pki.keys.get(label) === undefined) return `% No RSA keys named ${label} found.`;
      const head = label === undefined ? "% All keys will be removed." : `% Keys to be removed are named '${label}'.`;
      pki.keys.zeroize(label);
      dropOrphanCertificates(ctx.device);
      ctx.device.write(
        `${head}\n% All router certs issued using these keys will also be removed.\nDo you really want to remove these keys? [yes/no]: yes\n`,
      );
    },
  },
  { syntax: "crypto key pubkey-chain rsa", handler: (_a, ctx) => ctx.enter("config-pubkey-chain") },
  {
    syntax: "crypto pki trustpoint WORD:name",
    no: true,
    handler: (a, ctx) => {
      const pki = ctx.device.crypto.pki;
      const name = String(a.name);
      if (ctx.negated) {
        pki.trustpoints.delete(name);
        return;
      }
      if (!pki.trustpoints.has(name)) pki.trustpoints.set(name, newTrustpoint(name));
      ctx.enter("ca-trustpoint", name);
    },
  },
  { syntax: "crypto pki enroll WORD:name", handler: (a, ctx) => enroll(ctx.device, String(a.name)) },
  {
    syntax: "crypto pki certificate chain WORD:name",
    no: true,
    handler: (a, ctx) => {
      const tp = ctx.device.crypto.pki.trustpoints.get(String(a.name));
      if (tp === undefined) return "% CA trustpoint for cert chain not known";
      if (ctx.negated) {
        tp.chain = [];
        return;
      }
      ctx.enter("config-cert-chain", tp.name);
    },
  },
];

// ---- config-pubkey-chain and config-pubkey-key ------------------------------------

function pubkeyEntrySpec(kind: PubkeyChainEntry["kind"]): CommandSpec<RouterDevice> {
  const what = kind === "addressed" ? "A.B.C.D:name" : "WORD:name";
  return {
    syntax: `${kind}-key ${what} [encryption | signature]:usage`,
    no: `${kind}-key ${what} [encryption | signature]:usage`,
    handler: (a, ctx) => {
      const pki = ctx.device.crypto.pki;
      const name = String(a.name);
      const usage = a.usage === "encryption" || a.usage === "signature" ? a.usage : "general";
      const i = pki.pubkeyChain.findIndex(
        (e) => e.kind === kind && e.name.toLowerCase() === name.toLowerCase() && e.usage === usage,
      );
      if (ctx.negated) {
        if (i >= 0) pki.pubkeyChain.splice(i, 1);
        return;
      }
      let entry = pki.pubkeyChain[i];
      if (entry === undefined) {
        entry = {
          kind,
          name,
          usage,
          address: kind === "addressed" ? parseIpv4Address(name) : null,
          keyDer: null,
          key: null,
        };
        pki.pubkeyChain.push(entry);
      }
      ctx.enter("config-pubkey-key", entry);
    },
  };
}

const pubkeyKeySpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "address A.B.C.D:address",
    no: "address [A.B.C.D:address]",
    handler: (a, ctx) => {
      const entry = ctx.data as PubkeyChainEntry;
      entry.address = ctx.negated
        ? entry.kind === "addressed"
          ? parseIpv4Address(entry.name)
          : null
        : parseIpv4Address(String(a.address));
    },
  },
  {
    syntax: "key-string",
    handler: (_a, ctx) => {
      ctx.enter("config-pubkey", { kind: "pubkey", entry: ctx.data as PubkeyChainEntry, hex: [] } satisfies HexTarget);
      return "Enter a public key as a hexidecimal number ....\n";
    },
  },
];

// ---- hex entry (config-pubkey) ------------------------------------------------------------

const hexSpecs: CommandSpec<RouterDevice>[] = [
  { syntax: "quit", handler: (_a, ctx) => finishHex(ctx.data as HexTarget, ctx) },
  {
    syntax: "LINE:hex",
    handler: (a, ctx) => {
      const text = String(a.hex);
      const bad = /[^0-9A-Fa-f\s]/.exec(ctx.line);
      if (bad !== null) return { error: { kind: "invalid", column: bad.index, message: INVALID_INPUT } };
      (ctx.data as HexTarget).hex.push(text);
    },
  },
];

// ---- ca-trustpoint -----------------------------------------------------------------------

const trustpointSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "enrollment {selfsigned | terminal}:method",
    no: "enrollment [selfsigned | terminal]",
    handler: onTrustpoint(
      (tp, a, ctx) => void (tp.enrollment = ctx.negated ? null : a.method === "terminal" ? "terminal" : "selfsigned"),
    ),
  },
  {
    syntax: "subject-name LINE:name",
    no: "subject-name [LINE]",
    handler: onTrustpoint((tp, a, ctx) => {
      if (ctx.negated) {
        tp.subjectName = null;
        return;
      }
      const text = String(a.name).trim();
      if (parseSubjectName(text) === null)
        return `% ${text} is not a valid subject name\nThe subject name must be in X.500 (LDAP) format`;
      tp.subjectName = text;
    }),
  },
  {
    syntax: "rsakeypair WORD:label [<360-4096>:bits]",
    no: "rsakeypair [WORD] [<360-4096>]",
    handler: onTrustpoint((tp, a, ctx) => {
      tp.rsaKeypair = ctx.negated
        ? null
        : { label: String(a.label), ...(typeof a.bits === "number" ? { bits: a.bits } : {}) };
    }),
  },
  {
    syntax: "revocation-check {none | crl}:check",
    no: "revocation-check [none | crl]",
    handler: onTrustpoint(
      (tp, a, ctx) => void (tp.revocationCheck = ctx.negated ? null : a.check === "crl" ? "crl" : "none"),
    ),
  },
  { syntax: "fqdn none", no: true, handler: onTrustpoint((tp, _a, ctx) => void (tp.fqdnNone = !ctx.negated)) },
  {
    syntax: "ip-address A.B.C.D:address",
    no: "ip-address [A.B.C.D:address]",
    handler: onTrustpoint(
      (tp, a, ctx) => void (tp.ipAddress = ctx.negated ? null : parseIpv4Address(String(a.address))),
    ),
  },
];

// ---- config-cert-chain -------------------------------------------------------------------

const certChainSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "certificate [self-signed | ca]:kind WORD:serial",
    no: "certificate [self-signed | ca]:kind WORD:serial",
    handler: (a, ctx) => {
      const tp = trustpointOf(ctx);
      if (tp === undefined) return "% Trustpoint no longer exists";
      const serial = String(a.serial);
      if (ctx.negated) {
        tp.chain = tp.chain.filter((c) => c.serialText.toLowerCase() !== serial.toLowerCase());
        return;
      }
      const certKind = a.kind === "self-signed" ? "self-signed" : a.kind === "ca" ? "ca" : "router";
      ctx.enter("config-cert-hex", {
        kind: "certificate",
        trustpoint: tp.name,
        certKind,
        serial,
        hex: [],
      } satisfies HexTarget);
    },
  },
];

// ---- exec ----------------------------------------------------------------------------------

const execSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "show crypto key mypubkey rsa [WORD:label]",
    handler: (a, ctx) => renderShowMyPubkey(ctx.device.crypto.pki, str(a, "label")),
  },
  {
    syntax: "show crypto key pubkey-chain rsa [address A.B.C.D:address | name WORD:name]",
    handler: (a, ctx) => {
      const pki = ctx.device.crypto.pki;
      const address = str(a, "address");
      const name = str(a, "name");
      if (address === undefined && name === undefined) return renderShowPubkeyChain(pki);
      return renderShowPubkeyChainKey(
        pki,
        address !== undefined ? { address: parseIpv4Address(address)! } : { name: name! },
      );
    },
  },
  {
    syntax: "show crypto pki certificates [WORD:name]",
    handler: (a, ctx) => renderShowPkiCertificates(ctx.device.crypto.pki, str(a, "name")),
  },
  {
    syntax: "show crypto pki trustpoints [WORD:name]",
    handler: (a, ctx) => renderShowPkiTrustpoints(ctx.device.crypto.pki, str(a, "name")),
  },
];

/** Defines the PKI sub-modes and registers the PKI commands on the router table. */
export function addPkiCommands(table: CommandTable<RouterDevice>): void {
  table.defineMode("config-pubkey-chain");
  table.defineMode("config-pubkey-key", { parent: "config-pubkey-chain" });
  table.defineMode("config-pubkey", { parent: "config-pubkey-key" });
  table.defineMode("ca-trustpoint");
  table.defineMode("config-cert-chain");
  table.defineMode("config-cert-hex", { parent: "config-cert-chain", prompt: "config-pubkey" });
  table.add("config", ...globalSpecs);
  table.add("config-pubkey-chain", pubkeyEntrySpec("addressed"), pubkeyEntrySpec("named"));
  table.add("config-pubkey-key", ...pubkeyKeySpecs);
  table.add("config-pubkey", ...hexSpecs);
  table.add("config-cert-hex", ...hexSpecs);
  table.add("ca-trustpoint", ...trustpointSpecs);
  table.add("config-cert-chain", ...certChainSpecs);
  table.add("exec", ...execSpecs);
  addKeyImportCommands(table);
}
