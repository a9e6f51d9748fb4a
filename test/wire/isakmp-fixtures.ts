// ISAKMP messages assembled byte by byte from the field layouts of RFC 2408,
// RFC 2409 Appendix A and RFC 2407, in the shape IOS sends them (attribute
// order of `debug crypto isakmp`, Life Duration 86400 as a 4-byte variable
// attribute). test/wire/isakmp-tshark.test.ts has Wireshark decode them, so
// the bytes are checked by a second implementation, not only by ours.

import {
  AUTH_ALG,
  DOI_IPSEC,
  ENCAPSULATION,
  ESP_TRANSFORM,
  ID_TYPE,
  IKE_ATTR,
  IKE_AUTH,
  IKE_ENCR,
  IKE_HASH,
  IPSEC_ATTR,
  type IsakmpPayloadInput,
  KEY_IKE,
  LIFE_TYPE,
  PROTO,
  SIT_IDENTITY_ONLY,
  VID_DPD,
  VID_NAT_T_RFC3947,
} from "../../src/wire/index.ts";
import { hex } from "./fixtures.ts";

export const I_COOKIE = hex("5f0ac3e1b2d49a07");
export const R_COOKIE = hex("c4d1e2f30a1b2c3d");

/**
 * Main mode message 1 from 10.0.0.1: one ISAKMP proposal of two transforms,
 * `crypto isakmp policy 10` (AES-256, SHA, pre-share, group 5) and
 * `policy 20` (3DES, MD5, pre-share, group 2), then the RFC 3947 NAT-T and
 * DPD vendor IDs; 164 bytes.
 */
export const MM1 = hex(`
  5f0ac3e1b2d49a07 0000000000000000 01 10 02 00 00000000 000000a4
  0d 00 0060  00000001 00000001
    00 00 0054  01 01 00 02
      03 00 0028  01 01 0000
        8001 0007  800e 0100  8002 0002  8003 0001  8004 0005  800b 0001  000c 0004 00015180
      00 00 0024  02 01 0000
        8001 0005  8002 0001  8003 0001  8004 0002  800b 0001  000c 0004 00015180
  0d 00 0014  4a131c81070358455c5728f20e95452f
  00 00 0014  afcad71368a1f1c96b8696fc77570100
`);

/** Offset and length of the SA payload's body in MM1 (SAi_b, what HASH_I covers). */
export const MM1_SA_BODY = [32, 32 + 92] as const;

/** The payloads of MM1. */
export const MM1_PAYLOADS: IsakmpPayloadInput[] = [
  {
    type: "sa",
    doi: DOI_IPSEC,
    situation: SIT_IDENTITY_ONLY,
    proposals: [
      {
        number: 1,
        protocolId: PROTO.ISAKMP,
        spi: new Uint8Array(0),
        transforms: [
          {
            number: 1,
            transformId: KEY_IKE,
            attributes: [
              { type: IKE_ATTR.ENCRYPTION, value: IKE_ENCR.AES },
              { type: IKE_ATTR.KEY_LENGTH, value: 256 },
              { type: IKE_ATTR.HASH, value: IKE_HASH.SHA },
              { type: IKE_ATTR.AUTH_METHOD, value: IKE_AUTH.PRE_SHARED },
              { type: IKE_ATTR.GROUP, value: 5 },
              { type: IKE_ATTR.LIFE_TYPE, value: LIFE_TYPE.SECONDS },
              { type: IKE_ATTR.LIFE_DURATION, value: 86400 },
            ],
          },
          {
            number: 2,
            transformId: KEY_IKE,
            attributes: [
              { type: IKE_ATTR.ENCRYPTION, value: IKE_ENCR.TRIPLE_DES },
              { type: IKE_ATTR.HASH, value: IKE_HASH.MD5 },
              { type: IKE_ATTR.AUTH_METHOD, value: IKE_AUTH.PRE_SHARED },
              { type: IKE_ATTR.GROUP, value: 2 },
              { type: IKE_ATTR.LIFE_TYPE, value: LIFE_TYPE.SECONDS },
              { type: IKE_ATTR.LIFE_DURATION, value: 86400 },
            ],
          },
        ],
      },
    ],
  },
  { type: "vendorId", data: VID_NAT_T_RFC3947 },
  { type: "vendorId", data: VID_DPD },
];

/** Quick mode message 1 payloads (sent in the clear here so tools can read them): HASH(1), SA, Ni, IDci, IDcr. */
export function quickMode1(spi: Uint8Array, nonce: Uint8Array, hash: Uint8Array): IsakmpPayloadInput[] {
  return [
    { type: "hash", data: hash },
    {
      type: "sa",
      doi: DOI_IPSEC,
      situation: SIT_IDENTITY_ONLY,
      proposals: [
        {
          number: 1,
          protocolId: PROTO.IPSEC_ESP,
          spi,
          transforms: [
            {
              number: 1,
              transformId: ESP_TRANSFORM.AES,
              attributes: [
                { type: IPSEC_ATTR.LIFE_TYPE, value: LIFE_TYPE.SECONDS },
                { type: IPSEC_ATTR.LIFE_DURATION, value: 3600 },
                { type: IPSEC_ATTR.LIFE_TYPE, value: LIFE_TYPE.KILOBYTES },
                { type: IPSEC_ATTR.LIFE_DURATION, value: 4608000 },
                { type: IPSEC_ATTR.ENCAPSULATION, value: ENCAPSULATION.TUNNEL },
                { type: IPSEC_ATTR.AUTH_ALGORITHM, value: AUTH_ALG.HMAC_SHA },
                { type: IPSEC_ATTR.KEY_LENGTH, value: 256 },
              ],
            },
          ],
        },
      ],
    },
    { type: "nonce", data: nonce },
    { type: "id", idType: ID_TYPE.IPV4_ADDR_SUBNET, protocolId: 0, port: 0, data: hex("0a010100 ffffff00") },
    { type: "id", idType: ID_TYPE.IPV4_ADDR_SUBNET, protocolId: 0, port: 0, data: hex("0a020200 ffffff00") },
  ];
}
