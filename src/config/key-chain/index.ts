// Public surface of the key chains: commands, running-config block and the
// lookups routing protocols use.

export { addKeyChainCommands, keyChainRunningLines } from "./key-chain-commands.ts";
export { keyById, sendKey } from "./key-chain-store.ts";
