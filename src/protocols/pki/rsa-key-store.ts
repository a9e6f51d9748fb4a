// A router's own RSA key pairs, by label, as `crypto key generate rsa` makes
// them and `show crypto key mypubkey rsa` lists them: general-purpose keys
// (one pair under the label) or usage keys (a signature pair and an
// encryption pair under the same label), exportable or not, with the virtual
// time they were generated (or imported) at. IOS keeps these in private NVRAM, not in the
// running configuration. Whatever signs with a router key (IKE rsa-sig,
// self-signed certificates, GDOI rekeys with `rekey authentication mypubkey
// rsa LABEL`) finds it here by label.

import type { TimeNs } from "../../runtime/device.ts";
import { emitSubjectPublicKeyInfo } from "../../wire/x509.ts";
import { generateRsaKey, type RandomBytes, type RsaPrivateKey } from "./rsa-keygen.ts";

/** What a key pair is for, as `show crypto key mypubkey rsa` says it. */
export type RsaKeyUsage = "general" | "signature" | "encryption";

/** One key pair. */
export interface RsaKeyPair {
  label: string;
  usage: RsaKeyUsage;
  exportable: boolean;
  generatedAt: TimeNs;
  key: RsaPrivateKey;
  /** The public key as a DER SubjectPublicKeyInfo (what IOS prints under `Key Data:`). */
  publicDer: Uint8Array;
}

/** `crypto key generate rsa` options. */
export interface RsaGenerateOptions {
  label: string;
  bits: number;
  /** general-keys (default) or usage-keys (two pairs). */
  usageKeys: boolean;
  exportable: boolean;
  now: TimeNs;
  random: RandomBytes;
}

/** The numbers of an RSA private key, as private NVRAM keeps them. */
const KEY_NUMBERS = ["n", "e", "d", "p", "q", "dp", "dq", "qi"] as const;

/** The key pairs of one router. */
export class RsaKeyStore {
  /** By label: one general pair, or a signature pair then an encryption pair. */
  private readonly byLabel = new Map<string, RsaKeyPair[]>();
  /** Pairs of one loadPrivateConfig call by label (a label's pairs are on consecutive lines). */
  private readonly restoring = new Map<string, RsaKeyPair[]>();

  /** Generates (or replaces) the pairs of a label. */
  generate(o: RsaGenerateOptions): RsaKeyPair[] {
    const usages: RsaKeyUsage[] = o.usageKeys ? ["signature", "encryption"] : ["general"];
    const pairs = usages.map((usage): RsaKeyPair => {
      const key = generateRsaKey(o.bits, o.random);
      return {
        label: o.label,
        usage,
        exportable: o.exportable,
        generatedAt: o.now,
        key,
        publicDer: emitSubjectPublicKeyInfo(key),
      };
    });
    this.byLabel.delete(o.label);
    this.byLabel.set(o.label, pairs);
    return pairs;
  }

  /**
   * Stores an existing key (`crypto key import rsa`) as the general-purpose
   * pair of a label, replacing the label's pairs, exactly as a generated one:
   * same shows, same signing, same private NVRAM.
   */
  importPair(o: { label: string; key: RsaPrivateKey; exportable: boolean; now: TimeNs }): RsaKeyPair {
    const pair: RsaKeyPair = {
      label: o.label,
      usage: "general",
      exportable: o.exportable,
      generatedAt: o.now,
      key: o.key,
      publicDer: emitSubjectPublicKeyInfo(o.key),
    };
    this.byLabel.delete(o.label);
    this.byLabel.set(o.label, [pair]);
    return pair;
  }

  /** The pairs of a label. */
  get(label: string): readonly RsaKeyPair[] | undefined {
    return this.byLabel.get(label);
  }

  /** The pair that signs for a label: the general one, else the signature one. */
  signingPair(label: string): RsaKeyPair | undefined {
    return this.byLabel.get(label)?.find((p) => p.usage !== "encryption");
  }

  /** Every pair, labels in generation order. */
  all(): RsaKeyPair[] {
    return [...this.byLabel.values()].flat();
  }

  /**
   * The pairs as private NVRAM text (one JSON line per pair, numbers in hex):
   * what a restarted router reads back with loadPrivateConfig. Never shown.
   */
  toPrivateConfig(): string {
    return this.all()
      .map((p) =>
        JSON.stringify({
          label: p.label,
          usage: p.usage,
          exportable: p.exportable,
          generatedAt: p.generatedAt,
          bits: p.key.bits,
          ...Object.fromEntries(KEY_NUMBERS.map((k) => [k, p.key[k].toString(16)])),
        }),
      )
      .join("\n");
  }

  /** Restores pairs saved by toPrivateConfig (replacing labels it names); a line that does not read back is skipped. */
  loadPrivateConfig(text: string): void {
    for (const line of text.split("\n")) {
      if (line.trim() === "") continue;
      let r: Record<string, unknown>;
      try {
        r = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue;
      }
      if (
        typeof r.label !== "string" ||
        !["general", "signature", "encryption"].includes(r.usage as string) ||
        typeof r.bits !== "number"
      )
        continue;
      if (!KEY_NUMBERS.every((k) => typeof r[k] === "string" && /^[0-9a-f]+$/.test(r[k] as string))) continue;
      const key = {
        bits: r.bits,
        ...Object.fromEntries(KEY_NUMBERS.map((k) => [k, BigInt(`0x${r[k] as string}`)])),
      } as RsaPrivateKey;
      if (key.p * key.q !== key.n || key.n.toString(2).length !== key.bits) continue; // not a key any more
      const pair: RsaKeyPair = {
        label: r.label,
        usage: r.usage as RsaKeyUsage,
        exportable: r.exportable === true,
        generatedAt: Number(r.generatedAt) || 0,
        key,
        publicDer: emitSubjectPublicKeyInfo(key),
      };
      const restored = this.restoring.get(r.label) ?? [];
      restored.push(pair);
      this.restoring.set(r.label, restored);
      this.byLabel.set(r.label, restored);
    }
    this.restoring.clear();
  }

  /** `crypto key zeroize rsa [LABEL]`: removes one label's pairs or all; returns the labels removed. */
  zeroize(label?: string): string[] {
    if (label === undefined) {
      const labels = [...this.byLabel.keys()];
      this.byLabel.clear();
      return labels;
    }
    return this.byLabel.delete(label) ? [label] : [];
  }
}
