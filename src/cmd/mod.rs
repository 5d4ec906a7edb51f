//! One module per subcommand.
pub mod dump;
pub mod extract;
pub mod gen;
