// The IOS wording of GDOI events (seed 003's registration log, word for word,
// trailing spaces included where IOS prints them):
//   %CRYPTO-5-GM_REGSTER: Start registration to KS 192.168.111.111 for group GDOI-GROUP1 using address 192.168.11.3 fvrf default ivrf default
//   %GDOI-5-SA_TEK_UPDATED: SA TEK was updated
//   %GDOI-5-SA_KEK_UPDATED: SA KEK was updated
//   %GDOI-5-GM_REGS_COMPL: Registration to KS 192.168.111.111 complete for group GDOI-GROUP1 using address 192.168.11.3 fvrf default ivrf default
//   %GDOI-5-GM_INSTALL_POLICIES_SUCCESS: SUCCESS: Installation of Reg/Rekey policies from KS 192.168.111.111 for group GDOI-GROUP1 & gm identity 192.168.11.3 fvrf default ivrf default
//   %CRYPTO-6-GDOI_ON_OFF: GDOI is ON
//   %GDOI-5-POLICY_CHANGE: GDOI group GDOI-GROUP1 policy has changed. Use 'crypto gdoi ks rekey' to send a rekey, or the changes will be send in the next scheduled rekey
//   %GDOI-5-KS_SEND_UNICAST_REKEY: Sending Unicast Rekey with policy-replace for group GDOI-GROUP1 from address 192.168.111.111 with seq # 23
//   %GDOI-5-KS_SEND_MCAST_REKEY: Sending Multicast Rekey for group GDOI-GROUP1 from address 192.168.111.111 to 239.192.1.190 with seq # 2
//   %GDOI-1-UNAUTHORIZED_IPADDR: Group GDOI-GROUP1 received registration from unauthorized ip address: 192.168.14.2
//   %GDOI-5-GM_CLEAR_REGISTER: Config: GM cleared gdoi configuration for the group GDOI-GROUP1.
//   %GDOI-5-COOP_KS_TRANS_TO_PRI: KS 192.168.222.222 in group GDOI-GROUP1 transitioned to Primary (Previous Primary = 192.168.111.111)
//   %GDOI-3-COOP_KS_UNREACH: Cooperative KS 192.168.111.111 Unreachable in group GDOI-GROUP1. IKE SA Status = Failed to establish.
//   %GDOI-5-COOP_KS_REACH: Reachability restored with Cooperative KS 192.168.222.222 in group GDOI-GROUP1.

import type { GdoiEvent } from "../../protocols/gdoi/events.ts";
import { formatIpv4Address } from "../../wire/ipv4-address.ts";
import type { RouterDevice } from "../router/router-device.ts";
import { gdoiDebugText } from "./gdoi-debug.ts";

const ip = formatIpv4Address;

/** The syslog line of an event, or null when IOS logs none. */
export function gdoiSyslogText(e: GdoiEvent): string | null {
  switch (e.kind) {
    case "onOff":
      return `%CRYPTO-6-GDOI_ON_OFF: GDOI is ${e.on ? "ON" : "OFF"}`;
    case "registrationStarted":
      return `%CRYPTO-5-GM_REGSTER: Start registration to KS ${ip(e.keyServer)} for group ${e.group} using address ${ip(e.local)} fvrf default ivrf default `;
    case "tekUpdated":
      return "%GDOI-5-SA_TEK_UPDATED: SA TEK was updated";
    case "kekUpdated":
      return "%GDOI-5-SA_KEK_UPDATED: SA KEK was updated";
    case "registrationComplete":
      return `%GDOI-5-GM_REGS_COMPL: Registration to KS ${ip(e.keyServer)} complete for group ${e.group} using address ${ip(e.local)} fvrf default ivrf default `;
    case "policiesInstalled":
      return `%GDOI-5-GM_INSTALL_POLICIES_SUCCESS: SUCCESS: Installation of Reg/Rekey policies from KS ${ip(e.keyServer)} for group ${e.group} & gm identity ${ip(e.local)} fvrf default ivrf default`;
    case "policyChanged":
      return `%GDOI-5-POLICY_CHANGE: GDOI group ${e.group} policy has changed. Use 'crypto gdoi ks rekey' to send a rekey, or the changes will be send in the next scheduled rekey`;
    case "unicastRekeySent":
      return `%GDOI-5-KS_SEND_UNICAST_REKEY: Sending Unicast Rekey ${e.policyReplace ? "with policy-replace " : ""}for group ${e.group} from address ${ip(e.source)} with seq # ${e.sequence}`;
    case "multicastRekeySent":
      return `%GDOI-5-KS_SEND_MCAST_REKEY: Sending Multicast Rekey ${e.policyReplace ? "with policy-replace " : ""}for group ${e.group} from address ${ip(e.source)} to ${ip(e.destination)} with seq # ${e.sequence}`;
    case "unauthorizedMember":
      return `%GDOI-1-UNAUTHORIZED_IPADDR: Group ${e.group} received registration from unauthorized ip address: ${ip(e.member)}`;
    case "memberCleared":
      return `%GDOI-5-GM_CLEAR_REGISTER: Config: GM cleared gdoi configuration for the group ${e.group}.`;
    case "coopPrimary":
      return `%GDOI-5-COOP_KS_TRANS_TO_PRI: KS ${ip(e.local)} in group ${e.group} transitioned to Primary (Previous Primary = ${e.previous === null ? "NONE" : ip(e.previous)})`;
    case "coopUnreachable":
      return `%GDOI-3-COOP_KS_UNREACH: Cooperative KS ${ip(e.peer)} Unreachable in group ${e.group}. IKE SA Status = Failed to establish.`;
    case "coopReachable":
      return `%GDOI-5-COOP_KS_REACH: Reachability restored with Cooperative KS ${ip(e.peer)} in group ${e.group}.`;
    case "registrationFailed":
    case "memberRegistered":
    case "rekeyReceived":
    case "coopAnnounce":
      return null;
  }
}

/** The renderer GDOI runs with: its syslog lines through the router's logging. */
export function gdoiRenderer(device: RouterDevice): (e: GdoiEvent) => void {
  return (e) => {
    const text = gdoiSyslogText(e);
    if (text !== null) device.log(text);
    if (device.debug.cryptoGdoi) {
      const debug = gdoiDebugText(e);
      if (debug !== null) device.debugLine("crypto-gdoi", () => debug);
    }
  };
}
