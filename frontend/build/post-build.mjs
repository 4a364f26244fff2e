// Trunk's post-build hook. Trunk starts a stage's hooks all at once, and precompression must see
// the loader file the first step writes (else `boot-*.js` ships without its .br and .gz), so the
// steps run from here, one after the other (a module's imports run in order).
import "./externalize-loader.mjs";
import "./precompress.mjs";
