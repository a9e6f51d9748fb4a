// What an EIGRP process reports: neighbour adjacencies coming up and going
// down with a reason from a closed set (IOS's %DUAL-5-NBRCHANGE reasons),
// neighbours refused (%DUAL-6-NBRINFO), and DUAL transitions of a
// destination (passive/active) with why. The IOS layer (src/config/eigrp)
// renders the words; nothing here is IOS text.

/** Why a neighbour went down. */
export type EigrpDownReason =
  | "holdTimeExpired"
  | "retryLimitExceeded"
  | "interfaceDown"
  | "peerTermination"
  | "peerRestarted"
  | "kValueMismatch"
  | "stuckInActive"
  | "interfacePassive"
  | "manuallyCleared"
  | "processStopped";

/** Why a hello was not taken as a neighbour. */
export type EigrpBlockReason = "notOnCommonSubnet" | "kValueMismatch";

export type EigrpEvent =
  | { kind: "neighborUp"; as: number; address: number; interface: string }
  | { kind: "neighborDown"; as: number; address: number; interface: string; reason: EigrpDownReason }
  | { kind: "neighborBlocked"; as: number; address: number; interface: string; reason: EigrpBlockReason }
  | {
      kind: "dual";
      as: number;
      prefix: number;
      length: number;
      to: "active" | "passive";
      /** Active: queries sent to this many neighbours; passive: the new feasible distance. */
      detail: number;
    }
  | { kind: "badPacket"; interface: string; source: number; reason: string };
