//! Image references: parse, and what parses prints and parses back to the same reference.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(r) = docklab::docker::reference::Reference::parse(text) {
        let again = docklab::docker::reference::Reference::parse(&r.full_string())
            .expect("a printed reference parses");
        assert_eq!(again.full_string(), r.full_string());
    }
});
