/**
 * Public surface of the IOS crypto configuration CLI: the commands (config,
 * sub-modes, interfaces, show, debug), the running-config section and the
 * configuration-only show renderers. The model itself is
 * src/protocols/ipsec/crypto-config.ts.
 */

export {
  addCryptoCommands,
  type CryptoMapFrame,
  isakmpActive,
  NEW_CRYPTO_MAP_NOTE,
  refreshIsakmpState,
} from "./crypto-commands.ts";
export {
  cryptoMapEntryBody,
  DEFAULT_IPSEC_LIFETIME_KB,
  DEFAULT_IPSEC_LIFETIME_SEC,
  isakmpKeyLine,
  isakmpPolicyLines,
  renderCryptoConfig,
} from "./crypto-running-config.ts";
export * from "./crypto-text.ts";
export {
  interfacesUsingCryptoMap,
  renderShowCryptoDynamicMap,
  renderShowCryptoIpsecTransformSet,
  renderShowCryptoIsakmpDefaultPolicy,
  renderShowCryptoIsakmpKey,
  renderShowCryptoIsakmpPolicy,
  renderShowCryptoMap,
} from "./show-crypto-config.ts";
