//! Lab files: any text loads or fails with file:line:col, never panics.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = docklab::lab::Lab::parse("fuzz.toml", text);
});
