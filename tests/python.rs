//! The Python package (python/): `pip install ./python` into a fresh virtualenv (maturin builds
//! the abi3 wheel from the source tree), then python/tests/test_gongkai.py there — the API on
//! the samples and the real corpus, the wheel's `gongkai` command, and Spark local[2], each
//! compared row for row with the CLI's output. Needs maturin (pip), and for Spark pyspark and Java; .ci/run installs
//! them. Without maturin the test says it was skipped, except under GONGKAI_REQUIRE_PYTHON (CI),
//! which also makes a missing pyspark or Java fail the Spark tests.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(cmd: &mut Command, what: &str) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{what}: cannot start: {e}"));
    assert!(out.status.success(), "{what} failed:\n{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
}

fn maturin_installed() -> bool {
    Command::new("python3").args(["-m", "maturin", "--version"]).output().is_ok_and(|o| o.status.success())
}

/// `pip install ./python` from the source tree, as a user would (no prebuilt wheel): pip runs
/// maturin, the build backend of python/pyproject.toml, which builds the abi3 wheel in
/// target/python. The python crate is a workspace of its own (see python/Cargo.toml) whose
/// feature set differs from the CLI's, so little could be shared, and a folder of its own
/// cannot wait on the lock of the `cargo test` that runs this. Offline: the build backend and
/// pyarrow are the machine's (.ci/run installs them), seen through --system-site-packages.
fn pip_install(python: &Path) {
    run(
        Command::new(python)
            .args(["-m", "pip", "install", "--quiet", "--no-index", "--no-build-isolation", "--disable-pip-version-check"])
            .arg(repo().join("python"))
            .env("CARGO_TARGET_DIR", repo().join("target/python"))
            .env_remove("CARGO_MANIFEST_DIR"),
        "pip install ./python",
    );
    let wheel = Command::new(python).args(["-c", "import importlib.metadata as m; print(m.distribution('gongkai').read_text('WHEEL'))"]).output().unwrap();
    let wheel = String::from_utf8_lossy(&wheel.stdout);
    assert!(wheel.contains("Tag: cp39-abi3-"), "one abi3 wheel for every CPython >= 3.9, got {wheel}");
}

#[test]
fn python_package_and_spark_give_the_clis_rows() {
    if !maturin_installed() {
        assert!(std::env::var_os("GONGKAI_REQUIRE_PYTHON").is_none(), "maturin is missing but GONGKAI_REQUIRE_PYTHON is set");
        eprintln!("python_package: skipped: maturin not installed (python3 -m pip install maturin pyspark)");
        return;
    }
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("python");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).unwrap();
    // A fresh virtualenv that sees the machine's maturin, pyarrow and pyspark (installed by
    // .ci/run), so the install needs no network.
    let venv = scratch.join("venv");
    run(Command::new("python3").args(["-m", "venv", "--system-site-packages"]).arg(&venv), "python3 -m venv");
    let python = venv.join("bin/python");
    pip_install(&python);
    let mut tests = Command::new(&python);
    tests.arg(repo().join("python/tests/test_gongkai.py"));
    tests.env("GONGKAI_REPO", repo()).env("GONGKAI_OUT", &scratch).current_dir(&scratch);
    if std::env::var_os("GONGKAI_REQUIRE_PYTHON").is_some() {
        tests.env("GONGKAI_REQUIRE_SPARK", "1");
    }
    let out = tests.output().expect("python runs");
    let log = String::from_utf8_lossy(&out.stderr);
    eprintln!("{log}");
    assert!(out.status.success(), "python/tests/test_gongkai.py failed:\n{}\n{log}", String::from_utf8_lossy(&out.stdout));
}
