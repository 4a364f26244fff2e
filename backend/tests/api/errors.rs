//! The error contract across routes: malformed bodies, unknown paths, wrong methods.

mod malformed_bodies;
mod routing;
