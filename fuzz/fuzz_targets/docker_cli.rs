//! Docker's command-line grammar: any words must parse or fail with Docker's error, never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let words: Vec<String> = text.split(['\n', ' ']).map(str::to_owned).collect();
    let _ = docklab::docker::cli::parse(&words);
});
