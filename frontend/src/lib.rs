//! The single-page app (DESIGN section 8): pages per route, a typed API client that refreshes an
//! expired access token once, and a session store that survives reloads through the refresh
//! cookie.

pub mod api;
pub mod app;
pub mod components;
pub mod format;
pub mod forms;
pub mod hooks;
pub mod pages;
pub mod store;

/// Mounts the app on `<body>`.
pub fn run() {
    yew::Renderer::<app::App>::new().render();
}
