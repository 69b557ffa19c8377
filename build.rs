//! Links the `docklab` executable as a fixed-address (non-PIE) program on Linux, with the
//! unwinder linked in rather than loaded from `libgcc_s.so.1`.
//!
//! A one-shot `docklab docker images` is mostly process start-up.
//!
//! - As a position-independent executable, the dynamic loader applies ~20,000 relative
//!   relocations at every start, each dirtying its page of the 460 KB read-only-after-relocation
//!   data: measured here, 240 page faults for `docklab --version` as a PIE, 131 at a fixed
//!   address, and a quarter less time. Linked at a fixed address, the linker resolves them once.
//!   The executable's own address is then not randomised (its libraries, heap and stack still
//!   are); docklab is not privileged and runs as its user.
//! - Rust's standard library asks the linker for `-lgcc_s`, the unwinder, as a shared library:
//!   loading it, binding its symbols and running its constructor (which asks the processor for
//!   its features with `cpuid`, an instruction a virtual machine traps) cost 0.15 ms of wall
//!   time and 0.23 ms of CPU time at every start here (`perf stat -r 400` of `docklab docker
//!   version`: 1.20 → 1.05 ms, `/bin/true` 0.92). A `libgcc_s.a` that is the C compiler's static
//!   unwinder, `libgcc_eh.a`, in a directory the linker searches first, makes it link the
//!   unwinder into the executable, as `gcc -static-libgcc` does for C++ programs and Rust does
//!   for its static builds. A unit test (`app::tests`) checks that a panic still unwinds and a
//!   backtrace still names its frames. Where the compiler has no `libgcc_eh.a`, or when
//!   cross-compiling, nothing changes.
//!
//! `rustc-link-arg-bins` reaches the binary's final link only, and the search directory changes
//! only where `gcc_s` is found: proc-macros and build scripts are built as before, and nothing
//! else needs setting (`cargo run`, `cargo install` and a fresh clone behave the same).

use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    // `-no-pie` is a flag of the C compiler driver that links for rustc on Linux with glibc
    // (gcc, clang). Other targets (musl's static executables, macOS, Windows) link differently
    // and are left as they are.
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    if var("CARGO_CFG_TARGET_OS") == "linux" && var("CARGO_CFG_TARGET_ENV") == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
        if var("TARGET") == var("HOST") {
            if let Some(dir) = static_unwinder(Path::new(&var("OUT_DIR"))) {
                println!("cargo:rustc-link-search=native={}", dir.display());
            }
        }
    }
}

/// A directory holding `libgcc_s.a`, a link to the C compiler's `libgcc_eh.a`; `None` when the
/// compiler (`cc`, rustc's linker here) does not name one that exists.
#[cfg(unix)]
fn static_unwinder(out_dir: &Path) -> Option<PathBuf> {
    let output = std::process::Command::new("cc")
        .arg("-print-file-name=libgcc_eh.a")
        .output()
        .ok()?;
    let path = PathBuf::from(String::from_utf8(output.stdout).ok()?.trim());
    // A compiler that does not have it prints the bare name.
    if !output.status.success() || !path.is_absolute() || !path.is_file() {
        return None;
    }
    let dir = out_dir.join("static-unwinder");
    std::fs::create_dir_all(&dir).ok()?;
    let link = dir.join("libgcc_s.a");
    let _ = std::fs::remove_file(&link);
    std::os::unix::fs::symlink(&path, &link).ok()?;
    Some(dir)
}

/// (Building for Linux on another system is cross-compiling: nothing to do.)
#[cfg(not(unix))]
fn static_unwinder(_: &Path) -> Option<PathBuf> {
    None
}
