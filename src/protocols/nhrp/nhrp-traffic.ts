// NHRP packet counters of one interface, as `show ip nhrp traffic` prints them.

import { NHRP_TYPE } from "../../wire/nhrp.ts";

/** Counts per packet type, one direction. */
export class NhrpTypeCounts {
  resolutionRequest = 0;
  resolutionReply = 0;
  registrationRequest = 0;
  registrationReply = 0;
  purgeRequest = 0;
  purgeReply = 0;
  errorIndication = 0;
  trafficIndication = 0;
  /** Traffic indications held back (the same flow was redirected moments ago). */
  redirectSuppress = 0;
  /** Resolution requests passed on towards the target's owner. */
  forwarded = 0;
  /** Packets that did not parse. */
  errors = 0;
  /** Packets with a wrong or missing password. */
  authFailures = 0;
  /** Resolution requests nobody could be found for. */
  unresolved = 0;

  count(type: number): void {
    switch (type) {
      case NHRP_TYPE.resolutionRequest:
        this.resolutionRequest++;
        break;
      case NHRP_TYPE.resolutionReply:
        this.resolutionReply++;
        break;
      case NHRP_TYPE.registrationRequest:
        this.registrationRequest++;
        break;
      case NHRP_TYPE.registrationReply:
        this.registrationReply++;
        break;
      case NHRP_TYPE.purgeRequest:
        this.purgeRequest++;
        break;
      case NHRP_TYPE.purgeReply:
        this.purgeReply++;
        break;
      case NHRP_TYPE.errorIndication:
        this.errorIndication++;
        break;
      case NHRP_TYPE.trafficIndication:
        this.trafficIndication++;
        break;
    }
  }

  /** Packets of every type. */
  total(): number {
    return (
      this.resolutionRequest +
      this.resolutionReply +
      this.registrationRequest +
      this.registrationReply +
      this.purgeRequest +
      this.purgeReply +
      this.errorIndication +
      this.trafficIndication
    );
  }
}

/** Sent and received counters. */
export interface NhrpTraffic {
  sent: NhrpTypeCounts;
  rcvd: NhrpTypeCounts;
}

export function emptyTraffic(): NhrpTraffic {
  return { sent: new NhrpTypeCounts(), rcvd: new NhrpTypeCounts() };
}
