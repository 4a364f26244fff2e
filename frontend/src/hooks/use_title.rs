//! `use_title`: the document title of a page.

use yew::prelude::*;

use super::use_effect_on;

/// Sets the document title ("Dashboard · SaaS Starter"), which screen readers announce on
/// navigation.
#[hook]
pub fn use_title(title: &'static str) {
    use_effect_on(
        title,
        Box::new(|title: &&'static str| {
            if let Some(document) = web_sys::window().and_then(|w| w.document()) {
                document.set_title(&format!("{title} · {}", crate::app::PRODUCT_NAME));
            }
        }),
    );
}
