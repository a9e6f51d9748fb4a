// IOS key chains: `key chain NAME` (config-keychain), `key N`
// (config-keychain-key), `key-string TEXT`, their no forms, the
// running-config block and `show key chain [NAME]`. Lifetimes are not
// modelled (`accept-lifetime`/`send-lifetime` are refused with the caret):
// every key is valid at all times, which is what IOS does without them.

import { describeCommands } from "../cli/help.ts";
import type { CommandSpec, CommandTable } from "../cli/modes.ts";
import type { RouterDevice } from "../router/router-device.ts";
import { keyChains } from "./key-chain-store.ts";

export const KEY_CHAIN_MODE = "config-keychain";
export const KEY_MODE = "config-keychain-key";

interface KeyFrame {
  chain: string;
  id: number;
}

const globalSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "key chain WORD:name",
    no: true,
    handler: (a, ctx) => {
      const name = String(a.name);
      const chains = keyChains(ctx.device);
      if (ctx.negated) {
        chains.delete(name);
        return;
      }
      if (!chains.has(name)) chains.set(name, { name, keys: new Map() });
      ctx.enter(KEY_CHAIN_MODE, { chain: name });
    },
  },
];

const chainSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "key <0-2147483647>:id",
    no: true,
    handler: (a, ctx) => {
      const chain = keyChains(ctx.device).get((ctx.data as { chain: string }).chain);
      if (chain === undefined) return "% Key chain no longer exists";
      const id = Number(a.id);
      if (ctx.negated) {
        chain.keys.delete(id);
        return;
      }
      if (!chain.keys.has(id)) chain.keys.set(id, {});
      ctx.enter(KEY_MODE, { chain: chain.name, id } satisfies KeyFrame);
    },
  },
];

const keySpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "key-string LINE:text",
    no: "key-string [LINE]",
    handler: (a, ctx) => {
      const f = ctx.data as KeyFrame;
      const key = keyChains(ctx.device).get(f.chain)?.keys.get(f.id);
      if (key === undefined) return "% Key no longer exists";
      if (ctx.negated) delete key.keyString;
      else key.keyString = String(a.text);
    },
  },
];

/** `show key chain [NAME]`. */
function renderShowKeyChain(device: RouterDevice, name?: string): string {
  const out: string[] = [];
  for (const c of keyChains(device).values()) {
    if (name !== undefined && c.name !== name) continue;
    out.push(`Key-chain ${c.name}:`);
    for (const [id, k] of [...c.keys].sort((a, b) => a[0] - b[0])) {
      out.push(`    key ${id} -- text "${k.keyString ?? ""}"`);
      out.push("        accept lifetime (always valid) - (always valid) [valid now]");
      out.push("        send lifetime (always valid) - (always valid) [valid now]");
    }
  }
  return out.length === 0 ? "" : `${out.join("\n")}\n`;
}

/** The running-config block of the key chains, each ended by `!`. */
export function keyChainRunningLines(device: RouterDevice): string[] {
  const out: string[] = [];
  for (const c of keyChains(device).values()) {
    out.push(`key chain ${c.name}`);
    for (const [id, k] of [...c.keys].sort((a, b) => a[0] - b[0])) {
      out.push(` key ${id}`);
      if (k.keyString !== undefined) out.push(`  key-string ${k.keyString}`);
    }
    out.push("!");
  }
  return out;
}

const execSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "show key chain [WORD:name]",
    handler: (a, ctx) => renderShowKeyChain(ctx.device, a.name === undefined ? undefined : String(a.name)),
  },
];

/** Registers the key chain commands on the router table. */
export function addKeyChainCommands(table: CommandTable<RouterDevice>): void {
  table.defineMode(KEY_CHAIN_MODE);
  table.defineMode(KEY_MODE, { parent: KEY_CHAIN_MODE });
  table.add("config", ...globalSpecs);
  table.add(KEY_CHAIN_MODE, ...chainSpecs);
  table.add(KEY_MODE, ...keySpecs);
  table.add("exec", ...execSpecs);
  describeCommands(table, "config", {
    key: "Key management",
    "key chain": "Key-chain management",
    "key chain <name>": "Key-chain name",
  });
  describeCommands(table, KEY_CHAIN_MODE, { key: "Configure a key", "key <id>": "Key identifier" });
  describeCommands(table, KEY_MODE, {
    "key-string": "Set key string",
    "key-string <text>": "The key",
    "key-string <key-string>": "The key",
  });
  describeCommands(table, "exec", {
    "show key": "Key information",
    "show key chain": "Keychain information",
    "show key chain <name>": "Keychain name",
  });
}
