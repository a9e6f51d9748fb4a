// `debug crypto gdoi`: one line per GDOI step, for the member (registration
// started, completed or given up, a rekey taken), the key server (a member
// registered or refused, a rekey sent) and COOP (ANNOUNCE sent and
// received). IOS's own GDOI debug output is long and version-specific; these
// lines keep its "GDOI:GM:", "GDOI:KS:" and "GDOI:COOP_KS:" prefixes and say
// what happened in one line each. Events that already log a syslog line (the
// registration log, COOP transitions) add no debug line.

import type { GdoiEvent } from "../../protocols/gdoi/events.ts";
import { formatIpv4Address } from "../../wire/ipv4-address.ts";

const ip = formatIpv4Address;

const FAILURES: Readonly<Record<string, string>> = {
  noPolicy: "no usable policy in the key server's answer",
  noAnswer: "no answer",
  badHash: "a hash did not match",
  unknownGroup: "the key server does not serve the group",
  malformed: "a malformed message",
};

/** The `debug crypto gdoi` line of an event, or null when it has none. */
export function gdoiDebugText(e: GdoiEvent): string | null {
  switch (e.kind) {
    case "registrationStarted":
      return `GDOI:GM: ${ip(e.local)} sending GROUPKEY-PULL registration to KS ${ip(e.keyServer)} for group ${e.group}`;
    case "registrationFailed":
      return `GDOI:GM: Registration to KS ${ip(e.keyServer)} for group ${e.group} failed: ${FAILURES[e.reason] ?? e.reason}`;
    case "rekeyReceived":
      return `GDOI:GM: ${e.multicast === true ? "Multicast rekey" : "Rekey"} seq ${e.sequence} for group ${e.group} from KS ${ip(e.keyServer)} accepted${e.multicast === true ? "" : ", ACK sent"}`;
    case "memberRegistered":
      return `GDOI:KS: GM ${ip(e.member)} registered in group ${e.group}`;
    case "unicastRekeySent":
      return `GDOI:KS: Unicast rekey seq ${e.sequence} for group ${e.group} sent from ${ip(e.source)}${e.policyReplace ? " (policy replace)" : ""}`;
    case "multicastRekeySent":
      return `GDOI:KS: Multicast rekey seq ${e.sequence} for group ${e.group} sent from ${ip(e.source)} to ${ip(e.destination)}${e.policyReplace ? " (policy replace)" : ""}`;
    case "coopAnnounce":
      return e.sent
        ? `GDOI:COOP_KS: ANNOUNCE sent to KS ${ip(e.peer)} in group ${e.group}: role ${e.role}, priority ${e.priority}${e.replyRequest ? ", reply requested" : ""}`
        : `GDOI:COOP_KS: ANNOUNCE received from KS ${ip(e.peer)} in group ${e.group}: role ${e.role}, priority ${e.priority}${e.replyRequest ? ", reply requested" : ""}`;
    default:
      return null;
  }
}
