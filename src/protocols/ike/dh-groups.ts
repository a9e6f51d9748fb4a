// The MODP Diffie-Hellman groups IKEv1 negotiates (the "group" ISAKMP attribute):
// groups 1 and 2 from RFC 2409 section 6 (repeated in RFC 7296 appendix B) and
// groups 5, 14, 15 and 16 from RFC 3526, all with generator 2. Each prime is
// 2^n - 2^(n-64) - 1 + 2^64 * ([2^(n-130) pi] + k), a safe prime whose top and
// bottom 64 bits are all ones. Also fixes the length of the private exponent
// per group (see DH_EXPONENT_BITS). IOS shows these as "group 1" ... "group 16".

/** A MODP group number as carried in the IKEv1 group description attribute. */
export type DhGroup = 1 | 2 | 5 | 14 | 15 | 16;

/** Every supported group, smallest first. */
export const DH_GROUPS: readonly DhGroup[] = [1, 2, 5, 14, 15, 16];

/** Modulus size in bits per group. */
export const DH_GROUP_BITS: Readonly<Record<DhGroup, number>> = {
  1: 768,
  2: 1024,
  5: 1536,
  14: 2048,
  15: 3072,
  16: 4096,
};

/** The generator of every MODP group here. */
export const DH_GENERATOR = 2;

/**
 * Private exponent length in bits per group: twice the group's strength, as
 * RFC 3526 section 1 asks ("double the entropy of the strength of the entire
 * system"). For groups 5-16 the strength is the upper estimate of RFC 3526
 * section 8 (exponent sizes 240, 320, 420 -> 424 to whole bytes, 480); RFC 3526
 * section 1 puts the RFC 2409 groups at 70-80 bits, hence 160 for 1 and 2.
 * A short exponent costs about a sixth of a full-length one for group 14 and
 * is not observable on the wire; the top bit is always set, so the exponent has
 * exactly this many bits.
 */
export const DH_EXPONENT_BITS: Readonly<Record<DhGroup, number>> = {
  1: 160,
  2: 160,
  5: 240,
  14: 320,
  15: 424,
  16: 480,
};

// Hexadecimal values exactly as printed in RFC 2409 section 6.1/6.2 (group 1, 2)
// and RFC 3526 sections 2, 3, 4 and 5 (groups 5, 14, 15, 16).
const PRIME_HEX: Readonly<Record<DhGroup, string>> = {
  1: `
    FFFFFFFF FFFFFFFF C90FDAA2 2168C234 C4C6628B 80DC1CD1
    29024E08 8A67CC74 020BBEA6 3B139B22 514A0879 8E3404DD
    EF9519B3 CD3A431B 302B0A6D F25F1437 4FE1356D 6D51C245
    E485B576 625E7EC6 F44C42E9 A63A3620 FFFFFFFF FFFFFFFF`,
  2: `
    FFFFFFFF FFFFFFFF C90FDAA2 2168C234 C4C6628B 80DC1CD1
    29024E08 8A67CC74 020BBEA6 3B139B22 514A0879 8E3404DD
    EF9519B3 CD3A431B 302B0A6D F25F1437 4FE1356D 6D51C245
    E485B576 625E7EC6 F44C42E9 A637ED6B 0BFF5CB6 F406B7ED
    EE386BFB 5A899FA5 AE9F2411 7C4B1FE6 49286651 ECE65381
    FFFFFFFF FFFFFFFF`,
  5: `
    FFFFFFFF FFFFFFFF C90FDAA2 2168C234 C4C6628B 80DC1CD1
    29024E08 8A67CC74 020BBEA6 3B139B22 514A0879 8E3404DD
    EF9519B3 CD3A431B 302B0A6D F25F1437 4FE1356D 6D51C245
    E485B576 625E7EC6 F44C42E9 A637ED6B 0BFF5CB6 F406B7ED
    EE386BFB 5A899FA5 AE9F2411 7C4B1FE6 49286651 ECE45B3D
    C2007CB8 A163BF05 98DA4836 1C55D39A 69163FA8 FD24CF5F
    83655D23 DCA3AD96 1C62F356 208552BB 9ED52907 7096966D
    670C354E 4ABC9804 F1746C08 CA237327 FFFFFFFF FFFFFFFF`,
  14: `
    FFFFFFFF FFFFFFFF C90FDAA2 2168C234 C4C6628B 80DC1CD1
    29024E08 8A67CC74 020BBEA6 3B139B22 514A0879 8E3404DD
    EF9519B3 CD3A431B 302B0A6D F25F1437 4FE1356D 6D51C245
    E485B576 625E7EC6 F44C42E9 A637ED6B 0BFF5CB6 F406B7ED
    EE386BFB 5A899FA5 AE9F2411 7C4B1FE6 49286651 ECE45B3D
    C2007CB8 A163BF05 98DA4836 1C55D39A 69163FA8 FD24CF5F
    83655D23 DCA3AD96 1C62F356 208552BB 9ED52907 7096966D
    670C354E 4ABC9804 F1746C08 CA18217C 32905E46 2E36CE3B
    E39E772C 180E8603 9B2783A2 EC07A28F B5C55DF0 6F4C52C9
    DE2BCBF6 95581718 3995497C EA956AE5 15D22618 98FA0510
    15728E5A 8AACAA68 FFFFFFFF FFFFFFFF`,
  15: `
    FFFFFFFF FFFFFFFF C90FDAA2 2168C234 C4C6628B 80DC1CD1
    29024E08 8A67CC74 020BBEA6 3B139B22 514A0879 8E3404DD
    EF9519B3 CD3A431B 302B0A6D F25F1437 4FE1356D 6D51C245
    E485B576 625E7EC6 F44C42E9 A637ED6B 0BFF5CB6 F406B7ED
    EE386BFB 5A899FA5 AE9F2411 7C4B1FE6 49286651 ECE45B3D
    C2007CB8 A163BF05 98DA4836 1C55D39A 69163FA8 FD24CF5F
    83655D23 DCA3AD96 1C62F356 208552BB 9ED52907 7096966D
    670C354E 4ABC9804 F1746C08 CA18217C 32905E46 2E36CE3B
    E39E772C 180E8603 9B2783A2 EC07A28F B5C55DF0 6F4C52C9
    DE2BCBF6 95581718 3995497C EA956AE5 15D22618 98FA0510
    15728E5A 8AAAC42D AD33170D 04507A33 A85521AB DF1CBA64
    ECFB8504 58DBEF0A 8AEA7157 5D060C7D B3970F85 A6E1E4C7
    ABF5AE8C DB0933D7 1E8C94E0 4A25619D CEE3D226 1AD2EE6B
    F12FFA06 D98A0864 D8760273 3EC86A64 521F2B18 177B200C
    BBE11757 7A615D6C 770988C0 BAD946E2 08E24FA0 74E5AB31
    43DB5BFC E0FD108E 4B82D120 A93AD2CA FFFFFFFF FFFFFFFF`,
  16: `
    FFFFFFFF FFFFFFFF C90FDAA2 2168C234 C4C6628B 80DC1CD1
    29024E08 8A67CC74 020BBEA6 3B139B22 514A0879 8E3404DD
    EF9519B3 CD3A431B 302B0A6D F25F1437 4FE1356D 6D51C245
    E485B576 625E7EC6 F44C42E9 A637ED6B 0BFF5CB6 F406B7ED
    EE386BFB 5A899FA5 AE9F2411 7C4B1FE6 49286651 ECE45B3D
    C2007CB8 A163BF05 98DA4836 1C55D39A 69163FA8 FD24CF5F
    83655D23 DCA3AD96 1C62F356 208552BB 9ED52907 7096966D
    670C354E 4ABC9804 F1746C08 CA18217C 32905E46 2E36CE3B
    E39E772C 180E8603 9B2783A2 EC07A28F B5C55DF0 6F4C52C9
    DE2BCBF6 95581718 3995497C EA956AE5 15D22618 98FA0510
    15728E5A 8AAAC42D AD33170D 04507A33 A85521AB DF1CBA64
    ECFB8504 58DBEF0A 8AEA7157 5D060C7D B3970F85 A6E1E4C7
    ABF5AE8C DB0933D7 1E8C94E0 4A25619D CEE3D226 1AD2EE6B
    F12FFA06 D98A0864 D8760273 3EC86A64 521F2B18 177B200C
    BBE11757 7A615D6C 770988C0 BAD946E2 08E24FA0 74E5AB31
    43DB5BFC E0FD108E 4B82D120 A9210801 1A723C12 A787E6D7
    88719A10 BDBA5B26 99C32718 6AF4E23C 1A946834 B6150BDA
    2583E9CA 2AD44CE8 DBBBC2DB 04DE8EF9 2E8EFC14 1FBECAA6
    287C5947 4E6BC05D 99B2964F A090C3A2 233BA186 515BE7ED
    1F612970 CEE2D7AF B81BDD76 2170481C D0069127 D5B05AA9
    93B4EA98 8D8FDDC1 86FFB7DC 90A6C08F 4DF435C9 34063199
    FFFFFFFF FFFFFFFF`,
};

/**
 * The k of each prime's closed form 2^n - 2^(n-64) - 1 + 2^64 * ([2^(n-130) pi] + k),
 * as the RFCs print it beside the hexadecimal value.
 */
export const DH_PRIME_PI_OFFSET: Readonly<Record<DhGroup, number>> = {
  1: 149686,
  2: 129093,
  5: 741804,
  14: 124476,
  15: 1690314,
  16: 240904,
};

/** True when n is one of the supported group numbers. */
export function isDhGroup(n: number): n is DhGroup {
  return (DH_GROUPS as readonly number[]).includes(n);
}

/** Modulus (and public value, and shared secret) length in bytes. */
export function dhPrimeBytes(group: DhGroup): number {
  return DH_GROUP_BITS[group] / 8;
}

/** Private exponent length in bytes. */
export function dhExponentBytes(group: DhGroup): number {
  return DH_EXPONENT_BITS[group] / 8;
}

const primeCache = new Map<DhGroup, { value: bigint; bytes: Uint8Array }>();

function primeEntry(group: DhGroup): { value: bigint; bytes: Uint8Array } {
  let entry = primeCache.get(group);
  if (!entry) {
    const hex = PRIME_HEX[group].replace(/\s+/g, "");
    const bytes = new Uint8Array(hex.length / 2);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
    entry = { value: BigInt(`0x${hex}`), bytes };
    primeCache.set(group, entry);
  }
  return entry;
}

/** The group's prime as a big-endian byte string (a fresh copy). */
export function dhPrime(group: DhGroup): Uint8Array {
  return primeEntry(group).bytes.slice();
}

/** The group's prime as a BigInt. */
export function dhPrimeBigInt(group: DhGroup): bigint {
  return primeEntry(group).value;
}
