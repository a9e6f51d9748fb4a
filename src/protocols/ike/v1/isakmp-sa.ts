// One ISAKMP (phase-1) SA as IOS tracks it: role, cookies, peer, the state
// `show crypto isakmp sa` prints (MM_NO_STATE, MM_SA_SETUP, MM_KEY_EXCH,
// QM_IDLE), the negotiated policy and the keying material, plus the CBC IV
// chains of the exchanges running under it (main mode's own, and one per
// quick-mode or informational message ID, seeded from the last phase-1 block).

import type { SaRequest } from "../../../dataplane/ipsec/ipsec-sa.ts";
import type { TimeNs } from "../../../runtime/device.ts";
import type { TimerHandle } from "../../../runtime/device-timers.ts";
import type { IsakmpPolicy } from "../../ipsec/crypto-config.ts";
import type { DhGroup } from "../dh-groups.ts";
import { decryptIsakmpBody, encryptIsakmpBody, type IkeCipher, ikeCipherBlockSize } from "../v1-cipher.ts";
import { type IkeHash, phase2Iv } from "../v1-keys.ts";
import type { DeadPeerDetection } from "./dpd.ts";
import { newNatTraversalState } from "./nat-traversal.ts";

/** The phase-1 states IOS shows (aggressive mode ones included). */
export type IsakmpState =
  | "MM_NO_STATE"
  | "MM_SA_SETUP"
  | "MM_KEY_EXCH"
  | "QM_IDLE"
  | "AG_NO_STATE"
  | "AG_INIT_EXCH"
  /** A GDOI registration's phase 1 (UDP 848) once established: it carries GROUPKEY-PULL, never quick mode. */
  | "GDOI_IDLE";

/** Which side started the exchange. */
export type IkeRole = "I" | "R";

/** A quick mode in progress under this SA. */
export interface QuickModeExchange {
  messageId: number;
  role: IkeRole;
  /** The flow it negotiates (initiator: from the ACL; responder: the accepted identities). */
  request: SaRequest;
  /** Our inbound SPI (ESP's for an AH+ESP bundle). */
  spi: number;
  /** AH+ESP bundle: our inbound AH SPI, and the peer's once known. */
  ahSpi?: number;
  peerAhSpi?: number;
  niB: Uint8Array;
  nrB?: Uint8Array;
  /** PFS: our DH private key and public value, and the group. */
  pfs?: { group: DhGroup; privateKey: Uint8Array; publicKey: Uint8Array };
  /** PFS: the quick mode's g^xy (responder: computed on message 1). */
  gxyQm?: Uint8Array;
  /** Transform sets offered (initiator) in proposal order. */
  offered: string[];
  /** Last message we sent (for retransmission) and its timer. */
  lastSent?: Uint8Array;
  retransmits: number;
  timer?: TimerHandle;
  /** Responder: what it accepted, to install after message 3. */
  accepted?: {
    transformSet: string;
    peerSpi: number;
    peerAhSpi?: number;
    mode: "tunnel" | "transport";
    lifetimeSec: number;
    lifetimeKb: number;
  };
}

/** One ISAKMP SA. */
export class IsakmpSa {
  state: IsakmpState = "MM_NO_STATE";
  /** IOS prints status ACTIVE, or `ACTIVE (deleted)` for an SA kept only for show until it is purged. */
  deleted = false;
  /** Reason IOS gives when it deletes the SA (debug line). */
  deleteReason: string | null = null;
  policy: IsakmpPolicy | null = null;
  lifetimeSec = 86400;
  /** Phase-1 keys, set once KE and nonces are exchanged. */
  keys: { skeyid: Uint8Array; d: Uint8Array; a: Uint8Array; e: Uint8Array; cipherKey: Uint8Array } | null = null;
  cipher: IkeCipher | null = null;
  hash: IkeHash | null = null;
  dh: { group: DhGroup; privateKey: Uint8Array; publicKey: Uint8Array } | null = null;
  gxi: Uint8Array | null = null;
  gxr: Uint8Array | null = null;
  gxy: Uint8Array | null = null;
  niB: Uint8Array | null = null;
  nrB: Uint8Array | null = null;
  /** SA payload body the initiator sent (SAi_b), needed for HASH_I/HASH_R. */
  saiB: Uint8Array | null = null;
  /** Main mode's CBC chain: the IV of the next encrypted message. */
  iv: Uint8Array | null = null;
  /** Last ciphertext block of phase 1, seed of every later exchange's IV. */
  lastPhase1Block: Uint8Array | null = null;
  /** IV chains per message ID (quick modes, informational exchanges). */
  private readonly exchangeIvs = new Map<number, Uint8Array>();
  readonly quickModes = new Map<number, QuickModeExchange>();
  /** Requests waiting for phase 1 to finish. */
  readonly waiting: SaRequest[] = [];
  /** Pre-shared key to use instead of `crypto isakmp key` (aggressive-mode password). */
  psk: string | null = null;
  /** IDii_b: the initiator's phase-1 identity body (aggressive mode hashes it on both sides). */
  idiiB: Uint8Array | null = null;
  /** The initiator's offered policies, in transform order (transform i is policy i - 1). */
  offered: IsakmpPolicy[] = [];
  /** Aggressive mode rather than main mode. */
  aggressive = false;
  /** A GDOI registration SA (UDP 848): established, it goes to GDOI_IDLE and hands GROUPKEY-PULL to GDOI. */
  gdoi = false;
  /** Whether the peer sent the DPD vendor ID. */
  peerDpd = false;
  /** NAT traversal: support, detection, the ports IKE uses now (nat-traversal.ts). */
  readonly natT = newNatTraversalState();
  /** Last main-mode message sent, for retransmission; the last one received, to spot duplicates. */
  lastSent: Uint8Array | null = null;
  lastReceived: Uint8Array | null = null;
  retransmits = 0;
  retransmitTimer: TimerHandle | null = null;
  lifetimeTimer: TimerHandle | null = null;
  /** DPD, when `crypto isakmp keepalive` is configured and the peer supports it. */
  dpd: DeadPeerDetection | null = null;
  establishedAt: TimeNs | null = null;
  createdAt: TimeNs;

  constructor(
    readonly connId: number,
    readonly role: IkeRole,
    readonly ckyI: Uint8Array,
    public ckyR: Uint8Array,
    readonly local: number,
    readonly peer: number,
    now: TimeNs,
  ) {
    this.createdAt = now;
  }

  /** The conn-id IOS prints: 0 until keying material exists. */
  get shownConnId(): number {
    return this.keys === null ? 0 : this.connId;
  }

  /** `ISAKMP:(1001)` style tag for debug lines. */
  get tag(): string {
    return `(${this.shownConnId})`;
  }

  /** Encrypts a main-mode body and advances the chain. */
  encryptMain(plain: Uint8Array): Uint8Array {
    const out = encryptIsakmpBody(this.cipher!, this.keys!.cipherKey, this.iv!, plain);
    this.iv = out.nextIv;
    return out.ciphertext;
  }

  /** Decrypts a main-mode body; null when the length is not a block multiple. Advances the chain only on success. */
  decryptMain(cipherText: Uint8Array): Uint8Array | null {
    const out = decryptIsakmpBody(this.cipher!, this.keys!.cipherKey, this.iv!, cipherText);
    if (!out.ok) return null;
    this.iv = out.nextIv;
    return out.plaintext;
  }

  /** Encrypts a body of an exchange after phase 1 (quick mode, informational). */
  encryptExchange(messageId: number, plain: Uint8Array): Uint8Array {
    const out = encryptIsakmpBody(this.cipher!, this.keys!.cipherKey, this.exchangeIv(messageId), plain);
    this.exchangeIvs.set(messageId, out.nextIv);
    return out.ciphertext;
  }

  /** Decrypts a body of an exchange after phase 1; `commit` false leaves the chain as it was (for a message that fails its checks). */
  decryptExchange(messageId: number, cipherText: Uint8Array): { plain: Uint8Array; commit: () => void } | null {
    const out = decryptIsakmpBody(this.cipher!, this.keys!.cipherKey, this.exchangeIv(messageId), cipherText);
    if (!out.ok) return null;
    return { plain: out.plaintext, commit: () => void this.exchangeIvs.set(messageId, out.nextIv) };
  }

  /** Forgets the IV chain of a finished exchange. */
  endExchange(messageId: number): void {
    this.exchangeIvs.delete(messageId);
  }

  private exchangeIv(messageId: number): Uint8Array {
    let iv = this.exchangeIvs.get(messageId);
    if (iv === undefined) {
      iv = phase2Iv(this.hash!, this.lastPhase1Block!, messageId, ikeCipherBlockSize(this.cipher!));
      this.exchangeIvs.set(messageId, iv);
    }
    return iv;
  }

  /** Cancels every timer of the SA. */
  stopTimers(): void {
    this.retransmitTimer?.cancel();
    this.retransmitTimer = null;
    this.lifetimeTimer?.cancel();
    this.lifetimeTimer = null;
    this.dpd?.stop();
    this.dpd = null;
    this.natT.keepalive?.cancel();
    this.natT.keepalive = null;
    for (const qm of this.quickModes.values()) qm.timer?.cancel();
  }
}
