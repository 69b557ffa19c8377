//! `--format` templates: parse and run over an `image ls`-like row without panicking.
#![no_main]
use libfuzzer_sys::fuzz_target;
use serde_json::json;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(t) = docklab::docker::template::Template::parse(text) {
        let row = json!({"ID": "657fdcd1c365", "Repository": "nginx", "Tag": "latest",
            "Size": "152MB", "Labels": {"a": "b"}, "List": [1, 2, 3], "Nil": null});
        let _ = t.execute(&row);
    }
});
