#![no_main]
//! Every Weibo body parser and the deletion verdict on arbitrary bytes: never a panic.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    windvane::fuzzing::weibo(data);
});
