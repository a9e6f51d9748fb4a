// fast-check generators of OSPFv2 packets and LSAs shaped so that
// parse(emit(x)) must give back exactly x: LSAs go through buildLsa so their
// Length and checksum are the ones a receiver sees.

import fc from "fast-check";
import {
  buildLsa,
  type Lsa,
  type LsaBody,
  type LsaHeader,
  type OspfAuth,
  type OspfBody,
  type OspfPacket,
  type RouterLinkType,
} from "../../src/wire/index.ts";

const u8 = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u24 = fc.integer({ min: 0, max: 0xffffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const i32 = fc.integer({ min: -0x80000000, max: 0x7fffffff });

const tosMetric = fc.record({ tos: u8, metric: u16 });
const tosMetric24 = fc.record({ tos: u8, metric: u24 });
const externalTos = fc.record({
  tos: fc.integer({ min: 0, max: 0x7f }),
  type2: fc.boolean(),
  metric: u24,
  forwardingAddress: u32,
  routeTag: u32,
});

const TYPE_OF: Record<LsaBody["kind"], number> = {
  router: 1,
  network: 2,
  summary: 3,
  asbrSummary: 4,
  external: 5,
  nssa: 7,
  unknown: 10,
};

export const lsaBody: fc.Arbitrary<LsaBody> = fc.oneof(
  fc.record({
    kind: fc.constant("router" as const),
    flags: u8,
    links: fc.array(
      fc.record({
        linkId: u32,
        linkData: u32,
        type: fc.constantFrom<RouterLinkType>(1, 2, 3, 4),
        metric: u16,
        tos: fc.array(tosMetric, { maxLength: 2 }),
      }),
      { maxLength: 6 },
    ),
  }),
  fc.record({ kind: fc.constant("network" as const), mask: u32, attachedRouters: fc.array(u32, { maxLength: 6 }) }),
  fc.record({
    kind: fc.constantFrom("summary" as const, "asbrSummary" as const),
    mask: u32,
    metric: u24,
    tos: fc.array(tosMetric24, { maxLength: 2 }),
  }),
  fc.record({
    kind: fc.constantFrom("external" as const, "nssa" as const),
    mask: u32,
    type2: fc.boolean(),
    metric: u24,
    forwardingAddress: u32,
    routeTag: u32,
    tos: fc.array(externalTos, { maxLength: 2 }),
  }),
  fc.record({
    kind: fc.constant("unknown" as const),
    data: fc.integer({ min: 0, max: 8 }).chain((n) => fc.uint8Array({ minLength: n * 4, maxLength: n * 4 })),
  }),
);

export const lsa: fc.Arbitrary<Lsa> = fc
  .record({
    body: lsaBody,
    age: fc.integer({ min: 0, max: 3600 }),
    options: u8,
    linkStateId: u32,
    advertisingRouter: u32,
    sequence: i32,
    unknownType: fc.constantFrom(6, 8, 9, 10, 11),
  })
  .map(({ body, unknownType, ...h }) =>
    buildLsa({ header: { ...h, type: body.kind === "unknown" ? unknownType : TYPE_OF[body.kind] }, body }),
  );

export const lsaHeader: fc.Arbitrary<LsaHeader> = fc.record({
  age: u16,
  options: u8,
  type: u8,
  linkStateId: u32,
  advertisingRouter: u32,
  sequence: i32,
  checksum: u16,
  length: fc.integer({ min: 20, max: 0xffff }),
});

export const ospfBody: fc.Arbitrary<OspfBody> = fc.oneof(
  fc.record({
    type: fc.constant("hello" as const),
    networkMask: u32,
    helloInterval: u16,
    options: u8,
    priority: u8,
    deadInterval: u32,
    dr: u32,
    bdr: u32,
    neighbors: fc.array(u32, { maxLength: 8 }),
  }),
  fc.record({
    type: fc.constant("dbd" as const),
    mtu: u16,
    options: u8,
    flags: u8,
    sequence: u32,
    lsaHeaders: fc.array(lsaHeader, { maxLength: 5 }),
  }),
  fc.record({
    type: fc.constant("lsr" as const),
    requests: fc.array(fc.record({ type: u32, linkStateId: u32, advertisingRouter: u32 }), { maxLength: 5 }),
  }),
  fc.record({ type: fc.constant("lsu" as const), lsas: fc.array(lsa, { maxLength: 4 }) }),
  fc.record({ type: fc.constant("lsack" as const), lsaHeaders: fc.array(lsaHeader, { maxLength: 5 }) }),
);

export const ospfAuth: fc.Arbitrary<OspfAuth> = fc.oneof(
  fc.constant({ type: "null" as const }),
  fc.record({ type: fc.constant("simple" as const), password: fc.uint8Array({ minLength: 8, maxLength: 8 }) }),
  fc.record({ type: fc.constant("md5" as const), keyId: u8, sequence: u32 }),
);

export const ospfPacket: fc.Arbitrary<OspfPacket> = fc.record({
  routerId: u32,
  areaId: u32,
  auth: ospfAuth,
  body: ospfBody,
});

export const md5Key = fc.uint8Array({ minLength: 1, maxLength: 16 });
