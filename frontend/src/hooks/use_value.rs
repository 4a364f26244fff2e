//! `use_value`: `use_state` with its first value given as a value rather than a closure.

use yew::prelude::*;

/// A state starting at `initial` (only read at the first render). Unlike `use_state(|| ...)`,
/// whose closure type differs at every call site, this is compiled once per state type.
#[hook]
pub fn use_value<T: 'static>(initial: T) -> UseStateHandle<T> {
    use_state(move || initial)
}
