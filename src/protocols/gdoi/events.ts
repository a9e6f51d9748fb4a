// What GDOI reports, as typed events: registration steps of a group member,
// policy and key installation, the key server's policy changes and members.
// The IOS wording (`%CRYPTO-5-GM_REGSTER`, `%GDOI-5-GM_REGS_COMPL`, ...)
// lives in src/config/gdoi/gdoi-syslog.ts.

/** A group member's registration with a key server, from `local`. */
interface Registration {
  group: string;
  keyServer: number;
  local: number;
}

export type GdoiEvent =
  /** GDOI turned on or off on this router (a member's crypto map, a key server's group). */
  | { kind: "onOff"; on: boolean }
  | ({ kind: "registrationStarted" } & Registration)
  | ({ kind: "registrationComplete" } & Registration)
  | ({ kind: "policiesInstalled" } & Registration)
  /** A member installed new TEKs or a new KEK. */
  | { kind: "tekUpdated"; group: string }
  | { kind: "kekUpdated"; group: string }
  /** A member gave up on a key server (no answer to its registration). */
  | ({ kind: "registrationFailed"; reason: GdoiFailureReason } & Registration)
  /** The key server's group policy (ACL, profile) differs from what its members hold. */
  | { kind: "policyChanged"; group: string }
  /** The key server sent a unicast rekey (with the group's policy replaced when its ACL changed). */
  | { kind: "unicastRekeySent"; group: string; source: number; sequence: number; policyReplace: boolean }
  /** The key server sent a multicast rekey to the group's `rekey address ipv4` destination. */
  | {
      kind: "multicastRekeySent";
      group: string;
      source: number;
      destination: number;
      sequence: number;
      policyReplace: boolean;
    }
  /** A member took a rekey from a key server. */
  | { kind: "rekeyReceived"; group: string; keyServer: number; local: number; sequence: number; multicast?: boolean }
  /** The key server refused a member its `authorization address ipv4` list does not permit. */
  | { kind: "unauthorizedMember"; group: string; member: number }
  /** The key server registered a member. */
  | { kind: "memberRegistered"; group: string; member: number }
  /** COOP: this key server became the group's primary (previous: the primary before, null when none was). */
  | { kind: "coopPrimary"; group: string; local: number; previous: number | null }
  /** COOP: no ISAKMP SA could be set up with a peer key server. */
  | { kind: "coopUnreachable"; group: string; peer: number }
  /** COOP: an ISAKMP SA came up with a peer key server that was unreachable. */
  | { kind: "coopReachable"; group: string; peer: number }
  /** `clear crypto gdoi`: a member dropped the group's keys and registers again. */
  | { kind: "memberCleared"; group: string }
  /** COOP: an ANNOUNCE sent to, or taken from, a peer key server (debug crypto gdoi). */
  | {
      kind: "coopAnnounce";
      group: string;
      peer: number;
      sent: boolean;
      role: "Primary" | "Secondary";
      priority: number;
      replyRequest: boolean;
    };

/** Why a registration did not complete. */
export type GdoiFailureReason = "noPolicy" | "noAnswer" | "badHash" | "unknownGroup" | "malformed";
