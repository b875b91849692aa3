#![no_main]
//! RSS/Atom and HTML list/article parsers on arbitrary bytes: never a panic.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    windvane::fuzzing::feeds_html(data);
});
