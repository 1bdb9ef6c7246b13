// @ts-check
// The web UI's acceptance test in a real browser: playwright-core driving Debian's Chromium against a running
// Omnirag server. Run by src/test/java/dev/omnirag/server/UiE2EIT.java during `mvn verify`, or by hand:
//
//   OMNIRAG_URL=http://127.0.0.1:8080 node e2e/acceptance.mjs
//
// Environment: OMNIRAG_URL (required), OMNIRAG_KEY (an API key, entered in the key dialog first; leave it out for a
// server with authentication off), SCREENSHOTS (folder, default ../src/target/e2e-screenshots),
// SHARED (the project's shared/ folder, default ../../shared), CHROMIUM (default /usr/bin/chromium).
// Every step writes a screenshot; the process exits non-zero on the first failed check.
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const BASE = process.env.OMNIRAG_URL;
const KEY = process.env.OMNIRAG_KEY;
const SHOTS = resolve(process.env.SCREENSHOTS ?? join(here, "../../src/target/e2e-screenshots"));
const SHARED = resolve(process.env.SHARED ?? join(here, "../../../shared"));
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const QUESTION = "What speedup does TraceMonkey give for traceable programs?";
// Flags for Debian's Chromium on these machines (shared/notes/dependencies.md): no sandbox as root, and no
// background connections, which the closed network would refuse.
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
  "--disable-sync", "--no-first-run", "--disable-quic"];

if (!BASE) fail("set OMNIRAG_URL to the server's base URL");
if (!existsSync(CHROMIUM)) fail(`no browser at ${CHROMIUM}: install Debian's chromium (deploy/omnirag test does)`);
const tracemonkey = join(SHARED, "media/pdf/tracemonkey.pdf");
// A damaged PDF (broken cross-reference table) must fail with its reason. (scan-bad.pdf is now read by OCR.)
const scanned = join(SHARED, "media/bad/xref_command_missing.pdf");
for (const f of [tracemonkey, scanned]) if (!existsSync(f)) fail(`test file missing: ${f}`);
mkdirSync(SHOTS, { recursive: true });

let passed = 0;
const started = Date.now();
function fail(message) {
  console.error(`[e2e] FAILED: ${message}`);
  process.exit(1);
}
/** A tar archive (ustar, uncompressed) of text files, made here: the test needs no archive on disk. */
function tar(files) {
  const blocks = [];
  for (const f of files) {
    const body = Buffer.from(f.text, "utf8");
    const h = Buffer.alloc(512, 0);
    h.write(f.name, 0, 100, "utf8");
    h.write("0000644\0", 100);
    h.write("0000000\0", 108);
    h.write("0000000\0", 116);
    h.write(body.length.toString(8).padStart(11, "0") + "\0", 124);
    h.write(Math.floor(Date.now() / 1000).toString(8).padStart(11, "0") + "\0", 136);
    h.write("        ", 148);
    h.write("0", 156);
    h.write("ustar\0", 257);
    h.write("00", 263);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(sum.toString(8).padStart(6, "0") + "\0 ", 148);
    blocks.push(h, body, Buffer.alloc((512 - (body.length % 512)) % 512, 0));
  }
  blocks.push(Buffer.alloc(1024, 0));
  return Buffer.concat(blocks);
}

function check(condition, message) {
  if (!condition) throw new Error(message);
  passed++;
  console.log(`[e2e] ok ${passed}: ${message}`);
}

const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
const page = await context.newPage();
page.setDefaultTimeout(30_000);
const pageErrors = [];
page.on("pageerror", (e) => pageErrors.push(String(e)));
page.on("console", (m) => m.type() === "error" && console.log(`[e2e] browser console: ${m.text()}`));
let shot = 0;
async function screenshot(name) {
  const file = join(SHOTS, `${String(++shot).padStart(2, "0")}-${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  console.log(`[e2e] screenshot ${file}`);
}

const name = `e2e-papers-${Math.random().toString(36).slice(2, 8)}`;
try {
  // 0. With authentication on, the first call is refused and the key dialog opens; enter the key there.
  await page.goto(BASE + "/");
  if (KEY) {
    const dialog = page.getByRole("dialog", { name: "API key" });
    await dialog.waitFor();
    check(await dialog.getByText("needs an API key").isVisible(), "without a key the key dialog opens and says why");
    await dialog.getByLabel("Key").fill(KEY);
    await page.screenshot({ path: join(SHOTS, "00-api-key.png") });
    await dialog.getByRole("button", { name: "Save key" }).click();
    await dialog.waitFor({ state: "hidden" });
    await page.getByRole("button", { name: /^Key: / }).waitFor();
    check(true, "the key is accepted and the header names it");
  }

  // 1. The collections page; create a collection.
  await page.getByRole("heading", { name: "Collections", level: 1 }).waitFor();
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Description (optional)").fill("TraceMonkey and friends, made by the browser test");
  await page.getByRole("button", { name: "Create collection" }).click();
  await page.getByRole("heading", { name, level: 1 }).waitFor();
  check(page.url().includes("/documents"), "a new collection opens on its documents");
  await page.goto(BASE + "/#/");
  await page.locator(".collection-card", { hasText: name }).waitFor();
  await page.locator(".collection-card", { hasText: name }).getByText("0 documents").waitFor();
  check(true, "the collection list shows the new collection");
  await screenshot("collection-list");

  // 2. Upload two files at once: live progress, then done for the paper and a reason for the scan.
  await page.locator(".collection-card", { hasText: name }).getByRole("link", { name: "Documents" }).click();
  await page.getByRole("button", { name: "Choose files…" }).waitFor();
  await page.locator("#file-input").setInputFiles([tracemonkey, scanned]);
  const paper = page.locator('li.upload[data-name="tracemonkey.pdf"]').first();
  // Wait until the embedding step reports its count, so the screenshot shows a bar part way along.
  await paper.locator(".upload-message", { hasText: /embedded \d+ of \d+ chunks/ }).waitFor({ timeout: 120_000 });
  await paper.getByRole("progressbar").waitFor();
  const progressText = await paper.locator(".upload-message").textContent();
  check(true, `upload shows live progress from the job's events ("${progressText}")`);
  await screenshot("upload-in-progress");
  await paper.and(page.locator('[data-phase="done"]')).waitFor({ timeout: 180_000 });
  check(/indexed \d+ chunks/.test((await paper.locator(".upload-message").textContent()) ?? ""), "the paper is indexed");
  const scan = page.locator('li.upload[data-name="xref_command_missing.pdf"]').first();
  await scan.and(page.locator('[data-phase="failed"]')).waitFor({ timeout: 120_000 });
  const reason = (await scan.locator(".upload-message").textContent()) ?? "";
  check(/PDF|text/.test(reason) && !/^ingestion failed$/.test(reason), `the damaged PDF fails with its reason ("${reason}")`);
  const row = page.locator("table.docs tbody tr", { hasText: "tracemonkey.pdf" });
  await row.and(page.locator('[data-status="ready"]')).waitFor({ timeout: 30_000 });
  const chunks = Number(await row.locator('td[data-label="Chunks"]').textContent());
  check(chunks > 20, `the document table lists tracemonkey.pdf as ready with ${chunks} chunks`);
  // The same file again is reported as a duplicate.
  await page.locator("#file-input").setInputFiles([tracemonkey]);
  await page.locator('li.upload[data-name="tracemonkey.pdf"][data-phase="duplicate"]').waitFor({ timeout: 60_000 });
  check(true, "uploading the same file again says duplicate");
  // An archive is imported file by file, with one aggregate progress.
  const notes = tar([
    { name: "notes/flutter.txt", text: "Panel flutter grows with dynamic pressure until the panel oscillates." },
    { name: "notes/heat.txt", text: "Stagnation point heat transfer on a blunt body falls as the nose radius grows." },
    { name: "notes/../escape.txt", text: "an entry that climbs out of the archive" },
  ]);
  await page.locator("#file-input").setInputFiles([{ name: "notes.tar", mimeType: "application/x-tar", buffer: notes }]);
  const archive = page.locator('li.import[data-name="notes.tar"]');
  await archive.and(page.locator('[data-status="done"]')).waitFor({ timeout: 120_000 });
  const archiveText = (await archive.locator(".upload-message").textContent()) ?? "";
  check(/done: 2 files ready/.test(archiveText) && /1 skipped/.test(archiveText),
    `the archive import ends with its files ready and the unsafe entry skipped ("${archiveText}")`);
  await page.locator("table.docs tbody tr", { hasText: "notes/flutter.txt" }).and(page.locator('[data-status="ready"]'))
    .waitFor({ timeout: 30_000 });
  check(true, "the archive's files are listed as documents by their path in the archive");
  await screenshot("documents");

  // 3. Chat: the answer streams in with citation chips.
  await page.getByRole("link", { name: "Chat", exact: true }).click();
  let askContentType = "";
  page.on("response", (r) => {
    if (r.url().endsWith("/ask")) askContentType = r.headers()["content-type"] ?? "";
  });
  await page.getByLabel("Question").fill(QUESTION);
  await page.getByLabel("Question").press("Enter");
  const answer = page.locator(".answer").last();
  await answer.and(page.locator('[data-status="done"]')).waitFor({ timeout: 120_000 });
  check(askContentType.startsWith("text/event-stream"), "the answer arrived as a server-sent event stream");
  const answerText = (await answer.locator(".answer-text").textContent()) ?? "";
  check(answerText.includes("2x-20x"), "the answer quotes the 2x-20x speedup");
  const chipCount = await answer.locator("button.chip").count();
  check(chipCount >= 1, `the answer has ${chipCount} citation chip(s)`);
  await screenshot("chat-answer");

  // 4. The chip after the 2x-20x sentence opens the cited page with the quote highlighted.
  const chipIndex = await answer.locator(".answer-text").evaluate((el) => {
    // The first chip with the 2x-20x sentence before it (the answer is Markdown: chips sit inside paragraphs).
    const chips = Array.from(el.querySelectorAll("button.chip"));
    return chips.findIndex((c) => {
      const r = document.createRange();
      r.setStart(el, 0);
      r.setEndBefore(c);
      return r.toString().includes("2x-20x");
    });
  });
  check(chipIndex >= 0, "a citation chip follows the 2x-20x sentence");
  const chip = answer.locator("button.chip").nth(chipIndex);
  const label = (await chip.getAttribute("aria-label")) ?? "";
  const citedPage = Number(/p\. (\d+)/.exec(label)?.[1]);
  check(Number.isInteger(citedPage), `the chip names its page (${label})`);
  const generator = (await answer.locator(".answer-actions").textContent()) ?? "";
  if (generator.includes("extractive")) {
    // The extractive generator cites the abstract's "2x-20x speedup" sentence, which is on page 2 of the PDF.
    check(citedPage === 2, "the extractive answer cites page 2, where the 2x-20x sentence is");
  }
  await chip.click();
  const panel = page.locator("aside.source");
  await panel.waitFor();
  const img = panel.locator(".page-frame img");
  await img.waitFor();
  await page.waitForFunction((el) => el instanceof HTMLImageElement && el.complete && el.naturalWidth > 0, await img.elementHandle());
  // data-src: the page's URL (src is a blob: URL when the UI fetched the image with the API key).
  check((await img.getAttribute("data-src"))?.endsWith(`/pages/${citedPage}.png`) === true, `the panel shows page ${citedPage} as an image`);
  check((await panel.locator(".pager").textContent())?.includes(`Page ${citedPage} of 14`) === true, "the panel says which page of 14");
  await panel.getByText(`The quoted passage is highlighted on page ${citedPage}.`).waitFor();
  const boxes = await panel.locator(".highlight-box").count();
  check(boxes >= 1, `the quote is highlighted on the page image (${boxes} line box(es))`);
  check(((await panel.locator("blockquote mark").textContent()) ?? "").includes("2x-20x"), "the panel shows the quoted passage");
  await screenshot("source-panel-highlighted-page");
  // Zoomed in, the highlighted lines stay in view and are readable.
  await panel.getByRole("button", { name: "Zoom in" }).click();
  await panel.getByRole("button", { name: "Zoom in" }).click();
  await panel.getByText("200%").waitFor();
  const inView = await panel.locator(".page-scroll").evaluate((view) => {
    const box = /** @type {HTMLElement} */ (view.querySelector(".highlight-box")).getBoundingClientRect();
    const v = view.getBoundingClientRect();
    return box.top >= v.top && box.bottom <= v.bottom;
  });
  check(inView, "at 200% the highlighted passage is scrolled into view");
  await screenshot("source-panel-zoomed");

  // Keyboard: Escape closes the panel and gives the focus back to the chip.
  await page.keyboard.press("Escape");
  await panel.waitFor({ state: "detached" });
  check(await chip.evaluate((el) => el === document.activeElement), "Escape closes the panel and focus returns to the chip");

  // A follow-up question stays in the same conversation.
  await page.getByLabel("Question").fill("How are nested loops handled?");
  await page.getByRole("button", { name: "Ask", exact: true }).click();
  await page.locator('.answer[data-status="done"]').nth(1).waitFor({ timeout: 120_000 });
  check((await page.locator("article.turn").count()) === 2, "a follow-up question keeps the conversation");

  // 5. Search: results with score and locator; a click opens the source.
  await page.getByRole("link", { name: "Search", exact: true }).click();
  await page.getByLabel("Query").fill("nested trace trees");
  await page.getByLabel("Mode").selectOption("keyword");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  const results = page.locator("ol.results li");
  await results.first().waitFor();
  check((await results.count()) >= 3, `search lists ${await results.count()} results`);
  check(/p\. \d+/.test((await results.first().textContent()) ?? ""), "results show their page");
  await results.first().locator("button.result-open").click();
  await page.locator("aside.source").getByText(/highlighted on page \d+|could not be located/).waitFor();
  await page.waitForFunction(() => {
    const img = document.querySelector("aside.source .page-frame img");
    return img instanceof HTMLImageElement && img.complete && img.naturalWidth > 0;
  });
  await screenshot("search-with-source");
  await page.getByRole("button", { name: "Close source panel" }).click();

  // 6. A narrow phone-sized screen.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByRole("link", { name: "Chat", exact: true }).click();
  await page.locator('.answer[data-status="done"]').first().waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  check(overflow <= 1, `nothing overflows sideways at 390 px (${overflow})`);
  await screenshot("narrow-chat");
  await page.locator(".answer").first().locator("button.chip").first().click();
  await page.locator("aside.source").getByText(/highlighted on page \d+/).waitFor();
  await page.waitForFunction(() => {
    const img = document.querySelector("aside.source .page-frame img");
    return img instanceof HTMLImageElement && img.complete && img.naturalWidth > 0 && document.querySelector(".highlight-box");
  });
  await screenshot("narrow-source-panel");
  await page.keyboard.press("Escape");
  await page.setViewportSize({ width: 1280, height: 800 });

  // 7. Rename, then delete with confirmation.
  await page.getByRole("button", { name: "Rename", exact: true }).click();
  const renamed = name + "-renamed";
  await page.getByRole("form", { name: "Rename collection" }).getByLabel("Name").fill(renamed);
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByRole("heading", { name: renamed, level: 1 }).waitFor();
  check(true, "the collection is renamed");
  await page.getByRole("button", { name: "Delete", exact: true }).click();
  const dialog = page.getByRole("dialog");
  // The paper, the damaged scan and the two files of the imported archive.
  await dialog.getByText("and its 4 documents").waitFor();
  await screenshot("delete-confirmation");
  await dialog.getByRole("button", { name: "Delete collection" }).click();
  await page.getByRole("heading", { name: "Collections", level: 1 }).waitFor();
  await page.locator(".collection-card", { hasText: renamed }).waitFor({ state: "detached" });
  const gone = await page.request
    .get(`${BASE}/v1/collections`, { headers: KEY ? { Authorization: `Bearer ${KEY}` } : {} })
    .then((r) => r.json());
  check(!gone.collections.some((c) => c.name === renamed), "the collection is deleted");
  await screenshot("after-delete");

  check(pageErrors.length === 0, `no uncaught errors in the page${pageErrors.length ? ": " + pageErrors.join("; ") : ""}`);
} catch (e) {
  await screenshot("failure").catch(() => undefined);
  console.error(`[e2e] ${passed} passed, 1 failed`);
  fail(e instanceof Error ? e.stack ?? e.message : String(e));
} finally {
  await browser.close();
}
console.log(`[e2e] ${passed} passed, 0 failed in ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${SHOTS}`);
