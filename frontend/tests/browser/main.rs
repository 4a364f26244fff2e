//! The SPA's tests, in headless Chromium (wasm-bindgen-test): the session store, the forms'
//! validation (as functions and as rendered forms), the API client's refresh-and-retry, the chart
//! and its filter by key, the key list, the paginated lists, the email flows, organisations, the
//! tasks page and its files.
//! One test binary, so one browser start. Browser-only: empty on native targets.

#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::wasm_bindgen_test_configure;

wasm_bindgen_test_configure!(run_in_browser);

mod support;

mod api_client;
mod attachments;
mod components;
mod email;
mod forms;
mod keys;
mod orgs;
mod pagination;
mod store;
mod tasks;
mod usage;
