import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { authedFetch, getKey, isRemembered, onUnauthorized, setKey, withKey } from "../src/auth";

const KEY = "omr_" + "A".repeat(43);

function fakeFetch(status: number, body: unknown) {
  const calls: { url: string; init: RequestInit }[] = [];
  vi.stubGlobal("fetch", async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/problem+json" } });
  });
  return calls;
}

afterEach(() => {
  vi.unstubAllGlobals();
  setKey(null);
});

describe("the API key", () => {
  it("is stored trimmed and sent as a Bearer header", async () => {
    setKey(`  ${KEY}\n`);
    expect(getKey()).toBe(KEY);
    expect(withKey({ Accept: "application/json" })).toEqual({ Accept: "application/json", Authorization: `Bearer ${KEY}` });
    const calls = fakeFetch(200, {});
    await authedFetch("/v1/collections", { headers: { Accept: "application/json" } });
    expect((calls[0].init.headers as Record<string, string>).Authorization).toBe(`Bearer ${KEY}`);
  });

  it("is not sent once forgotten", async () => {
    setKey(KEY);
    setKey("");
    expect(getKey()).toBeNull();
    const calls = fakeFetch(200, {});
    await authedFetch("/v1/collections");
    expect(calls[0].init.headers).toEqual({});
  });

  it("refused by the server opens the key dialog with the server's reason", async () => {
    setKey(KEY);
    const messages: string[] = [];
    const stop = onUnauthorized((m) => messages.push(m));
    fakeFetch(401, { status: 401, detail: "this API key was revoked" });
    const res = await authedFetch("/v1/collections");
    stop();
    expect(res.status).toBe(401);
    expect(messages).toEqual(["The server refused the stored API key (this API key was revoked). Enter another key."]);
  });

  it("missing asks for one", async () => {
    const messages: string[] = [];
    const stop = onUnauthorized((m) => messages.push(m));
    fakeFetch(401, { status: 401, detail: "this endpoint needs an API key" });
    await authedFetch("/v1/collections");
    stop();
    expect(messages[0]).toContain("needs an API key");
  });
});

/** A Storage in memory (vitest runs in Node, which has no web storage). */
class MemoryStorage {
  private items = new Map<string, string>();
  getItem(k: string) { return this.items.get(k) ?? null; }
  setItem(k: string, v: string) { this.items.set(k, String(v)); }
  removeItem(k: string) { this.items.delete(k); }
  clear() { this.items.clear(); }
}

describe("where the key is kept", () => {
  let local: MemoryStorage;
  let session: MemoryStorage;
  beforeEach(() => {
    local = new MemoryStorage();
    session = new MemoryStorage();
    vi.stubGlobal("localStorage", local);
    vi.stubGlobal("sessionStorage", session);
  });

  it("is this tab's session by default, never localStorage", () => {
    setKey(KEY);
    expect(session.getItem("omnirag.apiKey.v1")).toBe(KEY);
    expect(local.getItem("omnirag.apiKey.v1")).toBeNull();
    expect(isRemembered()).toBe(false);
  });

  it("is localStorage only when the person chose to remember it", () => {
    setKey(KEY, true);
    expect(local.getItem("omnirag.apiKey.v1")).toBe(KEY);
    expect(session.getItem("omnirag.apiKey.v1")).toBeNull();
    expect(isRemembered()).toBe(true);
    setKey(null);
    expect(local.getItem("omnirag.apiKey.v1")).toBeNull();
    expect(getKey()).toBeNull();
  });
});
