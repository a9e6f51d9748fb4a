// How an ISAKMP (phase-1) SA ends, as IOS does it. Every deletion names a
// reason from a closed set; the reason decides the IOS debug wording
// (`deleting SA reason "..."`), whether the peer is told with a DELETE
// notify, and whether the work the SA carried (quick modes in flight, SA
// requests waiting for it, DPD) goes on under a fresh phase 1.
//
// IOS does not rekey an IKEv1 SA ahead of its expiry. When the lifetime
// ends it sends a DELETE for the ISAKMP SA and drops it; the IPsec SAs it
// made live on until their own lifetimes end. The next quick mode (a
// phase-2 soft-lifetime rekey) or the next periodic DPD keepalive negotiates
// a new main mode. A deleted SA stays in `show crypto isakmp sa` as
// MM_NO_STATE `ACTIVE (deleted)` until it is purged, and a packet that
// arrives for it meanwhile (the peer's own DELETE crossing ours, a last
// R-U-THERE) is dropped without a syslog line: only a packet for an SA this
// router never had, or already purged, is IKMP_NO_SA.

/** Why a phase-1 SA ends. */
export type Phase1EndReason =
  | "lifetime-expired"
  | "peer-deleted"
  | "peer-dead"
  | "manually-deleted"
  | "retransmissions-exhausted"
  | "proposal-refused"
  | "authentication-failed";

/** What each reason means for the SA's peer and its pending work. */
export interface Phase1End {
  /** The text IOS prints in `deleting SA reason "..."`. */
  readonly ios: string;
  /** Send the peer a DELETE notify for the ISAKMP SA (only an established SA can). */
  readonly notifyPeer: boolean;
  /** Quick modes in flight and requests waiting go on under a new phase 1 (the peer is alive). */
  readonly renegotiate: boolean;
}

export const PHASE1_END: Readonly<Record<Phase1EndReason, Phase1End>> = {
  "lifetime-expired": { ios: "Lifetime expired", notifyPeer: true, renegotiate: true },
  // IOS logs a deletion it was told about with "No reason".
  "peer-deleted": { ios: "No reason", notifyPeer: false, renegotiate: true },
  "peer-dead": { ios: "Peer dead", notifyPeer: false, renegotiate: false },
  "manually-deleted": { ios: "Manually deleted", notifyPeer: true, renegotiate: false },
  "retransmissions-exhausted": { ios: "Death by retransmission P1", notifyPeer: false, renegotiate: false },
  "proposal-refused": { ios: "Informational in main mode: no proposal chosen", notifyPeer: false, renegotiate: false },
  "authentication-failed": { ios: "Authentication failed", notifyPeer: false, renegotiate: false },
};

/** Whether a received IKE message is for a live SA, one this router deleted (dropped silently), or none. */
export type Phase1Lookup<T> = { kind: "live"; sa: T } | { kind: "deleted"; sa: T } | { kind: "none" };

/** Finds the SA a message belongs to: a live one first, else one deleted but not yet purged. */
export function lookupPhase1<T extends { deleted: boolean }>(
  candidates: readonly T[],
  match: (sa: T) => boolean,
): Phase1Lookup<T> {
  let deleted: T | undefined;
  for (const sa of candidates) {
    if (!match(sa)) continue;
    if (!sa.deleted) return { kind: "live", sa };
    deleted ??= sa;
  }
  return deleted === undefined ? { kind: "none" } : { kind: "deleted", sa: deleted };
}
