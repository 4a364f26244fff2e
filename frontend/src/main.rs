//! Entry point of the wasm binary that trunk builds; everything else lives in the library so the
//! browser tests (`tests/`) can use it.

fn main() {
    frontend::run();
}
