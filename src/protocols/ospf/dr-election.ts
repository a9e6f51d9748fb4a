// Designated Router election (RFC 2328 9.4), a pure function of what this
// router and its two-way neighbors on one segment declare in their hellos.
// It is non-preemptive by construction: a router already declaring itself
// BDR or DR keeps the role against a higher priority that arrives later, a
// priority of 0 is never elected, and if this router's own role changes the
// calculation runs once more with its new declarations (step 4). As in the
// RFC, one router's view can be transient (a promoted BDR shown as both DR and
// BDR by a third router) until the next hellos carry the new declarations.

/** One router on the segment as the election sees it. */
export interface DrCandidate {
  routerId: number;
  /** Its address on this segment (what hellos put in the DR/BDR fields). */
  address: number;
  priority: number;
  /** The DR and BDR it declares (addresses; 0 for none). */
  dr: number;
  bdr: number;
}

/** The elected DR and BDR (addresses; 0 for none). */
export interface DrResult {
  dr: number;
  bdr: number;
}

const better = (a: DrCandidate, b: DrCandidate): boolean =>
  a.priority !== b.priority ? a.priority > b.priority : a.routerId >>> 0 > b.routerId >>> 0;

function best(cs: DrCandidate[]): DrCandidate | undefined {
  let top: DrCandidate | undefined;
  for (const c of cs) if (top === undefined || better(c, top)) top = c;
  return top;
}

function calculate(all: DrCandidate[]): DrResult {
  const eligible = all.filter((c) => c.priority > 0);
  // Step 2: the BDR, from routers not declaring themselves DR; those declaring themselves BDR first.
  const notDr = eligible.filter((c) => c.dr !== c.address);
  const bdr = best(notDr.filter((c) => c.bdr === c.address)) ?? best(notDr);
  // Step 3: the DR, from routers declaring themselves DR; failing that the new BDR.
  const dr = best(eligible.filter((c) => c.dr === c.address)) ?? bdr;
  return { dr: dr?.address ?? 0, bdr: bdr?.address ?? 0 };
}

/** Runs the election for `self` among `neighbors` (those in state 2-Way or higher). */
export function electDr(self: DrCandidate, neighbors: readonly DrCandidate[]): DrResult {
  const result = calculate([self, ...neighbors]);
  const wasDr = self.dr === self.address;
  const wasBdr = self.bdr === self.address;
  const isDr = result.dr === self.address;
  const isBdr = result.bdr === self.address;
  if (wasDr !== isDr || wasBdr !== isBdr) {
    // Step 4: declare the new roles and run steps 2 and 3 again.
    return calculate([{ ...self, dr: result.dr, bdr: result.bdr }, ...neighbors]);
  }
  return result;
}
