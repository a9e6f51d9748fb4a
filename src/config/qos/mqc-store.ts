// A router's MQC objects as the IOS commands build them: class-maps and
// policy-maps by name, kept beside the device (keyed by it) so the router
// model needs no QoS fields, and the device's MqcService (the attachments to
// interfaces and their data-plane hooks), created on first use and registered
// as the first output-queue strategy provider.

import type { RouterInterface } from "../../dataplane/pipeline/router-interface.ts";
import type { ClassMap, PolicyMap } from "../../dataplane/qos/mqc-policy.ts";
import { MqcService } from "../../dataplane/qos/mqc-service.ts";
import type { RouterDevice } from "../router/router-device.ts";

/** The MQC configuration of one router. */
export interface MqcState {
  readonly classMaps: Map<string, ClassMap>;
  readonly policyMaps: Map<string, PolicyMap>;
  readonly service: MqcService;
}

const states = new WeakMap<RouterDevice, MqcState>();
/** Which service holds an interface's policies (the running config renders an interface without its device). */
const byInterface = new WeakMap<RouterInterface, MqcService>();

/** The MQC state of a device (created empty on first use). */
export function mqc(device: RouterDevice): MqcState {
  let s = states.get(device);
  if (s !== undefined) return s;
  const classMaps = new Map<string, ClassMap>();
  const policyMaps = new Map<string, PolicyMap>();
  const stack = device.stack;
  const service = new MqcService({
    acl: (name) => device.acls.get(name),
    classMap: (name) => classMaps.get(name),
    policyMap: (name) => policyMaps.get(name),
    now: () => stack.now(),
    classification: stack.classification,
    queueingChanged: () => stack.outputQueues.invalidate(),
    setInputPolicy: (hook) => {
      stack.inputPolicy = hook;
    },
  });
  stack.outputQueues.providers.unshift(service);
  s = { classMaps, policyMaps, service };
  states.set(device, s);
  return s;
}

/** The MQC state of a device if it has any (shows and the running config do not create it). */
export function mqcIfAny(device: RouterDevice): MqcState | undefined {
  return states.get(device);
}

/** Remembers that `service` holds settings of `ifc`. */
export function noteInterface(ifc: RouterInterface, service: MqcService): void {
  byInterface.set(ifc, service);
}

/** The service holding an interface's settings, if any. */
export function serviceOf(ifc: RouterInterface): MqcService | undefined {
  return byInterface.get(ifc);
}
