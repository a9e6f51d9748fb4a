// RFC 3602 §4 (The AES-CBC Cipher Algorithm and Its Use with IPsec), test
// cases #5 to #8: whole ESP packets with AES-128-CBC and no integrity, each
// with its key, SPI, sequence number, explicit IV, plaintext payload and next
// header. Cases #5 and #6 are transport mode (an ICMP echo, next header 1),
// #7 and #8 tunnel mode (an inner IPv4 datagram, next header 4). The packet is
// SPI || sequence || IV || ciphertext, and the ciphertext decrypts to the
// payload followed by the RFC 4303 padding 1, 2, 3..., pad length and next
// header (test/fastpath/esp re-checks that with node:crypto on every run).

/** One RFC 3602 ESP test case; hex strings. */
export interface EspPacketVector {
  source: string;
  key: string;
  spi: number;
  sequence: number;
  iv: string;
  /** The payload ESP protects (before padding). */
  payload: string;
  nextHeader: number;
  /** The whole ESP packet from the SPI to the end of the ciphertext. */
  packet: string;
}

const KEY_5_6 = "90d382b410eeba7ad938c46cec1a82bf";
const KEY_7_8 = "0123456789abcdef0123456789abcdef";

/** RFC 3602 §4 cases #5-#8. */
export const RFC3602_ESP_VECTORS: EspPacketVector[] = [
  {
    source: "RFC 3602 §4 case #5 (transport, ICMP echo request, 64-byte payload)",
    key: KEY_5_6,
    spi: 0x4321,
    sequence: 1,
    iv: "e96e8c08ab465763fd098d45dd3ff893",
    nextHeader: 1,
    payload:
      "08000ebda70a00008e9c083db95b0700" +
      "08090a0b0c0d0e0f1011121314151617" +
      "18191a1b1c1d1e1f2021222324252627" +
      "28292a2b2c2d2e2f3031323334353637",
    packet:
      "00004321" +
      "00000001" +
      "e96e8c08ab465763fd098d45dd3ff893" +
      "f663c25d325c18c6a9453e194e120849" +
      "a4870b66cc6b9965330013b4898dc856" +
      "a4699e523a55db080b59ec3a8e4b7e52" +
      "775b07d1db34ed9c538ab50c551b874a" +
      "a269add047ad2d5913ac19b7cfbad4a6",
  },
  {
    source: "RFC 3602 §4 case #6 (transport, ICMP echo request, 28-byte payload)",
    key: KEY_5_6,
    spi: 0x4321,
    sequence: 8,
    iv: "69d08df7d203329db093fc4924e5bd80",
    nextHeader: 1,
    payload: "0800b5e8a80a0500a69c083d0b660e00" + "777777777777777777777777",
    packet:
      "00004321" +
      "00000008" +
      "69d08df7d203329db093fc4924e5bd80" +
      "f51995881ec4e0c4488987ce742e8109" +
      "689bb379d2d750c0d915dca346a89f75",
  },
  {
    source: "RFC 3602 §4 case #7 (tunnel, inner ICMP echo datagram, 84 bytes)",
    key: KEY_7_8,
    spi: 0x8765,
    sequence: 2,
    iv: "f4e765244f6407adf13dc1380f673f37",
    nextHeader: 4,
    payload:
      "45000054090400004001f988c0a87b03" +
      "c0a87bc808009f76a90a0100b49c083d" +
      "02a2040008090a0b0c0d0e0f10111213" +
      "1415161718191a1b1c1d1e1f20212223" +
      "2425262728292a2b2c2d2e2f30313233" +
      "34353637",
    packet:
      "00008765" +
      "00000002" +
      "f4e765244f6407adf13dc1380f673f37" +
      "773b5241a4c449225e4f3ce5ed611b0c" +
      "237ca96cf74a93013c1b0ea1a0cf70f8" +
      "e4ecaec78ac53aad7a0f022b859243c6" +
      "47752e94a859352b8a4d4d2decd136e5" +
      "c177f132ad3fbfb2201ac9904c74ee0a" +
      "109e0ca1e4dfe9d5a100b842f1c22f0d",
  },
  {
    source: "RFC 3602 §4 case #8 (tunnel, inner ICMP echo datagram, 68 bytes)",
    key: KEY_7_8,
    spi: 0x8765,
    sequence: 5,
    iv: "85d47224b5f3dd5d2101d4ea8dffab22",
    nextHeader: 4,
    payload:
      "45000044090c00004001f990c0a87b03" +
      "c0a87bc80800d63caa0a0200c69c083d" +
      "a3de0300ffffffffffffffffffffffff" +
      "ffffffffffffffffffffffffffffffff" +
      "ffffffff",
    packet:
      "00008765" +
      "00000005" +
      "85d47224b5f3dd5d2101d4ea8dffab22" +
      "15b92683819596a8047232cc00f7048f" +
      "e45318e11f8a0f62ede3c3fc61203bb5" +
      "0f980a08c9843fd3a1b06d5c07ff9639" +
      "b7eb7dfb3512e5de435e7207ed971ef3" +
      "d2726d9b5ef6affc6d17a0decbb13892",
  },
];
