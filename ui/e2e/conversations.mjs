// @ts-check
// Conversations in a real browser (issue 12): a follow-up uses the conversation, a conversation survives a reload,
// an upload and an answer go on when the person switches tabs, answers render Markdown, the list of chats
// (new, rename, search, delete), thumbs up, dark mode and a phone. Run by UiE2EIT after acceptance.mjs, or by hand:
//
//   OMNIRAG_URL=http://127.0.0.1:8080 OMNIRAG_KEY=… node e2e/conversations.mjs
//
// Environment as for acceptance.mjs. Screenshots: 30-… onwards in SCREENSHOTS.
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
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
  "--disable-sync", "--no-first-run", "--disable-quic"];
const AUTH = KEY ? { Authorization: `Bearer ${KEY}` } : {};

// Two small documents; the follow-up names nothing, the first question (Kennedy, the Moon) names the first one.
const MOON = `# Rice University, 1962

In September 1962 President Kennedy spoke at Rice University: **we choose to go to the Moon** in this decade.
He explained that the United States would do it not because it is easy but because it is hard.
The goal would serve to organize and measure the best of the nation's energies and skills.
`;
const CROWD = `# Saturday at the stadium

The crowd at the football stadium cheered loudly for the home team and sang songs until the final whistle.
Vendors sold lemonade and roasted peanuts to the people in the stands.
`;
const FIRST = "What did Kennedy say about going to the Moon?";
const FOLLOW_UP = "Why would they do it?";

if (!BASE) fail("set OMNIRAG_URL to the server's base URL");
if (!existsSync(CHROMIUM)) fail(`no browser at ${CHROMIUM}`);
const paper = join(SHARED, "media/pdf/tracemonkey.pdf");
if (!existsSync(paper)) fail(`test file missing: ${paper}`);
mkdirSync(SHOTS, { recursive: true });

let passed = 0;
const started = Date.now();
function fail(message) {
  console.error(`[e2e] FAILED: ${message}`);
  process.exit(1);
}
function check(condition, message) {
  if (!condition) throw new Error(message);
  passed++;
  console.log(`[e2e] ok ${passed}: ${message}`);
}

/** The server's JSON API, with the key. */
async function apiCall(method, path, body) {
  const res = await fetch(BASE + path, {
    method,
    headers: { ...AUTH, ...(body instanceof FormData ? {} : { "Content-Type": "application/json" }), Accept: "application/json" },
    body: body instanceof FormData ? body : body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${await res.text()}`);
  return res.status === 204 ? null : res.json();
}

async function uploadText(collectionId, filename, text) {
  const form = new FormData();
  form.append("file", new Blob([text], { type: "text/markdown" }), filename);
  const r = await apiCall("POST", `/v1/collections/${collectionId}/documents`, form);
  for (let i = 0; i < 600; i++) {
    const job = await apiCall("GET", `/v1/jobs/${r.jobId}`);
    if (job.status === "succeeded") return;
    if (job.status === "failed") throw new Error(`${filename}: ${job.error}`);
    await new Promise((ok) => setTimeout(ok, 200));
  }
  throw new Error(`${filename} was not indexed within 2 minutes`);
}

const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
let shot = 30;
async function screenshot(page, name) {
  const file = join(SHOTS, `${String(++shot).padStart(2, "0")}-${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  console.log(`[e2e] screenshot ${file}`);
}
/** A page with the key already stored (as "remember on this device" leaves it). */
async function newPage(options = {}, open = null) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, ...options });
  // The conversation to reopen, as a reload would (the UI keeps the open one per collection in localStorage).
  if (open) await context.addInitScript((o) => localStorage.setItem(o.key, o.value), open);
  if (KEY) {
    await context.addInitScript((k) => {
      localStorage.setItem("omnirag.apiKey.v1", k);
      localStorage.setItem("omnirag.apiKey.remembered", "1");
    }, KEY);
  }
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  return page;
}
const pageErrors = [];
async function askInUi(page, question) {
  const before = await page.locator("article.turn").count();
  await page.getByLabel("Question").fill(question);
  await page.getByLabel("Question").press("Enter");
  await page.locator("article.turn").nth(before).locator('.answer[data-status="done"]').waitFor({ timeout: 120_000 });
  return page.locator("article.turn").nth(before).locator(".answer");
}
async function citedFiles(answer) {
  const labels = await answer.locator("button.chip").evaluateAll((els) => els.map((e) => e.getAttribute("aria-label") ?? ""));
  return labels.map((l) => /^Source \d+: (\S+)/.exec(l)?.[1] ?? "");
}

const collection = await apiCall("POST", "/v1/collections", { name: `e2e-chats-${Math.random().toString(36).slice(2, 8)}` });
const chatUrl = `${BASE}/#/c/${collection.id}/chat`;
try {
  await uploadText(collection.id, "moon.md", MOON);
  await uploadText(collection.id, "crowd.md", CROWD);
  const page = await newPage();
  await page.goto(chatUrl);
  await page.getByLabel("Question").waitFor();

  // 1. A follow-up uses the conversation: the UI asks it in the conversation, and it is answered from the Moon speech.
  const alone = await apiCall("POST", `/v1/collections/${collection.id}/ask`, { question: FOLLOW_UP });
  console.log(`[e2e] asked alone, the follow-up cites: ${alone.citations.map((c) => c.filename).join(", ") || "nothing"}`);
  const asked = [];
  page.on("request", (r) => {
    if (r.url().endsWith("/ask") && r.method() === "POST") asked.push(JSON.parse(r.postData() ?? "{}"));
  });
  const first = await askInUi(page, FIRST);
  check((await citedFiles(first)).includes("moon.md"), "the first question is answered from the Moon speech");
  const followUp = await askInUi(page, FOLLOW_UP);
  check(asked.length === 2 && typeof asked[1].conversationId === "string" && asked[1].conversationId === asked[0].conversationId,
    "both questions are asked in the same saved conversation");
  const files = await citedFiles(followUp);
  check(files.length > 0 && files[0] === "moon.md", `in the conversation the follow-up is answered from the Moon speech (${files.join(", ")})`);
  await screenshot(page, "follow-up");

  // 2. Markdown is rendered, not shown as asterisks.
  check(await first.locator(".answer-text strong").count() >= 1, "**bold** in the answer is rendered bold");
  check(!(((await first.locator(".answer-text").textContent()) ?? "").includes("**")), "no literal ** in the answer");

  // 3. Thumbs up on an answer, kept by the server.
  await followUp.getByRole("button", { name: "Good answer" }).click();
  await page.waitForFunction(() => document.querySelector('.answer:last-of-type [aria-label="Good answer"]') !== null);
  check((await followUp.getByRole("button", { name: "Good answer" }).getAttribute("aria-pressed")) === "true", "thumbs up is shown as chosen");

  // 4. The conversation persists over a reload: both turns, their citations and the rating come back.
  await page.waitForTimeout(300);
  await page.reload();
  await page.locator("article.turn").nth(1).locator('.answer[data-status="done"]').waitFor();
  check((await page.locator("article.turn").count()) === 2, "after a reload the conversation is open again with its two turns");
  check((await citedFiles(page.locator(".answer").nth(1)))[0] === "moon.md", "the reopened answer keeps its citations");
  check((await page.locator(".answer").nth(1).getByRole("button", { name: "Good answer" }).getAttribute("aria-pressed")) === "true",
    "the rating is kept");
  const list = page.locator(".conversation-list li");
  check((await list.first().textContent())?.includes(FIRST.slice(0, 20)) === true, "the chat list names the conversation by its first question");
  await screenshot(page, "conversation-after-reload");

  // 5. An answer goes on when the person switches tabs while it is being written.
  await page.getByLabel("Question").fill("Why did he say they would do it?");
  await page.getByLabel("Question").press("Enter");
  await page.getByRole("link", { name: "Documents", exact: true }).click();
  await page.getByRole("heading", { name: "Documents", level: 2 }).waitFor();
  await page.getByRole("link", { name: "Chat", exact: true }).click();
  await page.locator("article.turn").nth(2).locator('.answer[data-status="done"]').waitFor({ timeout: 120_000 });
  const third = (await page.locator("article.turn").nth(2).locator(".answer-text").textContent()) ?? "";
  check(third.length > 0 && !third.includes("Stopped"), "the answer written while away is complete when the person comes back");
  const conversationId = await page.evaluate((id) => localStorage.getItem("omnirag.conversation." + id), collection.id);
  const reopen = { key: "omnirag.conversation." + collection.id, value: conversationId };
  const saved = await apiCall("GET", `/v1/conversations/${conversationId}`);
  check(saved.turns.length === 3, "the server saved the answer written while away as the third turn");

  // 6. New chat keeps the old one in the list; rename it; search by title; delete with confirmation.
  await page.locator(".conversations").getByRole("button", { name: "New chat" }).click();
  check((await page.locator("article.turn").count()) === 0, "New chat starts empty");
  await askInUi(page, "What did the vendors sell?");
  await page.locator(".conversation-list li").nth(1).waitFor();
  check((await page.locator(".conversation-list li").count()) === 2, "the old conversation stays in the list");
  await page.getByRole("button", { name: `Rename ${FIRST}` }).click();
  await page.getByLabel("Title", { exact: true }).fill("Moon speech");
  await page.getByLabel("Title", { exact: true }).press("Enter");
  await page.locator(".conversation-list li", { hasText: "Moon speech" }).waitFor();
  check(true, "a conversation is renamed in place");
  await page.getByLabel("Search chats by title").fill("moon");
  await page.waitForFunction(() => document.querySelectorAll(".conversation-list li").length === 1);
  check(((await page.locator(".conversation-list li").textContent()) ?? "").includes("Moon speech"), "searching by title finds it");
  await page.getByLabel("Search chats by title").fill("");
  await page.waitForFunction(() => document.querySelectorAll(".conversation-list li").length === 2);
  await page.getByRole("button", { name: "Delete What did the vendors sell?" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByText("cannot be undone").waitFor();
  await screenshot(page, "delete-chat-confirmation");
  await dialog.getByRole("button", { name: "Delete chat" }).click();
  await page.waitForFunction(() => document.querySelectorAll(".conversation-list li").length === 1);
  check(true, "a chat is deleted after confirmation");

  // 7. An upload goes on when the person leaves the Documents tab: the tray shows it, and it is indexed.
  await page.getByRole("link", { name: "Documents", exact: true }).click();
  await page.locator("#file-input").setInputFiles([paper]);
  await page.locator('li.upload[data-name="tracemonkey.pdf"]').waitFor();
  await page.getByRole("link", { name: "Chat", exact: true }).click();
  const tray = page.locator('.upload-tray li.tray-upload[data-name="tracemonkey.pdf"]');
  await tray.waitFor();
  check(true, "away from Documents, the upload tray shows the file");
  await screenshot(page, "upload-tray");
  // Done, it leaves the tray (the Documents tab lists the outcome).
  await tray.waitFor({ state: "detached", timeout: 180_000 });
  const docs = await apiCall("GET", `/v1/collections/${collection.id}/documents`);
  check(docs.documents.some((d) => d.filename === "tracemonkey.pdf" && d.status === "ready"),
    "the upload started on Documents finished while the person was in Chat");

  // 8. Dark mode follows the system.
  await page.locator(".conversation-open", { hasText: "Moon speech" }).click();
  await page.locator("article.turn").first().locator('.answer[data-status="done"]').waitFor();
  const dark = await newPage({ colorScheme: "dark" }, reopen);
  await dark.goto(chatUrl);
  await dark.locator('.answer[data-status="done"]').first().waitFor();
  const background = await dark.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  const luminance = await dark.evaluate(() => {
    const m = /rgb\((\d+), (\d+), (\d+)/.exec(getComputedStyle(document.documentElement).backgroundColor) ?? [];
    return (Number(m[1]) + Number(m[2]) + Number(m[3])) / 3;
  });
  check(luminance < 60, `with a dark system theme the page is dark (${background})`);
  await screenshot(dark, "dark-mode-chat");

  // 9. A phone: the collections strip stays short, chips are at least 24 px, the question box is compact.
  const phone = await newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }, reopen);
  await phone.goto(chatUrl);
  await phone.locator('.answer[data-status="done"]').first().waitFor();
  const strip = await phone.locator("aside.sidebar").boundingBox();
  check(strip !== null && strip.height <= 60, `the collections strip is at most 60 px high (${strip?.height})`);
  const chip = await phone.locator(".answer button.chip").first().boundingBox();
  check(chip !== null && chip.height >= 24 && chip.width >= 24, `citation chips are touch targets of at least 24 px (${chip?.width}×${chip?.height})`);
  const composer = await phone.locator("form.composer").boundingBox();
  check(composer !== null && composer.height <= 130, `the question box is compact (${composer?.height} px)`);
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  check(overflow <= 1, `nothing overflows sideways on the phone (${overflow})`);
  await screenshot(phone, "phone-chat");
  await phone.getByRole("link", { name: "Documents", exact: true }).click();
  await phone.locator("table.docs").waitFor();
  await screenshot(phone, "phone-documents");

  check(pageErrors.length === 0, `no uncaught errors in the pages${pageErrors.length ? ": " + pageErrors.join("; ") : ""}`);
} catch (e) {
  console.error(`[e2e] ${passed} passed, 1 failed`);
  fail(e instanceof Error ? e.stack ?? e.message : String(e));
} finally {
  await apiCall("DELETE", `/v1/collections/${collection.id}`).catch(() => undefined);
  await browser.close();
}
console.log(`[e2e] ${passed} passed, 0 failed in ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${SHOTS}`);
