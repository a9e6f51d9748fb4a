/**
 * Public surface of the IOS crypto configuration CLI: the commands (config,
 * sub-modes, interfaces, show, debug), the running-config section and the
 * configuration-only show renderers. The model itself is
 * src/protocols/ipsec/crypto-config.ts.
 */

export { type CryptoMapFrame, NEW_CRYPTO_MAP_NOTE, addCryptoCommands, isakmpActive, refreshIsakmpState } from "./crypto-commands.ts";
export {
  DEFAULT_IPSEC_LIFETIME_KB,
  DEFAULT_IPSEC_LIFETIME_SEC,
  cryptoMapEntryBody,
  isakmpKeyLine,
  isakmpPolicyLines,
  renderCryptoConfig,
} from "./crypto-running-config.ts";
export {
  interfacesUsingCryptoMap,
  renderShowCryptoDynamicMap,
  renderShowCryptoIpsecTransformSet,
  renderShowCryptoIsakmpDefaultPolicy,
  renderShowCryptoIsakmpKey,
  renderShowCryptoIsakmpPolicy,
  renderShowCryptoMap,
} from "./show-crypto-config.ts";
export * from "./crypto-text.ts";
