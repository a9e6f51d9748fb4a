// Which ESP implementation new SAs use: `--crypto wasm|native|auto` on the
// scenario and console commands, carried to every Worker through the
// WANLAB_CRYPTO environment variable (Workers inherit the parent's). The
// choice changes speed only: every backend seals the same bytes for the same
// IVs, so traces stay identical.

import type { EspBackendChoice } from "./types.ts";

/** The accepted values of `--crypto`. */
export const CRYPTO_CHOICES = ["wasm", "native", "auto"] as const;
export type CryptoChoice = (typeof CRYPTO_CHOICES)[number];

/** The backend for new SAs in this process (wasm unless WANLAB_CRYPTO says otherwise). */
export function espBackendFromEnvironment(): EspBackendChoice {
  const v = process.env.WANLAB_CRYPTO;
  if (v === "native" || v === "auto" || v === "ref") return v;
  return "wasm";
}
