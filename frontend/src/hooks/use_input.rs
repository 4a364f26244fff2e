//! `use_input`: the value of a text field and the callback that keeps it, for `field`'s `value`
//! and `oninput`.

use std::ops::Deref;

use yew::prelude::*;

use super::use_value;

/// A text field's state. Derefs to the text, so `forms::create_key(&name)` reads it directly.
#[derive(Clone, PartialEq)]
pub struct UseInputHandle(UseStateHandle<String>);

impl UseInputHandle {
    /// The text, for `field`'s `value`.
    pub fn value(&self) -> AttrValue {
        AttrValue::from((*self.0).clone())
    }

    /// Keeps what the user types, for `field`'s `oninput`.
    pub fn oninput(&self) -> Callback<String> {
        let state = self.0.clone();
        Callback::from(move |value| state.set(value))
    }

    /// Puts `value` in the field (an edit starting from what is saved).
    pub fn set(&self, value: String) {
        self.0.set(value);
    }

    /// Empties the field (after a successful submit).
    pub fn clear(&self) {
        self.0.set(String::new());
    }
}

impl Deref for UseInputHandle {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

#[hook]
pub fn use_input() -> UseInputHandle {
    UseInputHandle(use_value(String::new()))
}
