// Post-build step (post-build.mjs runs it second; release only): writes `<file>.br` (Brotli, best)
// and `<file>.gz` (gzip -9) beside each asset, which the backend sends as they are to browsers that
// accept them. Far smaller than compressing on the fly at a fast level, and no CPU spent per
// request.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error("precompress: TRUNK_STAGING_DIR is not set (run me from trunk)");
  process.exit(1);
}
if (process.env.TRUNK_PROFILE !== "release") process.exit(0);

for (const name of readdirSync(staging)) {
  if (!/\.(wasm|js|css|svg)$/.test(name)) continue;
  const path = join(staging, name);
  const raw = readFileSync(path);
  writeFileSync(`${path}.br`, brotliCompressSync(raw, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      // The largest window (16 MiB, which every browser decodes): the wasm is smaller with it.
      [constants.BROTLI_PARAM_LGWIN]: constants.BROTLI_MAX_WINDOW_BITS,
      [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
    },
  }));
  writeFileSync(`${path}.gz`, gzipSync(raw, { level: 9 }));
}
