//! `use_effect_on`: `use_effect_with` for an effect without cleanup, boxed.

use yew::prelude::*;

/// Runs `effect` after the first render and after each render where `deps` changed. The effect
/// is boxed so this is compiled once per dependency type, not once per call site (each
/// `use_effect_with` closure type is its own copy of Yew's effect machinery).
#[hook]
pub fn use_effect_on<D: PartialEq + 'static>(deps: D, effect: Box<dyn FnOnce(&D)>) {
    use_effect_with(deps, move |deps| effect(deps));
}
