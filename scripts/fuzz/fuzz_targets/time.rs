#![no_main]
//! The Weibo/government time parser on arbitrary text: never a panic.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    windvane::fuzzing::time(data);
});
