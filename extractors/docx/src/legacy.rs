//! Word-processor files other than DOCX — legacy binary Word (.doc/.wps), OpenDocument text
//! (.odt) and RTF — through LibreOffice, when the caller asks for it.
//!
//! These formats are not parsed here: LibreOffice converts them to DOCX far more faithfully
//! than a home-grown reader would, and the DOCX reader does the rest.

use crate::DocxExtractor;
use gongkai_model::{Document, ExtractError, Extractor, Format, Options};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A conversion that takes longer than this is stuck (LibreOffice waiting on a dialog or a lock).
const CONVERT_TIMEOUT: Duration = Duration::from_secs(120);

/// The reason a convertible file is not read: what it is, and both ways to get it read.
pub fn unsupported_reason(format: Format) -> String {
    format!(
        "{}: not read without LibreOffice: re-run with --convert-legacy and LibreOffice installed (soffice on PATH), or save it as DOCX or PDF",
        describe(format)
    )
}

fn describe(format: Format) -> &'static str {
    match format {
        Format::Odt => "OpenDocument text (.odt)",
        Format::Rtf => "rich text (.rtf)",
        _ => "legacy Word binary (.doc/.wps)",
    }
}

/// The file name LibreOffice is given: its import filter is chosen by content, the extension
/// only breaks ties.
fn input_name(format: Format) -> &'static str {
    match format {
        Format::Odt => "input.odt",
        Format::Rtf => "input.rtf",
        _ => "input.doc",
    }
}

/// Reads legacy binary Word ([`Format::Doc`]), OpenDocument text ([`Format::Odt`]) and RTF
/// ([`Format::Rtf`]) when `opts.convert_legacy` is set and LibreOffice is installed; otherwise
/// reports them as unsupported.
#[derive(Debug, Clone, Copy)]
pub struct LegacyWordExtractor(pub Format);

impl Extractor for LegacyWordExtractor {
    fn format(&self) -> Format {
        self.0
    }

    fn extract(&self, bytes: &[u8], opts: &Options) -> Result<Document, ExtractError> {
        if !opts.convert_legacy {
            return Err(ExtractError::unsupported(unsupported_reason(self.0)));
        }
        let docx = convert_legacy(bytes, self.0)?;
        let mut doc = DocxExtractor.extract(&docx, opts)?;
        doc.warnings.push(format!("converted from {} by LibreOffice", describe(self.0)));
        Ok(doc)
    }
}

/// Converts a word-processor file of `format` to DOCX bytes with `soffice --headless`, in a
/// private temporary directory (and a private LibreOffice profile, so parallel runs do not
/// fight over the user's profile lock). Unsupported when `soffice` is not on PATH.
pub fn convert_legacy(bytes: &[u8], format: Format) -> Result<Vec<u8>, ExtractError> {
    let soffice = find_on_path("soffice").ok_or_else(|| ExtractError::unsupported(unsupported_reason(format)))?;
    let dir = tempfile::tempdir().map_err(|e| ExtractError::failed(format!("cannot create a temporary directory for conversion: {e}")))?;
    let input = dir.path().join(input_name(format));
    std::fs::write(&input, bytes).map_err(|e| ExtractError::failed(format!("cannot write the file to convert: {e}")))?;
    let out_dir = dir.path().join("out");
    let profile = dir.path().join("profile");
    let mut child = Command::new(soffice)
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--norestore", "--convert-to", "docx", "--outdir"])
        .arg(&out_dir)
        .arg(&input)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| ExtractError::failed(format!("cannot start LibreOffice (soffice): {e}")))?;
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if started.elapsed() > CONVERT_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(ExtractError::failed(format!(
                    "LibreOffice did not convert this {} within {} s",
                    describe(format),
                    CONVERT_TIMEOUT.as_secs()
                )));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(100)),
            Err(e) => return Err(ExtractError::failed(format!("waiting for LibreOffice failed: {e}"))),
        }
    }
    std::fs::read(out_dir.join("input.docx"))
        .map_err(|_| ExtractError::failed(format!("LibreOffice could not convert this {} (damaged, or not what its bytes suggest)", describe(format))))
}

fn find_on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(program)).find(|p| is_executable(p))
}

#[cfg(unix)]
fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(p: &Path) -> bool {
    p.is_file()
}
