#![no_main]
//! The configuration loader on arbitrary TOML: problems reported, never a panic.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    windvane::fuzzing::config(data);
});
