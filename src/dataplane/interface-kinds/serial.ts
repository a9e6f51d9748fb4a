// Serial interfaces with Cisco HDLC framing (the IOS default encapsulation):
// a 4-byte header, address 0x0F for unicast and 0x8F for broadcast and
// multicast, protocol 0x0800 for IPv4, 0x2000 for CDP. SLARP keepalives are
// not IP and are ignored on input.

import {
  emitHdlcHeader,
  HDLC_ADDRESS_BROADCAST,
  HDLC_ADDRESS_UNICAST,
  HDLC_HEADER_LEN,
  HDLC_PROTO_CDP,
  HDLC_PROTO_IPV4,
  hdlcProtocol,
} from "../../wire/hdlc.ts";
import { cdpInput } from "../pipeline/link-control.ts";
import type { InterfaceKindDriver } from "./interface-kind.ts";

/** `interface SerialX/Y` (HDLC). */
export const serialKind: InterfaceKindDriver = {
  kind: "serial",
  hasPort: true,
  defaultMtu: 1500,
  defaultDelayTensOfUs: () => 2000,
  defaultBandwidthKbps: null,
  output(stack, egress, nextHop, dgram) {
    const port = (egress.parent ?? egress).port;
    if (port === null) return { ok: false, failure: "interfaceDown", egress };
    const frame = stack.frameAround(dgram, HDLC_HEADER_LEN, 0);
    const group = nextHop === 0xffffffff || nextHop >>> 28 === 0xe || stack.isBroadcastAddress(nextHop);
    emitHdlcHeader(
      { address: group ? HDLC_ADDRESS_BROADCAST : HDLC_ADDRESS_UNICAST, protocol: HDLC_PROTO_IPV4 },
      frame,
      0,
    );
    return stack.transmit(egress, port, frame) ? { ok: true, egress } : { ok: false, failure: "queueFull", egress };
  },
  input(stack, ifc, frame) {
    if (!ifc.lineProtocolUp) return;
    stack.countInput(ifc, frame.length, frame.length >= 1 && frame[0] === HDLC_ADDRESS_BROADCAST);
    if (frame.length < HDLC_HEADER_LEN) return void ifc.counters.inputErrors++;
    const protocol = hdlcProtocol(frame);
    if (protocol === HDLC_PROTO_CDP) return cdpInput(stack, ifc, frame.subarray(HDLC_HEADER_LEN));
    if (protocol !== HDLC_PROTO_IPV4) return; // SLARP keepalives and others: not IP
    stack.ipInput(ifc, frame, HDLC_HEADER_LEN);
  },
  outputCdp(stack, egress, payload) {
    const port = (egress.parent ?? egress).port;
    if (port === null) return false;
    const frame = new Uint8Array(HDLC_HEADER_LEN + payload.length);
    emitHdlcHeader({ address: HDLC_ADDRESS_BROADCAST, protocol: HDLC_PROTO_CDP }, frame, 0);
    frame.set(payload, HDLC_HEADER_LEN);
    return stack.transmit(egress, port, frame);
  },
};
