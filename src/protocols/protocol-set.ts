// The protocols running on one router: started from configuration with the
// renderer the IOS layer gives for their events, told of every interface
// event, and stopped cleanly (their bindings, groups and timers go with them).

import type { IpStack } from "../dataplane/pipeline/ip-stack.ts";
import type { RouterInterface } from "../dataplane/pipeline/router-interface.ts";
import type { TimeNs } from "../runtime/device.ts";
import type { DeviceTimers, TimerHandle } from "../runtime/device-timers.ts";
import type { InterfaceEvent, ProtocolDefinition, ProtocolHost, RouterProtocol } from "./protocol.ts";

/** What the protocol set needs from its router. */
export interface ProtocolSetDevice {
  readonly hostname: string;
  readonly stack: IpStack;
  readonly timers: DeviceTimers;
  now(): TimeNs;
  randomBytes(n: number): Uint8Array;
  interfaces(): RouterInterface[];
}

interface Running {
  readonly instance: RouterProtocol;
  readonly unbinds: Set<() => void>;
  readonly groups: Array<{ ifc: RouterInterface; group: number }>;
  readonly timers: Set<TimerHandle>;
}

/** Started protocols of one router, by instance name ("isakmp", "ospf 1"). */
export class ProtocolSet {
  private readonly running = new Map<string, Running>();

  constructor(private readonly device: ProtocolSetDevice) {}

  /** Starts a protocol instance; `render` turns its events into IOS output. */
  start<P extends RouterProtocol, E>(
    definition: ProtocolDefinition<P, E>,
    render: (event: E) => void,
    instanceName: string = definition.name,
  ): P {
    if (this.running.has(instanceName)) throw new Error(`protocol ${instanceName} is already running`);
    const device = this.device;
    const stack = device.stack;
    const unbinds = new Set<() => void>();
    const groups: Array<{ ifc: RouterInterface; group: number }> = [];
    const timers = new Set<TimerHandle>();
    const host: ProtocolHost<E> = {
      get hostname() {
        return device.hostname;
      },
      now: () => device.now(),
      after(delayNs, name, fn) {
        const handle = device.timers.after(delayNs, name, () => {
          timers.delete(handle);
          fn();
        });
        timers.add(handle);
        return {
          cancel() {
            timers.delete(handle);
            handle.cancel();
          },
        };
      },
      randomBytes: (n) => device.randomBytes(n),
      interfaces: () => device.interfaces(),
      bind(key, handler) {
        const unbind = stack.bind(key, handler);
        const once = (): void => {
          if (unbinds.delete(once)) unbind();
        };
        unbinds.add(once);
        return once;
      },
      joinGroup(ifc, group) {
        stack.joinGroup(ifc, group);
        groups.push({ ifc, group });
      },
      leaveGroup(ifc, group) {
        const i = groups.findIndex((g) => g.ifc === ifc && g.group === group);
        if (i < 0) return;
        groups.splice(i, 1);
        stack.leaveGroup(ifc, group);
      },
      send: (d) => stack.send(d),
      sendVia: (ifc, nextHop, d) => stack.sendVia(ifc, nextHop, d),
      sendLinkLocal: (ifc, group, d) => stack.sendLinkLocal(ifc, group, d),
      rib: stack.rib,
      emit: render,
    };
    const instance = definition.create(host);
    this.running.set(instanceName, { instance, unbinds, groups, timers });
    return instance;
  }

  /** Stops an instance: its own stop(), then whatever bindings, groups and timers it left. */
  stop(instanceName: string): boolean {
    const r = this.running.get(instanceName);
    if (r === undefined) return false;
    this.running.delete(instanceName);
    r.instance.stop();
    for (const unbind of [...r.unbinds]) unbind();
    for (const { ifc, group } of r.groups) this.device.stack.leaveGroup(ifc, group);
    for (const t of [...r.timers]) t.cancel();
    return true;
  }

  /** A running instance by name. */
  get(instanceName: string): RouterProtocol | undefined {
    return this.running.get(instanceName)?.instance;
  }

  /** Names of the running instances, in start order. */
  names(): string[] {
    return [...this.running.keys()];
  }

  /** Tells every running protocol of an interface event. */
  interfaceEvent(event: InterfaceEvent): void {
    for (const r of this.running.values()) r.instance.interfaceEvent?.(event);
  }
}
