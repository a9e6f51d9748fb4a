// A router's key chains (`key chain NAME`, `key N`, `key-string TEXT`), kept
// beside the device (keyed by it) so the router model needs no fields for
// them. Routing protocols (EIGRP's MD5 authentication) look a chain up by
// name when they send or check a packet, so an edit applies at once. Accept
// and send lifetimes are not modelled: every key with a key string is valid,
// and the lowest-numbered one is sent, as IOS does with lifetimes unset.

import type { RouterDevice } from "../router/router-device.ts";

export interface KeyChain {
  readonly name: string;
  /** Keys by number; a key without a key string is never used. */
  readonly keys: Map<number, { keyString?: string }>;
}

const chains = new WeakMap<RouterDevice, Map<string, KeyChain>>();

/** The device's key chains by name (created empty on first use). */
export function keyChains(device: RouterDevice): Map<string, KeyChain> {
  let m = chains.get(device);
  if (m === undefined) {
    m = new Map();
    chains.set(device, m);
  }
  return m;
}

const encoder = new TextEncoder();

/** The key a packet is sent with: the lowest-numbered key that has a key string. */
export function sendKey(device: RouterDevice, chain: string): { id: number; key: Uint8Array } | undefined {
  const c = keyChains(device).get(chain);
  if (c === undefined) return undefined;
  const ids = [...c.keys.keys()].sort((a, b) => a - b);
  for (const id of ids) {
    const s = c.keys.get(id)!.keyString;
    if (s !== undefined) return { id, key: encoder.encode(s) };
  }
  return undefined;
}

/** The key a received packet names, if the chain has it with a key string. */
export function keyById(device: RouterDevice, chain: string, id: number): Uint8Array | undefined {
  const s = keyChains(device).get(chain)?.keys.get(id)?.keyString;
  return s === undefined ? undefined : encoder.encode(s);
}
