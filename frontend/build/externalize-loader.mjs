// Post-build step (post-build.mjs runs it first): moves trunk's inline module loader (`<script
// type="module">import init ...</script>`) into its own hashed file, so the page runs under the
// backend's Content-Security-Policy `script-src 'self' 'wasm-unsafe-eval'` (no inline scripts
// allowed).
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const staging = process.env.TRUNK_STAGING_DIR;
const publicUrl = process.env.TRUNK_PUBLIC_URL || "/";
if (!staging) {
  console.error("externalize-loader: TRUNK_STAGING_DIR is not set (run me from trunk)");
  process.exit(1);
}
const htmlPath = join(staging, "index.html");
let html = readFileSync(htmlPath, "utf8");

// Minified HTML drops the quotes: `<script type=module>`.
const loader = /<script\s+type=["']?module["']?\s*>([\s\S]*?)<\/script>/;
const found = html.match(loader);
if (found) {
  const body = found[1].trim() + "\n";
  const digest = createHash("sha384").update(body).digest();
  const name = `boot-${digest.toString("hex").slice(0, 16)}.js`;
  writeFileSync(join(staging, name), body);
  const tag =
    `<script type="module" src="${publicUrl}${name}" ` +
    `integrity="sha384-${digest.toString("base64")}" crossorigin="anonymous"></script>`;
  html = html.replace(loader, tag);
  writeFileSync(htmlPath, html);
}

// `trunk serve` adds its live-reload script inline; that is for development only. A release
// page must have no inline script left.
if (process.env.TRUNK_PROFILE === "release" && /<script(?![^>]*\ssrc=)[^>]*>/.test(html)) {
  console.error("externalize-loader: an inline <script> is left in index.html; the CSP would block it");
  process.exit(1);
}
