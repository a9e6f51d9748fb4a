// Known-answer vectors for the CBC ciphers, with their published source. Every
// vector here was also checked against node:crypto (test/fastpath/crypto/vectors.test.ts
// re-checks them each run). Single-block ECB answers are expressed as CBC with a
// zero IV (C = E(K, P xor 0)).

/** One CBC known answer; hex strings, key length selects the algorithm. */
export interface CbcVector {
  source: string;
  key: string;
  iv: string;
  plaintext: string;
  ciphertext: string;
}

const ZERO16 = "00000000000000000000000000000000";
const ZERO8 = "0000000000000000";
const SP800_38A_PT =
  "6bc1bee22e409f96e93d7e117393172a" +
  "ae2d8a571e03ac9c9eb76fac45af8e51" +
  "30c81c46a35ce411e5fbc1191a0a52ef" +
  "f69f2445df4f9b17ad2b417be66c3710";

/** AES: FIPS-197 Appendix C (C.1-C.3) and SP 800-38A Appendix F.2.1/F.2.3/F.2.5. */
export const AES_CBC_VECTORS: CbcVector[] = [
  {
    source: "FIPS-197 Appendix C.1 (AES-128)",
    key: "000102030405060708090a0b0c0d0e0f",
    iv: ZERO16,
    plaintext: "00112233445566778899aabbccddeeff",
    ciphertext: "69c4e0d86a7b0430d8cdb78070b4c55a",
  },
  {
    source: "FIPS-197 Appendix C.2 (AES-192)",
    key: "000102030405060708090a0b0c0d0e0f1011121314151617",
    iv: ZERO16,
    plaintext: "00112233445566778899aabbccddeeff",
    ciphertext: "dda97ca4864cdfe06eaf70a0ec0d7191",
  },
  {
    source: "FIPS-197 Appendix C.3 (AES-256)",
    key: "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
    iv: ZERO16,
    plaintext: "00112233445566778899aabbccddeeff",
    ciphertext: "8ea2b7ca516745bfeafc49904b496089",
  },
  {
    source: "SP 800-38A F.2.1 CBC-AES128.Encrypt",
    key: "2b7e151628aed2a6abf7158809cf4f3c",
    iv: "000102030405060708090a0b0c0d0e0f",
    plaintext: SP800_38A_PT,
    ciphertext:
      "7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b273bed6b8e3c1743b7116e69e222295163ff1caa1681fac09120eca307586e1a7",
  },
  {
    source: "SP 800-38A F.2.3 CBC-AES192.Encrypt",
    key: "8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b",
    iv: "000102030405060708090a0b0c0d0e0f",
    plaintext: SP800_38A_PT,
    ciphertext:
      "4f021db243bc633d7178183a9fa071e8b4d9ada9ad7dedf4e5e738763f69145a571b242012fb7ae07fa9baac3df102e008b0e27988598881d920a9e64f5615cd",
  },
  {
    source: "SP 800-38A F.2.5 CBC-AES256.Encrypt",
    key: "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
    iv: "000102030405060708090a0b0c0d0e0f",
    plaintext: SP800_38A_PT,
    ciphertext:
      "f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d39f23369a9d9bacfa530e26304231461b2eb05e2c39be9fcda6c19078c6a9d1b",
  },
];

/** DES and TDEA: FIPS 81 / SP 800-20 known answers and the SP 800-67 Rev 1 Appendix B example. */
export const DES_CBC_VECTORS: CbcVector[] = [
  {
    source: "FIPS 81 Appendix B, 'Now is t' (DES ECB)",
    key: "0123456789abcdef",
    iv: ZERO8,
    plaintext: "4e6f772069732074",
    ciphertext: "3fa40e8a984d4815",
  },
  {
    source: "SP 800-20 Table A.1 variable plaintext, round 1 (DES)",
    key: "0101010101010101",
    iv: ZERO8,
    plaintext: "8000000000000000",
    ciphertext: "95f8a5e5dd31d900",
  },
  {
    source: "SP 800-20 Table A.1 variable plaintext, round 2 (DES)",
    key: "0101010101010101",
    iv: ZERO8,
    plaintext: "4000000000000000",
    ciphertext: "dd7f121ca5015619",
  },
  {
    source: "SP 800-20 Table A.1 variable plaintext, round 3 (DES)",
    key: "0101010101010101",
    iv: ZERO8,
    plaintext: "2000000000000000",
    ciphertext: "2e8653104f3834ea",
  },
  {
    source: "SP 800-20 Table A.2 variable key, round 1 (DES)",
    key: "8001010101010101",
    iv: ZERO8,
    plaintext: "0000000000000000",
    ciphertext: "95a8d72813daa94d",
  },
  {
    source: "SP 800-20 Table A.2 variable key, round 2 (DES)",
    key: "4001010101010101",
    iv: ZERO8,
    plaintext: "0000000000000000",
    ciphertext: "0eec1487dd8c26d5",
  },
];

/** SP 800-67 Rev 1 Appendix B example, three blocks of TDEA ECB (each block checked with a zero IV). */
export const TDEA_ECB_EXAMPLE = {
  source: "SP 800-67 Rev 1 Appendix B (TDEA ECB, keying option 1)",
  key: "0123456789abcdef" + "23456789abcdef01" + "456789abcdef0123",
  blocks: [
    { plaintext: "5468652071756663", ciphertext: "a826fd8ce53b855f" },
    { plaintext: "6b2062726f776e20", ciphertext: "cce21c8112256fe6" },
    { plaintext: "666f78206a756d70", ciphertext: "68d5c05dd9b6b900" },
  ],
};
