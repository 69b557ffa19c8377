//! Dockerfiles: any bytes parse or fail with a positioned error; errors render their excerpt.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match docklab::build::dockerfile::parse_bytes("Dockerfile", data) {
        Ok(df) => {
            let _ = df.stages();
        }
        Err(e) => {
            let text = String::from_utf8_lossy(data);
            let _ = e.render_cli(&text);
        }
    }
});
