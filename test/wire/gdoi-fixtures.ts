// A GDOI registration's key-server answer as seed 003's KS1 sends it: the
// group policy (SA with an SA KEK for unicast rekeys signed with RSA and
// encrypted with AES-128, and one SA TEK for ESP AES-128/HMAC-SHA1 in tunnel
// mode with address preservation, any to any) and the KD with the TEK and
// KEK keys. Shared by the wire tests and the tshark check.

import {
  ADDRESS_PRESERVATION,
  AUTH_ALG,
  ENCAPSULATION,
  ESP_TRANSFORM,
  GDOI_IPSEC_ATTR,
  GDOI_TEK_PROTO,
  type GdoiPayloadInput,
  ID_TYPE,
  IPSEC_ATTR,
  KD_TYPE,
  KEK_ALG,
  KEK_ATTR,
  KEK_KEY_ATTR,
  LIFE_TYPE,
  SA_DIRECTION,
  SIG_ALG,
  SIG_HASH,
  TEK_KEY_ATTR,
} from "../../src/wire/index.ts";

export const fill = (n: number, v: number): Uint8Array => new Uint8Array(n).fill(v);
const ANY: { idType: number; port: number; data: Uint8Array } = {
  idType: ID_TYPE.IPV4_ADDR_SUBNET,
  port: 0,
  data: fill(8, 0),
};

export const KEK_SPI = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);
export const TEK_SPI = Uint8Array.of(0x6b, 0xaf, 0xd3, 0xab);

/** SA payload of GROUPKEY-PULL message 2. */
export const POLICY: GdoiPayloadInput = {
  type: "gdoiSa",
  situation: 0,
  kek: {
    protocol: 17,
    src: { idType: ID_TYPE.IPV4_ADDR, port: 848, data: Uint8Array.of(192, 168, 111, 111) },
    dst: { idType: ID_TYPE.IPV4_ADDR, port: 848, data: Uint8Array.of(0, 0, 0, 0) },
    spi: KEK_SPI,
    attributes: [
      { type: KEK_ATTR.MANAGEMENT_ALGORITHM, value: 1 },
      { type: KEK_ATTR.ALGORITHM, value: KEK_ALG.AES },
      { type: KEK_ATTR.KEY_LENGTH, value: 128 },
      { type: KEK_ATTR.KEY_LIFETIME, value: 86400 },
      { type: KEK_ATTR.SIG_HASH_ALGORITHM, value: SIG_HASH.SHA1 },
      { type: KEK_ATTR.SIG_ALGORITHM, value: SIG_ALG.RSA },
      { type: KEK_ATTR.SIG_KEY_LENGTH, value: 1024 },
    ],
  },
  teks: [
    {
      protocolId: GDOI_TEK_PROTO.IPSEC_ESP,
      protocol: 0,
      src: ANY,
      dst: ANY,
      transformId: ESP_TRANSFORM.AES,
      spi: TEK_SPI,
      attributes: [
        { type: IPSEC_ATTR.LIFE_TYPE, value: LIFE_TYPE.SECONDS },
        { type: IPSEC_ATTR.LIFE_DURATION, value: 3600 },
        { type: IPSEC_ATTR.ENCAPSULATION, value: ENCAPSULATION.TUNNEL },
        { type: IPSEC_ATTR.AUTH_ALGORITHM, value: AUTH_ALG.HMAC_SHA },
        { type: IPSEC_ATTR.KEY_LENGTH, value: 128 },
        { type: GDOI_IPSEC_ATTR.ADDRESS_PRESERVATION, value: ADDRESS_PRESERVATION.SOURCE_AND_DESTINATION },
        { type: GDOI_IPSEC_ATTR.SA_DIRECTION, value: SA_DIRECTION.SYMMETRIC },
      ],
    },
  ],
  gap: null,
};

/** KD payload of GROUPKEY-PULL message 4: the TEK's cipher and integrity keys, the KEK's key. */
export const KEYS: GdoiPayloadInput = {
  type: "kd",
  packets: [
    {
      kdType: KD_TYPE.TEK,
      spi: TEK_SPI,
      attributes: [
        { type: TEK_KEY_ATTR.ALGORITHM_KEY, value: fill(16, 0x11) },
        { type: TEK_KEY_ATTR.INTEGRITY_KEY, value: fill(20, 0x22) },
      ],
    },
    { kdType: KD_TYPE.KEK, spi: KEK_SPI, attributes: [{ type: KEK_KEY_ATTR.ALGORITHM_KEY, value: fill(16, 0x33) }] },
  ],
};
