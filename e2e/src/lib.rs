//! Browser end-to-end tests of the SPA live in `tests/`: headless Chromium, driven through
//! chromedriver by fantoccini, against the real backend serving the release build in `dist/`.
//! Run them with `make test` (which builds `dist/` first) or `cargo test -p e2e`.
