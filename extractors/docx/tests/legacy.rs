//! Legacy .doc conversion through a stand-in `soffice` on PATH (LibreOffice itself is not
//! installed here): checks the command line contract and that the converted DOCX is read.
//! Its own test binary, because it changes PATH for the whole process.

use gongkai_docx::{convert_legacy, LegacyWordExtractor};
use gongkai_model::{ErrorKind, Extractor, Format, Options};
use std::os::unix::fs::PermissionsExt;

fn fixture_path(name: &str) -> String {
    format!("{}/../../tests/fixtures/office/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// A fake soffice that checks the arguments LibreOffice needs and "converts" by copying
/// `$FAKE_DOCX` to `OUTDIR/<stem>.docx`, or does nothing when `$FAKE_DOCX` is unset.
const FAKE_SOFFICE: &str = r#"#!/bin/sh
outdir=""; headless=""; target=""
while [ $# -gt 0 ]; do
  case "$1" in
    --headless) headless=1 ;;
    --convert-to) shift; target="$1" ;;
    --outdir) shift; outdir="$1" ;;
    -env:*|--norestore) ;;
    *) input="$1" ;;
  esac
  shift
done
[ -n "$headless" ] && [ "$target" = docx ] && [ -f "$input" ] || exit 3
stem=$(basename "$input"); stem=${stem%.*}
mkdir -p "$outdir"
[ -n "$FAKE_DOCX" ] && cp "$FAKE_DOCX" "$outdir/$stem.docx"
exit 0
"#;

#[test]
fn conversion_through_soffice_on_path() {
    let bin = tempfile::tempdir().unwrap();
    let script = bin.path().join("soffice");
    std::fs::write(&script, FAKE_SOFFICE).unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let old_path = std::env::var_os("PATH").unwrap_or_default();
    let mut paths = vec![bin.path().to_path_buf()];
    paths.extend(std::env::split_paths(&old_path));
    // The only test of this binary: no other thread reads PATH meanwhile.
    std::env::set_var("PATH", std::env::join_paths(paths).unwrap());

    std::env::set_var("FAKE_DOCX", fixture_path("features.docx"));
    let docx = convert_legacy(b"\xD0\xCF\x11\xE0 legacy word bytes", Format::Doc).unwrap();
    assert_eq!(docx, std::fs::read(fixture_path("features.docx")).unwrap());

    let opts = Options { convert_legacy: true, ..Options::default() };
    let doc = LegacyWordExtractor(Format::Doc).extract(b"legacy", &opts).unwrap();
    assert_eq!(doc.tables().count(), 2);
    assert!(doc.warnings.iter().any(|w| w.contains("LibreOffice")));

    std::env::remove_var("FAKE_DOCX");
    let e = convert_legacy(b"legacy", Format::Doc).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Failed);
    assert!(e.message.contains("could not convert"), "{e}");

    std::env::set_var("PATH", "/nonexistent");
    let e = LegacyWordExtractor(Format::Doc).extract(b"legacy", &opts).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Unsupported);
    assert!(e.message.starts_with("legacy Word binary (.doc/.wps): not read without LibreOffice: re-run with --convert-legacy"), "{e}");
    std::env::set_var("PATH", old_path);
}
