// @ts-check
// Stored XSS through an uploaded file cannot take the viewer's API key (docs/security.md). A writer uploads
// memo.html, whose script looks for the key in the page's storage and puts it in the document title; a reader
// opens the memo's source in the UI and asks for the original file. Passes when no page ever holds the key (the
// UI downloads originals and never opens them at its origin), the key is not in localStorage unless remembered,
// and the server sends originals sandboxed (CSP sandbox, nosniff, active types as attachments).
//
//   OMNIRAG_URL=http://127.0.0.1:8080 OMNIRAG_KEY=omr_... node e2e/stored-xss.mjs
//
// Run by src/test/java/dev/omnirag/server/UiE2EIT.java after acceptance.mjs.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const BASE = process.env.OMNIRAG_URL;
const KEY = process.env.OMNIRAG_KEY;
const SHOTS = resolve(process.env.SCREENSHOTS ?? join(here, "../../src/target/e2e-screenshots"));
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
  "--disable-sync", "--no-first-run", "--disable-quic"];

let passed = 0;
function fail(message) {
  console.error(`[xss] FAILED: ${message}`);
  process.exit(1);
}
function check(condition, message) {
  if (!condition) throw new Error(message);
  passed++;
  console.log(`[xss] ok ${passed}: ${message}`);
}
if (!BASE || !KEY) fail("set OMNIRAG_URL and OMNIRAG_KEY (a server with authentication on)");
mkdirSync(SHOTS, { recursive: true });

// The memo: any script that runs with the UI's origin finds the key and shows it in the title.
const MEMO = `<!doctype html><html><head><title>Quarterly memo</title></head><body>
<h1>Quarterly memo</h1><p>The zeppelin budget for the heliotrope project doubles next quarter.</p>
<script>
  let found = "none";
  try {
    for (const s of [localStorage, sessionStorage]) {
      for (let i = 0; i < s.length; i++) { const v = s.getItem(s.key(i)); if (v && v.startsWith("omr_")) found = v; }
    }
    document.title = "STOLEN:" + found;
  } catch (e) { document.title = "BLOCKED:" + e.name; }
</script></body></html>`;
const dir = mkdtempSync(join(tmpdir(), "omnirag-xss-"));
const memoFile = join(dir, "memo.html");
writeFileSync(memoFile, MEMO);

const auth = { Authorization: `Bearer ${KEY}` };
const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
const page = await context.newPage();
page.setDefaultTimeout(30_000);
const titles = [];
context.on("page", (p) => p.on("load", async () => titles.push(await p.title().catch(() => ""))));
const collection = `xss-${Math.random().toString(36).slice(2, 8)}`;
let collectionId = null;
try {
  // The writer's upload, through the API.
  const created = await page.request.post(`${BASE}/v1/collections`, { headers: auth, data: { name: collection } });
  check(created.status() === 201, "a collection for the memo is created");
  collectionId = (await created.json()).id;
  const upload = await page.request.post(`${BASE}/v1/collections/${collectionId}/documents`, {
    headers: auth,
    multipart: { file: { name: "memo.html", mimeType: "text/html", buffer: Buffer.from(MEMO) } },
  });
  check(upload.status() === 202, "memo.html is accepted");
  const { jobId, documentId } = await upload.json();
  for (let i = 0; i < 240; i++) {
    const job = await (await page.request.get(`${BASE}/v1/jobs/${jobId}`, { headers: auth })).json();
    if (job.status === "succeeded") break;
    if (job.status === "failed") fail(`memo.html failed to ingest: ${job.error}`);
    await page.waitForTimeout(250);
  }

  // The server sends the original sandboxed, as an attachment, never sniffed.
  const original = await page.request.get(`${BASE}/v1/documents/${documentId}/content`, { headers: auth });
  const h = original.headers();
  check(/sandbox/.test(h["content-security-policy"] ?? "") && /default-src 'none'/.test(h["content-security-policy"] ?? ""),
    `the original comes with Content-Security-Policy "${h["content-security-policy"]}"`);
  check(h["x-content-type-options"] === "nosniff", "and X-Content-Type-Options: nosniff");
  check((h["content-disposition"] ?? "").startsWith("attachment"), `an HTML original is an attachment (${h["content-disposition"]})`);

  // The reader enters the key (not remembered) and opens the memo's source from a search.
  await page.goto(BASE + "/");
  const dialog = page.getByRole("dialog", { name: "API key" });
  await dialog.waitFor();
  await dialog.getByLabel("Key").fill(KEY);
  check(!(await dialog.getByLabel("Remember on this device").isChecked()), "remembering the key is not the default");
  await dialog.getByRole("button", { name: "Save key" }).click();
  await dialog.waitFor({ state: "hidden" });
  check(await page.evaluate(() => localStorage.getItem("omnirag.apiKey.v1")) === null, "the key is not in localStorage");
  await page.goto(`${BASE}/#/c/${collectionId}/search`);
  await page.getByLabel("Query").fill("zeppelin budget heliotrope");
  await page.getByLabel("Mode").selectOption("keyword");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await page.locator("ol.results li").first().locator("button.result-open").click();
  const panel = page.locator("aside.source");
  const link = panel.getByRole("link", { name: "Download the original file" });
  await link.waitFor();
  const pagesBefore = context.pages().length;
  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  check(download.suggestedFilename() === "memo.html", `the original is downloaded as ${download.suggestedFilename()}`);
  await page.waitForTimeout(1000);
  check(context.pages().length === pagesBefore, "no tab opened the uploaded file");
  await page.screenshot({ path: join(SHOTS, "xss-download.png") });

  // Whatever a browser does with the memo at its own address (a link someone shares), the script gets no key:
  // rendered under the server's policy it runs in a unique origin with no storage.
  const viewer = await context.newPage();
  await viewer.route(`${BASE}/memo-as-served`, async (route) => {
    await route.fulfill({ status: 200, headers: { ...h, "content-disposition": "inline" }, body: await original.body() });
  });
  await viewer.goto(`${BASE}/memo-as-served`);
  const viewerTitle = await viewer.title();
  check(viewerTitle.startsWith("BLOCKED:") || viewerTitle === "STOLEN:none" || viewerTitle === "Quarterly memo",
    `rendered inline under the server's policy, the memo's script reads no key (title "${viewerTitle}")`);
  await viewer.close();

  const all = [...titles, await page.title()];
  check(!all.some((t) => t.includes(KEY)), "no page ever held the key");
} catch (e) {
  await page.screenshot({ path: join(SHOTS, "xss-failure.png") }).catch(() => undefined);
  console.error(`[xss] ${passed} passed, 1 failed`);
  fail(e instanceof Error ? e.stack ?? e.message : String(e));
} finally {
  if (collectionId) await page.request.delete(`${BASE}/v1/collections/${collectionId}`, { headers: auth }).catch(() => undefined);
  await browser.close();
}
console.log(`[xss] ${passed} passed, 0 failed`);
