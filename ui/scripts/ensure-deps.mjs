// Runs `npm ci` when node_modules does not match package-lock.json (or is missing), and does nothing when it
// does, so a Maven build does not spend 10-20 s reinstalling identical packages every time.
// Usage: node scripts/ensure-deps.mjs
import { createHash } from "node:crypto";
import { execSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const lock = join(root, "package-lock.json");
const stamp = join(root, "node_modules", ".omnirag-lock-sha256");
const want = createHash("sha256").update(readFileSync(lock)).update(process.version).digest("hex");
if (existsSync(stamp) && readFileSync(stamp, "utf8").trim() === want) {
  console.log("[ui] node_modules matches package-lock.json");
} else {
  console.log("[ui] npm ci (package-lock.json changed or node_modules missing)");
  execSync("npm ci --no-audit --no-fund --loglevel=error", { cwd: root, stdio: "inherit" });
  writeFileSync(stamp, want + "\n");
}
