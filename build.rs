//! Names the commit the binary was built from (`gongkai --version`, run.json): `git describe`
//! where the source is a git checkout, else `unknown` (a source archive).

fn main() {
    let commit = std::process::Command::new("git")
        .args(["describe", "--always", "--dirty", "--abbrev=12"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=GONGKAI_COMMIT={commit}");
    // A new commit changes the HEAD (or the ref it points to); the index changes with --dirty.
    if let Ok(o) = std::process::Command::new("git").args(["rev-parse", "--git-dir"]).output() {
        let dir = String::from_utf8_lossy(&o.stdout).trim().to_string();
        if !dir.is_empty() {
            for f in ["HEAD", "index"] {
                println!("cargo:rerun-if-changed={dir}/{f}");
            }
        }
    }
}
