// Per-interface rates from the stream: packets/s in and out between two
// updates (on the virtual clock), kept for the last HISTORY updates and drawn
// as small uPlot charts.

import uPlot from "uplot";
import type { Counters, Update } from "./lab-api.ts";

const HISTORY = 120;

/** One interface's rate history: virtual seconds, packets/s in, packets/s out. */
interface Series {
  t: number[];
  inPps: number[];
  outPps: number[];
  last: Counters;
  lastT: number;
}

/** Rates of every interface, fed by updates. */
export class CounterHistory {
  private readonly series = new Map<string, Series>();

  feed(u: Update): void {
    const t = u.timeNs / 1e9;
    for (const [device, list] of Object.entries(u.interfaces)) {
      for (const c of list) {
        const key = `${device}/${c.name}`;
        const s = this.series.get(key);
        if (s === undefined) {
          this.series.set(key, { t: [], inPps: [], outPps: [], last: c, lastT: t });
          continue;
        }
        const dt = t - s.lastT;
        if (dt <= 0) continue;
        s.t.push(t);
        s.inPps.push(Math.max(0, (c.inPackets - s.last.inPackets) / dt));
        s.outPps.push(Math.max(0, (c.outPackets - s.last.outPackets) / dt));
        if (s.t.length > HISTORY) {
          s.t.shift();
          s.inPps.shift();
          s.outPps.shift();
        }
        s.last = c;
        s.lastT = t;
      }
    }
  }

  get(device: string, ifc: string): Series | undefined {
    return this.series.get(`${device}/${ifc}`);
  }
}

/** A small chart of one interface's packets/s, redrawn by update(). */
export class InterfaceChart {
  private readonly plot: uPlot;
  constructor(
    parent: HTMLElement,
    private readonly history: CounterHistory,
    readonly device: string,
    readonly ifc: string,
  ) {
    this.plot = new uPlot(
      {
        width: 340,
        height: 90,
        legend: { show: true, live: false },
        cursor: { show: false },
        scales: { x: { time: false } },
        axes: [
          { size: 24, font: "10px sans-serif" },
          { size: 40, font: "10px sans-serif" },
        ],
        series: [
          { label: "s" },
          { label: "in pps", stroke: "#0969da", width: 1.5 },
          { label: "out pps", stroke: "#bc4c00", width: 1.5 },
        ],
      },
      this.data(),
      parent,
    );
  }

  private data(): uPlot.AlignedData {
    const s = this.history.get(this.device, this.ifc);
    return s === undefined ? [[], [], []] : [s.t, s.inPps, s.outPps];
  }

  update(): void {
    this.plot.setData(this.data());
  }

  destroy(): void {
    this.plot.destroy();
  }
}
