// GDOI (RFC 6407) as a router protocol: the key server and group-member
// sides of one router over ISAKMP, which runs registrations' phase 1 on UDP
// 848 and hands GDOI its GDOI_IDLE SAs and their GROUPKEY-PULL messages.
// `reconcile()` follows the configuration (groups, `server local`, gdoi
// crypto maps on interfaces): UDP 848 is open while either side has a group,
// and GDOI turning on or off is reported once.

import { GDOI_PORT } from "../../wire/gdoi.ts";
import { IP_PROTO_UDP } from "../../wire/ipv4.ts";
import type { IsakmpHeader } from "../../wire/isakmp.ts";
import { emitUdp } from "../../wire/udp.ts";
import type { GdoiIsakmpHooks } from "../ike/v1/ike-engine.ts";
import type { IsakmpSa } from "../ike/v1/isakmp-sa.ts";
import type { ProtocolDefinition, ProtocolHost, RouterProtocol } from "../protocol.ts";
import { CoopKeyServers } from "./coop-key-server.ts";
import type { GdoiEvent } from "./events.ts";
import type { GdoiContext } from "./gdoi-context.ts";
import { GroupMembers } from "./group-member.ts";
import { KeyServer } from "./key-server.ts";

/** What GDOI needs from the router besides its protocol host. */
export type GdoiServices = Omit<
  GdoiContext,
  "randomBytes" | "now" | "after" | "emit" | "sendGdoiMulticast" | "joinGroup" | "leaveGroup"
>;

/** GDOI on one router. */
export class GdoiProtocol implements RouterProtocol, GdoiIsakmpHooks {
  readonly keyServer: KeyServer;
  readonly members: GroupMembers;
  /** COOP between this key server and its peer servers. */
  readonly coop: CoopKeyServers;
  private on = false;

  constructor(private readonly ctx: GdoiContext) {
    this.keyServer = new KeyServer(ctx);
    this.members = new GroupMembers(ctx);
    this.coop = new CoopKeyServers(ctx, this.keyServer);
    ctx.ike.gdoi = this;
  }

  /** Brings key server groups and memberships in line with the configuration. */
  reconcile(): void {
    const ks = this.keyServer.reconcile();
    this.coop.reconcile();
    const gm = this.members.reconcile();
    const on = ks || gm;
    this.ctx.ike.setGdoiListening(on);
    if (on !== this.on) {
      this.on = on;
      this.ctx.emit({ kind: "onOff", on });
    }
  }

  phase1Complete(sa: IsakmpSa): void {
    if (this.coop.phase1Complete(sa)) return;
    if (sa.role === "I") this.members.phase1Complete(sa);
  }

  groupkeyPull(sa: IsakmpSa, header: IsakmpHeader, body: Uint8Array): void {
    if (sa.role === "R") this.keyServer.onPull(sa, header, body);
    else this.members.onPull(sa, header, body);
  }

  coopMessage(sa: IsakmpSa, header: IsakmpHeader, body: Uint8Array): void {
    this.coop.onMessage(sa, header, body);
  }

  groupkeyPush(src: number, _dst: number, header: IsakmpHeader, body: Uint8Array): void {
    // A rekey for a group we are a member of, else a member's acknowledgement to us as key server.
    if (!this.members.onPush(src, header, body)) this.keyServer.onPush(src, header, body);
  }

  stop(): void {
    this.coop.stop();
    if (this.ctx.ike.gdoi === this) this.ctx.ike.gdoi = null;
    this.ctx.ike.setGdoiListening(false);
  }
}

/** The GDOI protocol definition for one router. */
export function gdoiProtocol(services: GdoiServices): ProtocolDefinition<GdoiProtocol, GdoiEvent> {
  return {
    name: "gdoi",
    create(host: ProtocolHost<GdoiEvent>) {
      return new GdoiProtocol({
        ...services,
        randomBytes: (n) => host.randomBytes(n),
        now: () => host.now(),
        after: (ns, name, fn) => host.after(ns, name, fn),
        emit: (e) => host.emit(e),
        sendGdoiMulticast: (src, group, isakmp) => {
          const payload = emitUdp({ srcPort: GDOI_PORT, dstPort: GDOI_PORT, payload: isakmp }, { src, dst: group });
          const withAddress = host.interfaces().filter((i) => i.kind !== "loopback" && i.config.address !== undefined);
          const owner = withAddress.find((i) => i.config.address!.address === src);
          let sent = 0;
          for (const ifc of owner === undefined ? withAddress : [owner])
            if (host.sendLinkLocal(ifc, group, { protocol: IP_PROTO_UDP, payload, src }).ok) sent++;
          return sent;
        },
        joinGroup: (name, group) => {
          const ifc = host.interfaces().find((i) => i.name === name);
          if (ifc !== undefined) host.joinGroup(ifc, group);
        },
        leaveGroup: (name, group) => {
          const ifc = host.interfaces().find((i) => i.name === name);
          if (ifc !== undefined) host.leaveGroup(ifc, group);
        },
      });
    },
  };
}
