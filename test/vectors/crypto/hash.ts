// Hash and HMAC known answers with their published source; each was checked
// against node:crypto. Messages are ASCII unless given as hex.

/** One digest known answer. */
export interface HashVector {
  source: string;
  algorithm: "md5" | "sha1" | "sha256" | "sha384" | "sha512";
  /** ASCII message, repeated `repeat` times (default 1). */
  message: string;
  repeat?: number;
  digest: string;
}

const M448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
const M896 =
  "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

export const HASH_VECTORS: HashVector[] = [
  { source: "RFC 1321 A.5", algorithm: "md5", message: "", digest: "d41d8cd98f00b204e9800998ecf8427e" },
  { source: "RFC 1321 A.5", algorithm: "md5", message: "a", digest: "0cc175b9c0f1b6a831c399e269772661" },
  { source: "RFC 1321 A.5", algorithm: "md5", message: "abc", digest: "900150983cd24fb0d6963f7d28e17f72" },
  { source: "RFC 1321 A.5", algorithm: "md5", message: "message digest", digest: "f96b697d7cb7938d525a2f31aaf161d0" },
  {
    source: "RFC 1321 A.5",
    algorithm: "md5",
    message: "abcdefghijklmnopqrstuvwxyz",
    digest: "c3fcd3d76192e4007dfb496cca67e13b",
  },
  {
    source: "RFC 1321 A.5",
    algorithm: "md5",
    message: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
    digest: "d174ab98d277d9f5a5611c2c9f419d9f",
  },
  {
    source: "RFC 1321 A.5",
    algorithm: "md5",
    message: "1234567890",
    repeat: 8,
    digest: "57edf4a22be3c955ac49da2e2107b67a",
  },
  {
    source: "FIPS 180-4 example SHA1 'abc'",
    algorithm: "sha1",
    message: "abc",
    digest: "a9993e364706816aba3e25717850c26c9cd0d89d",
  },
  {
    source: "FIPS 180-4 example SHA1 448-bit",
    algorithm: "sha1",
    message: M448,
    digest: "84983e441c3bd26ebaae4aa1f95129e5e54670f1",
  },
  {
    source: "FIPS 180-4 example SHA1 one million 'a'",
    algorithm: "sha1",
    message: "a",
    repeat: 1_000_000,
    digest: "34aa973cd4c4daa4f61eeb2bdbad27316534016f",
  },
  {
    source: "FIPS 180-4 example SHA256 'abc'",
    algorithm: "sha256",
    message: "abc",
    digest: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  },
  {
    source: "FIPS 180-4 example SHA256 448-bit",
    algorithm: "sha256",
    message: M448,
    digest: "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
  },
  {
    source: "FIPS 180-4 example SHA256 one million 'a'",
    algorithm: "sha256",
    message: "a",
    repeat: 1_000_000,
    digest: "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
  },
  {
    source: "FIPS 180-4 example SHA384 'abc'",
    algorithm: "sha384",
    message: "abc",
    digest: "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7",
  },
  {
    source: "FIPS 180-4 example SHA384 896-bit",
    algorithm: "sha384",
    message: M896,
    digest: "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712fcc7c71a557e2db966c3e9fa91746039",
  },
  {
    source: "FIPS 180-4 example SHA512 'abc'",
    algorithm: "sha512",
    message: "abc",
    digest:
      "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
  },
  {
    source: "FIPS 180-4 example SHA512 896-bit",
    algorithm: "sha512",
    message: M896,
    digest:
      "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909",
  },
];

/** One HMAC known answer; key and data in hex; mac may be truncated (its length is the output length). */
export interface HmacVector {
  source: string;
  algorithm: "md5" | "sha1" | "sha256" | "sha384" | "sha512";
  key: string;
  data: string;
  mac: string;
}

const hex = (s: string) => Buffer.from(s, "latin1").toString("hex");
const rep = (b: string, n: number) => b.repeat(n);
const HI = hex("Hi There");
const JEFE = hex("Jefe");
const WANT = hex("what do ya want for nothing?");
const TRUNC = hex("Test With Truncation");
const LARGE = hex("Test Using Larger Than Block-Size Key - Hash Key First");

export const HMAC_VECTORS: HmacVector[] = [
  {
    source: "RFC 2202 §2 test case 1",
    algorithm: "md5",
    key: rep("0b", 16),
    data: HI,
    mac: "9294727a3638bb1c13f48ef8158bfc9d",
  },
  {
    source: "RFC 2202 §2 test case 2",
    algorithm: "md5",
    key: JEFE,
    data: WANT,
    mac: "750c783e6ab0b503eaa86e310a5db738",
  },
  {
    source: "RFC 2202 §2 test case 3",
    algorithm: "md5",
    key: rep("aa", 16),
    data: rep("dd", 50),
    mac: "56be34521d144c88dbb8c733f0e8b3f6",
  },
  {
    source: "RFC 2202 §2 test case 5 (HMAC-MD5-96)",
    algorithm: "md5",
    key: rep("0c", 16),
    data: TRUNC,
    mac: "56461ef2342edc00f9bab995",
  },
  {
    source: "RFC 2202 §2 test case 6",
    algorithm: "md5",
    key: rep("aa", 80),
    data: LARGE,
    mac: "6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd",
  },
  {
    source: "RFC 2202 §3 test case 1",
    algorithm: "sha1",
    key: rep("0b", 20),
    data: HI,
    mac: "b617318655057264e28bc0b6fb378c8ef146be00",
  },
  {
    source: "RFC 2202 §3 test case 2",
    algorithm: "sha1",
    key: JEFE,
    data: WANT,
    mac: "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79",
  },
  {
    source: "RFC 2202 §3 test case 3",
    algorithm: "sha1",
    key: rep("aa", 20),
    data: rep("dd", 50),
    mac: "125d7342b9ac11cd91a39af48aa17b4f63f175d3",
  },
  {
    source: "RFC 2202 §3 test case 5 (HMAC-SHA1-96)",
    algorithm: "sha1",
    key: rep("0c", 20),
    data: TRUNC,
    mac: "4c1a03424b55e07fe7f27be1",
  },
  {
    source: "RFC 2202 §3 test case 6",
    algorithm: "sha1",
    key: rep("aa", 80),
    data: LARGE,
    mac: "aa4ae5e15272d00e95705637ce8a3b55ed402112",
  },
  {
    source: "RFC 4231 §4.2 test case 1",
    algorithm: "sha256",
    key: rep("0b", 20),
    data: HI,
    mac: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
  },
  {
    source: "RFC 4231 §4.2 test case 1",
    algorithm: "sha384",
    key: rep("0b", 20),
    data: HI,
    mac: "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6",
  },
  {
    source: "RFC 4231 §4.2 test case 1",
    algorithm: "sha512",
    key: rep("0b", 20),
    data: HI,
    mac: "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854",
  },
  {
    source: "RFC 4231 §4.3 test case 2",
    algorithm: "sha256",
    key: JEFE,
    data: WANT,
    mac: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
  },
  {
    source: "RFC 4231 §4.3 test case 2",
    algorithm: "sha384",
    key: JEFE,
    data: WANT,
    mac: "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649",
  },
  {
    source: "RFC 4231 §4.3 test case 2",
    algorithm: "sha512",
    key: JEFE,
    data: WANT,
    mac: "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737",
  },
  {
    source: "RFC 4231 §4.6 test case 5 (128-bit truncation)",
    algorithm: "sha256",
    key: rep("0c", 20),
    data: TRUNC,
    mac: "a3b6167473100ee06e0c796c2955552b",
  },
  {
    source: "RFC 4231 §4.6 test case 5 (128-bit truncation)",
    algorithm: "sha384",
    key: rep("0c", 20),
    data: TRUNC,
    mac: "3abf34c3503b2a23a46efc619baef897",
  },
  {
    source: "RFC 4231 §4.6 test case 5 (128-bit truncation)",
    algorithm: "sha512",
    key: rep("0c", 20),
    data: TRUNC,
    mac: "415fad6271580a531d4179bc891d87a6",
  },
  {
    source: "RFC 4231 §4.7 test case 6",
    algorithm: "sha256",
    key: rep("aa", 131),
    data: LARGE,
    mac: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
  },
  {
    source: "RFC 4231 §4.7 test case 6",
    algorithm: "sha384",
    key: rep("aa", 131),
    data: LARGE,
    mac: "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c60c2ef6ab4030fe8296248df163f44952",
  },
  {
    source: "RFC 4231 §4.7 test case 6",
    algorithm: "sha512",
    key: rep("aa", 131),
    data: LARGE,
    mac: "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598",
  },
];
