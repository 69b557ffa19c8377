//! The `docklab` binary: hands its arguments to the library and turns the result into an exit code.
fn main() -> std::process::ExitCode {
    docklab::run(std::env::args_os())
}
