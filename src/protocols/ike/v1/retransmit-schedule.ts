// When an unanswered IKEv1 message is sent again. IOS waits 10 s before the
// first retransmission; each later wait doubles (a peer that is slow, or a
// path that is congested, is not hammered), capped at 60 s. After five
// retransmissions the exchange dies ("Death by retransmission P1/P2"):
// 10 + 20 + 40 + 60 + 60 s of retransmissions, then one more 60 s wait.

const SEC = 1_000_000_000;

/** First wait, before retransmission 1. */
export const FIRST_RETRANSMIT_NS = 10 * SEC;
/** No wait grows past this. */
export const MAX_RETRANSMIT_WAIT_NS = 60 * SEC;
/** Retransmissions before the exchange is given up. */
export const MAX_RETRANSMITS = 5;

/** The wait before retransmission `attempt + 1`, after `attempt` retransmissions (0 = after the first send). */
export function retransmitWaitNs(attempt: number): number {
  const wait = FIRST_RETRANSMIT_NS * 2 ** Math.max(0, attempt);
  return Math.min(wait, MAX_RETRANSMIT_WAIT_NS);
}
