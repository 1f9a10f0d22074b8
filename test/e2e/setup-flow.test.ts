// `npm start` with no credentials serves Probot's setup flow, which registers the App
// from app.yml; and app.yml asks for exactly the events the handlers take.
import { spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { load } from "js-yaml";
import { ROOT } from "../helpers/corpus.js";

test("with no credentials, the server offers the setup flow", async () => {
  const port = 30000 + Math.floor(Math.random() * 20000);
  const child = spawn(process.execPath, [join(ROOT, "dist", "server", "main.js")], {
    cwd: ROOT,
    env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "", PORT: String(port), HOST: "127.0.0.1", NODE_ENV: "test" },
    stdio: "ignore",
  });
  try {
    let page = "";
    for (let i = 0; i < 100 && !page; i++) {
      await new Promise((r) => setTimeout(r, 100));
      page = await fetch(`http://127.0.0.1:${port}/probot`).then((r) => (r.ok ? r.text() : ""), () => "");
    }
    expect(page).toMatch(/Register GitHub App/i);
  } finally {
    child.kill();
  }
});

test("app.yml subscribes to exactly the events handled, with least privilege", () => {
  const manifest = load(readFileSync(join(ROOT, "app.yml"), "utf8")) as { default_events: string[]; default_permissions: Record<string, string> };
  const handled = new Set<string>();
  for (const f of readdirSync(join(ROOT, "src", "handlers"))) {
    const src = readFileSync(join(ROOT, "src", "handlers", f), "utf8");
    for (const m of src.matchAll(/"([a-z_]+)\.[a-z_]+"/g)) if (m[1] && !["gitops-gate"].includes(m[1])) handled.add(m[1]);
    // Events without actions (push) are subscribed by their bare name.
    for (const m of src.matchAll(/\.on\("([a-z_]+)"/g)) if (m[1]) handled.add(m[1]);
  }
  expect([...manifest.default_events].sort()).toEqual([...handled].sort());
  expect(manifest.default_permissions).toEqual({ checks: "write", contents: "write", pull_requests: "write", metadata: "read", members: "read", issues: "write", administration: "read" });
});
