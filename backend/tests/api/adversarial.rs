//! The service under attack and under faults keeps working and loses nothing: forged tokens,
//! routes that would forget their guard, password guessing, floods, SIGKILL in the middle of paid
//! calls and purchases, the database going away, unsafe production settings. (tests/fuzz/run.sh adds
//! property-based fuzzing of every operation from the OpenAPI document; SECURITY.md maps each
//! guarantee to its tests.)

mod brute_force;
mod crash;
mod flood;
mod hostile_input;
mod outage;
mod prod_guards;
mod secure_by_default;
mod tokens;
