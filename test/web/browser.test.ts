// The dashboard page in headless Chromium (Debian's chromium, driven by
// playwright-core): the topology draws every device, a device's panel shows
// its crypto sessions, a link taken down turns red within a second, a device
// console in the page answers `show ip int brief`, `?` and Tab as the terminal
// console does, a capture's follow view lists its frames decoded and its
// download from the page decodes in tshark. Screenshots go to out/web/ (ignored) for a
// person to look at. Skipped, with the reason printed, only where chromium is
// not installed (.ci/run installs it).

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Core, EdgeSingular } from "cytoscape";
import { type Browser, chromium, type Page } from "playwright-core";
import { DashboardLab } from "../../src/web/dashboard-lab.ts";
import { type Dashboard, PAGE_DIR, serveDashboard } from "../../src/web/server.ts";
import { hasTshark, tsharkFields } from "../capture/pcap-read.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SHOTS = join(import.meta.dir, "..", "..", "out", "web");
const available = existsSync(CHROMIUM) && existsSync(join(PAGE_DIR, "index.html"));
if (!available)
  console.log(
    `browser tests skipped: ${existsSync(CHROMIUM) ? `the page is not built (${PAGE_DIR})` : `no chromium at ${CHROMIUM} (apt-get install chromium)`}`,
  );

/** What the page puts on window for scripts (web/page/main.ts). */
interface PageGlobals {
  wanlab: { cy: Core; consoles: Map<string, { text(): string }> };
}

interface Opened {
  lab: DashboardLab;
  dashboard: Dashboard;
  page: Page;
}

let browser: Browser;
const opened: Opened[] = [];

async function open(scenario: string, workers = 0): Promise<Opened> {
  const lab = await DashboardLab.start(scenario, { bootNs: 3e9, workers });
  const dashboard = serveDashboard(lab);
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
  const errors: string[] = [];
  page.on("pageerror", (e) => {
    console.log("pageerror:", e.message);
    errors.push(e.message);
  });
  await page.goto(dashboard.url);
  await page.waitForFunction(() => "wanlab" in globalThis);
  const o = { lab, dashboard, page };
  opened.push(o);
  expect(errors).toEqual([]);
  return o;
}

/** Clicks a topology element (`dev:R1`, `link:R1-R2`) where cytoscape drew it. */
async function clickElement(page: Page, id: string): Promise<void> {
  const at = await page.evaluate((id) => {
    const cy = (globalThis as unknown as PageGlobals).wanlab.cy;
    const e = cy.getElementById(id);
    const p = e.isNode() ? e.renderedPosition() : (e as unknown as EdgeSingular).renderedMidpoint();
    const r = cy.container()!.getBoundingClientRect();
    return { x: r.left + p.x, y: r.top + p.y };
  }, id);
  await page.mouse.click(at.x, at.y);
}

const edgeState = (page: Page, id: string) =>
  page.evaluate(
    (id) => (globalThis as unknown as PageGlobals).wanlab.cy.getElementById(id).data("state") as string,
    id,
  );

/** The text of the page's console on `device`. */
const consoleText = (page: Page, device: string) =>
  page.evaluate((device) => (globalThis as unknown as PageGlobals).wanlab.consoles.get(device)?.text() ?? "", device);

async function waitForConsole(page: Page, device: string, re: RegExp, timeout = 5000): Promise<string> {
  const end = performance.now() + timeout;
  for (;;) {
    const text = await consoleText(page, device);
    if (re.test(text)) return text;
    if (performance.now() > end) throw new Error(`console ${device} never showed ${re}; it shows:\n${text}`);
    await Bun.sleep(50);
  }
}

describe.skipIf(!available)("dashboard in chromium", () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  });
  afterAll(async () => {
    for (const o of opened) {
      o.dashboard.stop();
      o.lab.close();
    }
    await browser?.close();
  });

  for (const [scenario, devices] of [
    ["basic-ping", ["R1", "R2", "R3"]],
    ["ipsec-crypto-map", ["R10", "R3", "R5", "R6", "R7", "R8", "R9"]],
  ] as const) {
    test(`the topology of ${scenario} draws every device, its links green once polled`, async () => {
      const { page } = await open(scenario);
      const drawn = await page.evaluate(() =>
        (globalThis as unknown as PageGlobals).wanlab.cy
          .nodes("[device]")
          .map((n) => n.data("device") as string)
          .sort(),
      );
      expect(drawn).toEqual([...devices].sort());
      // Laid out: no two devices on top of each other.
      const boxes = await page.evaluate(() =>
        (globalThis as unknown as PageGlobals).wanlab.cy.nodes().map((n) => n.renderedPosition()),
      );
      for (let i = 0; i < boxes.length; i++)
        for (let j = i + 1; j < boxes.length; j++)
          expect(Math.hypot(boxes[i]!.x - boxes[j]!.x, boxes[i]!.y - boxes[j]!.y)).toBeGreaterThan(20);
      const states = await page.evaluate(() =>
        (globalThis as unknown as PageGlobals).wanlab.cy.edges().map((e) => e.data("state") as string),
      );
      expect(new Set(states)).toEqual(new Set(["up"]));
      await page.screenshot({ path: join(SHOTS, `${scenario}-topology.png`) });
    });
  }

  test("a device's panel runs its show commands (R7's crypto sessions in ipsec-crypto-map) and crashes it", async () => {
    const { page } = opened.find((o) => o.lab.topology.name === "ipsec-crypto-map")!;
    await clickElement(page, "dev:R7");
    await page.getByTestId("show-crypto-sessions").click();
    const shown = page.getByTestId("device-show");
    await shown.getByText("Peer: 10.0.58.8 port 500").first().waitFor({ timeout: 5000 });
    expect(await shown.textContent()).toStartWith("R7#show crypto session\nCrypto session current status");
    await page.screenshot({ path: join(SHOTS, "ipsec-crypto-map-R7.png") });
    await page.getByTestId("crash").click();
    await shown.getByText("% R7 crashed while running this command").waitFor({ timeout: 5000 });
  });

  test("taking a link down in the page turns it red within a second; up turns it green", async () => {
    const { page } = opened.find((o) => o.lab.topology.name === "basic-ping")!;
    await clickElement(page, "link:R1-R2");
    await page.getByTestId("link-down").click();
    const t0 = performance.now();
    await page.waitForFunction(
      () => (globalThis as unknown as PageGlobals).wanlab.cy.getElementById("link:R1-R2").data("state") === "down",
      undefined,
      { timeout: 1000, polling: 20 },
    );
    console.log(`link R1-R2 red after ${Math.round(performance.now() - t0)} ms`);
    expect(await edgeState(page, "link:R2-R3")).toBe("up");
    await page.screenshot({ path: join(SHOTS, "basic-ping-link-down.png") });
    await page.getByTestId("link-up").click();
    await page.waitForFunction(
      () => (globalThis as unknown as PageGlobals).wanlab.cy.getElementById("link:R1-R2").data("state") === "up",
      undefined,
      { timeout: 2000, polling: 20 },
    );
  });

  test("a link's latency set in the page reaches the lab's wire and is shown, and goes back", async () => {
    const { page, lab } = opened.find((o) => o.lab.topology.name === "basic-ping")!;
    await clickElement(page, "link:R2-R3");
    await page.getByTestId("link-latency").fill("30");
    await page.getByTestId("link-impair").click();
    await page.getByText("30 ms, 0% loss").waitFor({ timeout: 2000 });
    expect(lab.wire("R2-R3")!.latencyNs).toBe(30e6);
    await page.getByTestId("link-latency").fill("1");
    await page.getByTestId("link-impair").click();
    await page.getByText("1 ms, 0% loss").waitFor({ timeout: 2000 });
  });

  test("R1's console in the page: show ip int brief, ? help, Tab completion, Ctrl-C", async () => {
    const { page } = opened.find((o) => o.lab.topology.name === "basic-ping")!;
    await clickElement(page, "dev:R1");
    await page.getByTestId("open-console").click();
    await waitForConsole(page, "R1", /R1#$/m);
    await page.keyboard.type("show ip int brief\r");
    await waitForConsole(page, "R1", /Serial0\/0\s+10\.0\.12\.1\s+YES manual up\s+up[\s\S]*R1#$/);
    await page.keyboard.type("show ip ?");
    const help = await waitForConsole(
      page,
      "R1",
      /interface\s+IP interface status and configuration[\s\S]*R1#show ip $/,
    );
    expect(help).toContain("route");
    await page.keyboard.press("Control+U");
    await page.keyboard.type("conf\t");
    await waitForConsole(page, "R1", /R1#configure $/m);
    await page.keyboard.type("t\r");
    await waitForConsole(page, "R1", /R1\(config\)#$/m);
    await page.keyboard.press("Control+C");
    await waitForConsole(page, "R1", /R1\(config\)#\^C\n[\s\S]*R1#$/);
    await page.screenshot({ path: join(SHOTS, "basic-ping-console.png") });
  });

  test("Ctrl-C in the page stops a long ping on a lab run by a Worker (as `bun run web` runs it)", async () => {
    const { page } = await open("basic-ping", 1);
    await clickElement(page, "dev:R1");
    await page.getByTestId("open-console").click();
    await waitForConsole(page, "R1", /R1#$/m);
    await page.keyboard.type("ping 3.3.3.3 repeat 1000000 timeout 1\r");
    await waitForConsole(page, "R1", /!!!!!!!!!!/);
    await page.keyboard.press("Control+C");
    const text = await waitForConsole(page, "R1", /Success rate is 100 percent \((\d+)\/\1\)[\s\S]*R1#$/);
    const sent = Number(/Success rate is 100 percent \((\d+)\//.exec(text)![1]);
    expect(sent).toBeGreaterThan(10);
    expect(sent).toBeLessThan(1_000_000);
  });

  test("a capture started and stopped in the page downloads as a pcap that tshark decodes", async () => {
    const { page } = opened.find((o) => o.lab.topology.name === "basic-ping")!;
    await clickElement(page, "link:R2-R3");
    await page.getByTestId("capture-start").click();
    await page.getByTestId("capture-download").waitFor();
    await page.locator(".console .term").first().click();
    await page.keyboard.type("ping 3.3.3.3 repeat 3\r");
    await waitForConsole(page, "R1", /Success rate is 100 percent \(3\/3\)[\s\S]*R1#$/);
    // Frames reach the capture at the end of the lab's epoch (at most a virtual second).
    await Bun.sleep(1200);
    await page.getByTestId("capture-stop").click();
    await page.getByText("stopped, 6 frames").waitFor({ timeout: 2000 });
    // The follow view lists the frames, one decoded line each.
    const follow = page.getByTestId("follow");
    await follow.getByText("ICMP echo reply 3.3.3.3 > 10.0.12.1").last().waitFor({ timeout: 2000 });
    expect(
      (await follow.textContent())!
        .split("\n")
        .filter((l) => /ICMP echo request 10\.0\.12\.1 > 3\.3\.3\.3 id \d+ seq \d$/.test(l)).length,
    ).toBe(3);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("capture-download").click()]);
    const file = join(SHOTS, "R2-R3.pcap");
    await download.saveAs(file);
    await page.screenshot({ path: join(SHOTS, "basic-ping-capture.png") });
    if (!hasTshark) return;
    const rows = tsharkFields(file, ["icmp.type", "ip.src", "ip.dst"], { filter: "icmp" });
    expect(rows.filter((r) => r["icmp.type"] === "8" && r["ip.dst"] === "3.3.3.3").length).toBe(3);
    expect(rows.filter((r) => r["icmp.type"] === "0" && r["ip.src"] === "3.3.3.3").length).toBe(3);
  });
});
