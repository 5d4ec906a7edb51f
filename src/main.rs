//! The `gongkai` command line: wires the library's stages together, nothing more.

fn main() {
    let status = gongkai::cmd::main(std::env::args_os());
    if status != 0 {
        std::process::exit(status);
    }
}
