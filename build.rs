//! Links the `docklab` executable as a fixed-address (non-PIE) program on Linux.
//!
//! A one-shot `docklab docker images` is mostly process start-up. As a position-independent
//! executable, the dynamic loader applies ~20,000 relative relocations at every start, each
//! dirtying its page of the 460 KB read-only-after-relocation data: measured here, 240 page faults
//! for `docklab --version` as a PIE, 131 at a fixed address, and a quarter less time. Linked at a
//! fixed address, the linker resolves them once. The executable's own address is then not
//! randomised (its libraries, heap and stack still are); docklab is not privileged and runs as its
//! user.
//!
//! `rustc-link-arg-bins` reaches the binary's final link only: proc-macros, build scripts, the
//! library, tests and benchmarks are built and linked as before, and nothing else needs setting
//! (`cargo run`, `cargo install` and a fresh clone behave the same).

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    // `-no-pie` is a flag of the C compiler driver that links for rustc on Linux with glibc
    // (gcc, clang). Other targets (musl's static executables, macOS, Windows) link differently
    // and are left as they are.
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    if var("CARGO_CFG_TARGET_OS") == "linux" && var("CARGO_CFG_TARGET_ENV") == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
