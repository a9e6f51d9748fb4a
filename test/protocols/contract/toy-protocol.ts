// A toy control plane that exists only to exercise the router's protocol
// contract: on every interface that is up with an address it joins
// 224.0.0.250 and sends a hello (IP protocol 253, one byte of type and the
// sender's hostname) every 5 s as link-local multicast; it answers each hello
// with a unicast ack out of the interface it came in on (sendVia); it hears
// line-protocol changes and stops hellos on a downed interface. It reports
// what it hears as typed events and writes no text.

import type { LocalDatagram } from "../../../src/dataplane/pipeline/ip-stack.ts";
import type { RouterInterface } from "../../../src/dataplane/pipeline/router-interface.ts";
import type {
  InterfaceEvent,
  ProtocolDefinition,
  ProtocolHost,
  RouterProtocol,
} from "../../../src/protocols/protocol.ts";
import type { TimerHandle } from "../../../src/runtime/device-timers.ts";

export const TOY_PROTOCOL = 253;
export const TOY_GROUP = 0xe00000fa; // 224.0.0.250
const HELLO = 1;
const ACK = 2;
const HELLO_NS = 5e9;

/** What the toy reports. */
export type ToyEvent =
  | { kind: "hello"; from: number; ingress: string; ttl: number; dst: number; name: string }
  | { kind: "ack"; from: number; ingress: string; dst: number }
  | { kind: "lineProtocol"; ifc: string; up: boolean };

class Toy implements RouterProtocol {
  private readonly hellos = new Map<RouterInterface, TimerHandle>();

  constructor(private readonly host: ProtocolHost<ToyEvent>) {
    host.bind({ ipProtocol: TOY_PROTOCOL }, (d) => this.receive(d));
    for (const ifc of host.interfaces()) this.enable(ifc);
  }

  interfaceEvent(e: InterfaceEvent): void {
    if (e.kind === "lineProtocolChanged") {
      this.host.emit({ kind: "lineProtocol", ifc: e.ifc.name, up: e.up });
      if (e.up) this.enable(e.ifc);
      else this.disable(e.ifc);
    }
  }

  stop(): void {
    for (const t of this.hellos.values()) t.cancel();
    this.hellos.clear();
  }

  private enable(ifc: RouterInterface): void {
    if (this.hellos.has(ifc) || !ifc.lineProtocolUp || ifc.config.address === undefined || ifc.kind === "loopback")
      return;
    this.host.joinGroup(ifc, TOY_GROUP);
    this.sendHello(ifc);
  }

  private disable(ifc: RouterInterface): void {
    this.hellos.get(ifc)?.cancel();
    if (this.hellos.delete(ifc)) this.host.leaveGroup(ifc, TOY_GROUP);
  }

  private sendHello(ifc: RouterInterface): void {
    const name = new TextEncoder().encode(this.host.hostname);
    this.host.sendLinkLocal(ifc, TOY_GROUP, { protocol: TOY_PROTOCOL, payload: Uint8Array.of(HELLO, ...name) });
    this.hellos.set(
      ifc,
      this.host.after(HELLO_NS, "toy-hello", () => this.sendHello(ifc)),
    );
  }

  private receive(d: LocalDatagram): void {
    const ingress = d.ingress;
    if (ingress === null) return;
    const type = d.header.payload[0];
    if (type === HELLO) {
      const name = new TextDecoder().decode(d.header.payload.subarray(1));
      this.host.emit({
        kind: "hello",
        from: d.header.src,
        ingress: ingress.name,
        ttl: d.header.ttl,
        dst: d.header.dst,
        name,
      });
      this.host.sendVia(ingress, d.header.src, {
        dst: d.header.src,
        protocol: TOY_PROTOCOL,
        payload: Uint8Array.of(ACK),
      });
    } else if (type === ACK) {
      this.host.emit({ kind: "ack", from: d.header.src, ingress: ingress.name, dst: d.header.dst });
    }
  }
}

/** The toy's definition. */
export const toyProtocol: ProtocolDefinition<RouterProtocol, ToyEvent> = {
  name: "toy",
  create: (host) => new Toy(host),
};
