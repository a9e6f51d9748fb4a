// How IOS 15 spells crypto choices: the keywords of the configuration
// (`encr aes 192`, `esp-aes 192`, `group 5`) and the words of the show
// commands (`AES - Advanced Encryption Standard (192 bit keys).`,
// `esp-192-aes`, `#5 (1536 bit)`). Shared by the commands, the running
// config and the show renderers so the three never disagree.

import type {
  EspEncryptionTransform,
  IsakmpAuthentication,
  IsakmpEncryption,
  IsakmpGroup,
  IsakmpHash,
  TransformSet,
} from "../../protocols/ipsec/crypto-config.ts";

/** `encr` argument of a policy as the running config prints it (`aes 192`). */
export function isakmpEncryptionConfig(e: IsakmpEncryption): string {
  switch (e) {
    case "des":
      return "des";
    case "3des":
      return "3des";
    case "aes-128":
      return "aes";
    case "aes-192":
      return "aes 192";
    case "aes-256":
      return "aes 256";
  }
}

/** The model value of `encryption des|3des|aes [128|192|256]`. */
export function isakmpEncryptionFromArgs(cipher: string, keySize: string | undefined): IsakmpEncryption {
  if (cipher === "aes") return keySize === "192" ? "aes-192" : keySize === "256" ? "aes-256" : "aes-128";
  return cipher === "3des" ? "3des" : "des";
}

/** `encryption algorithm:` text of `show crypto isakmp policy`. */
export function isakmpEncryptionShow(e: IsakmpEncryption): string {
  switch (e) {
    case "des":
      return "DES - Data Encryption Standard (56 bit keys).";
    case "3des":
      return "Three key triple DES";
    case "aes-128":
      return "AES - Advanced Encryption Standard (128 bit keys).";
    case "aes-192":
      return "AES - Advanced Encryption Standard (192 bit keys).";
    case "aes-256":
      return "AES - Advanced Encryption Standard (256 bit keys).";
  }
}

/** `hash algorithm:` text of `show crypto isakmp policy`. */
export function isakmpHashShow(h: IsakmpHash): string {
  switch (h) {
    case "md5":
      return "Message Digest 5";
    case "sha":
      return "Secure Hash Standard";
    case "sha256":
      return "Secure Hash Standard 2 (256 bit)";
    case "sha384":
      return "Secure Hash Standard 2 (384 bit)";
    case "sha512":
      return "Secure Hash Standard 2 (512 bit)";
  }
}

/** `authentication method:` text of `show crypto isakmp policy`. */
export function isakmpAuthenticationShow(a: IsakmpAuthentication): string {
  return a === "pre-share" ? "Pre-Shared Key" : "Rivest-Shamir-Adleman Signature";
}

const GROUP_BITS: Readonly<Record<IsakmpGroup, number>> = { 1: 768, 2: 1024, 5: 1536, 14: 2048, 15: 3072, 16: 4096 };

/** `Diffie-Hellman group:` text (`#5 (1536 bit)`). */
export function isakmpGroupShow(g: IsakmpGroup): string {
  return `#${g} (${GROUP_BITS[g]} bit)`;
}

/** The DH groups `group` and `set pfs` accept. */
export const ISAKMP_GROUPS: readonly IsakmpGroup[] = [1, 2, 5, 14, 15, 16];

/** ESP encryption as the configuration spells it (`esp-aes 192`). */
export function espEncryptionConfig(e: EspEncryptionTransform): string {
  switch (e) {
    case "esp-aes-192":
      return "esp-aes 192";
    case "esp-aes-256":
      return "esp-aes 256";
    default:
      return e;
  }
}

/** The model value of `esp-des|esp-3des|esp-aes [128|192|256]|esp-null`. */
export function espEncryptionFromArgs(cipher: string, keySize: string | undefined): EspEncryptionTransform {
  if (cipher === "esp-aes") return keySize === "192" ? "esp-aes-192" : keySize === "256" ? "esp-aes-256" : "esp-aes";
  return cipher as EspEncryptionTransform;
}

/** ESP encryption as the show commands spell it (`esp-192-aes`). */
export function espEncryptionShow(e: EspEncryptionTransform): string {
  switch (e) {
    case "esp-aes-192":
      return "esp-192-aes";
    case "esp-aes-256":
      return "esp-256-aes";
    default:
      return e;
  }
}

/** Transforms of a set in running-config order: AH, ESP encryption, ESP integrity. */
export function transformSetConfigWords(ts: TransformSet): string[] {
  const words: string[] = [];
  if (ts.ah !== undefined) words.push(ts.ah);
  if (ts.espEncryption !== undefined) words.push(espEncryptionConfig(ts.espEncryption));
  if (ts.espIntegrity !== undefined) words.push(ts.espIntegrity);
  return words;
}

/** The `{ ... }` groups of a set as the show commands print them, one per protocol (AH, then ESP). */
export function transformSetShowGroups(ts: TransformSet): string[] {
  const groups: string[] = [];
  if (ts.ah !== undefined) groups.push(`{ ${ts.ah}  }`);
  const esp: string[] = [];
  if (ts.espEncryption !== undefined) esp.push(espEncryptionShow(ts.espEncryption));
  if (ts.espIntegrity !== undefined) esp.push(ts.espIntegrity);
  if (esp.length > 0) groups.push(`{ ${esp.join(" ")}  }`);
  return groups;
}
