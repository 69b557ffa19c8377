//! Docker 28's command-line surface as data: every command docklab knows, its aliases, usage
//! line, arity, flags (with shorthand, value type and default) and one-line descriptions, plus
//! the renderer that lays them out exactly as Docker's cobra templates do.
//!
//! The parser in [`super::cli`] reads the same tables, so help and parsing cannot drift. Command
//! and flag names, usage lines, value types and defaults are Docker's; most descriptions are our
//! own words (the short ones that have no other natural wording are kept as Docker has them).
//!
//! The tables (`flags`, `commands`, `unsimulated`) are kept apart from the types they are
//! written with (`spec`), the queries over them (`lookup`) and the renderer (`render`); this
//! module re-exports what the rest of docklab uses.

mod commands;
mod flags;
mod lookup;
mod render;
mod spec;
mod unsimulated;

pub use commands::LEGACY_BUILDS;
pub use flags::{GLOBAL_FLAGS, LEGACY_BUILDER_NOTICE};
pub use lookup::{find_command, find_group};
pub(crate) use lookup::{simulated_group_words, simulated_words};
pub use render::{command_help, group_help, root_help};
pub use spec::{Arity, Check, CommandId, CommandSpec, FlagSpec, GroupSpec, Owner, ValueKind};
pub use unsimulated::{find_unsimulated, reads_only as unsimulated_reads_only};

pub use crate::docker::text::{go_quote, go_quote_byte};

/// Terminal width Docker assumes when standard input is not a terminal.
pub const DEFAULT_WIDTH: usize = 80;

/// What `docker --version` prints.
pub const VERSION_LINE: &str = "Docker version 28.2.2, build e6534b4\n";

#[cfg(test)]
mod tests {
    use super::*;
    use pretty_assertions::assert_eq;

    #[test]
    fn go_quoting() {
        assert_eq!(
            go_quote("a\"b\\c\n\u{1}\u{e9}"),
            "\"a\\\"b\\\\c\\n\\x01\u{e9}\""
        );
        assert_eq!(go_quote_byte(b'z'), "'z'");
        assert_eq!(go_quote_byte(0x85), "'\\u0085'");
        assert_eq!(go_quote_byte(b'\''), "'\\''");
    }
}
