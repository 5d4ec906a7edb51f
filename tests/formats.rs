//! Formats named right (issue 20): an office package that is no report gets a documents row
//! saying what it is and is never unpacked as an archive; an archive of office files is
//! unpacked; word-processor files other than DOCX (.doc, .odt, .rtf) are read through
//! LibreOffice with `--convert-legacy` and give the DOCX's own records.

mod common;
use common::*;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A ZIP of these members, stored: as in a real archive of office files, the members' own part
/// names show through in the archive's bytes.
fn package(members: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in members {
        zip.start_file(*name, stored).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn ooxml(main_type: &str, main_part: &str) -> Vec<u8> {
    let types = format!(
        r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/{main_part}" ContentType="{main_type}"/></Types>"#
    );
    package(&[("[Content_Types].xml", types.into_bytes()), (main_part, b"<x/>".to_vec()), ("docProps/app.xml", b"<x/>".to_vec())])
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn seed_docx(stem: &str) -> Vec<u8> {
    std::fs::read(fixtures().join("office").join(format!("{stem}.docx"))).unwrap()
}

#[test]
fn packages_that_are_no_reports_are_named_and_not_unpacked() {
    let made = out_dir("formats_made");
    let out = out_dir("formats_out");
    let slides = ooxml("application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml", "ppt/presentation.xml");
    let visio = ooxml("application/vnd.ms-visio.drawing.main+xml", "visio/document.xml");
    let ofd = package(&[("OFD.xml", b"<ofd:OFD/>".to_vec()), ("Doc_0/Document.xml", b"<x/>".to_vec())]);
    let archive = package(&[("2024决算.docx", seed_docx("000_5010c9f98508a758")), ("2025预算.docx", seed_docx("004_295e34a150d1a2fa"))]);
    let inputs = [write(&made, "slides.pptx", &slides), write(&made, "drawing.vsdx", &visio), write(&made, "report.ofd", &ofd), write(&made, "reports.zip", &archive)];
    let refs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
    extract(&refs, &out, &["--format", "csv", "-q"]);
    let docs = read_csv(&out.join("documents.csv"));
    for (file, format, reason) in [
        ("slides.pptx", "presentation", "a slide presentation"),
        ("drawing.vsdx", "package", "an office package that is no document"),
        ("report.ofd", "ofd", "OFD (GB/T 33190 版式文档) is not read yet: save it as PDF"),
    ] {
        let d = docs.iter().find(|d| d["source_path"].ends_with(file)).unwrap_or_else(|| panic!("no row for {file}"));
        assert_eq!((d["status"].as_str(), d["format"].as_str()), ("unsupported", format), "{d:?}");
        assert!(d["error"].starts_with(reason), "{file}: {}", d["error"]);
        assert!(!docs.iter().any(|d| d["source_path"].contains(&format!("{file}!/"))), "{file} was unpacked as an archive");
    }
    let members: Vec<&Row> = docs.iter().filter(|d| d["source_path"].contains("reports.zip!/")).collect();
    assert_eq!(members.len(), 2, "an archive of stored DOCX files is an archive: {docs:?}");
    for d in members {
        assert_eq!((d["format"].as_str(), d["status"].as_str()), ("docx", "ok"), "{d:?}");
        assert!(d["n_records"].parse::<usize>().unwrap() > 50, "{d:?}");
    }
}

/// Each record as (table, side, code, name, column, value), sorted.
fn records_of(input: &Path, out_name: &str, args: &[&str]) -> (Row, Vec<[String; 6]>) {
    let out = out_dir(out_name);
    extract(&[input], &out, &[&["--format", "csv", "-q"], args].concat());
    let doc = read_csv(&out.join("documents.csv")).remove(0);
    let fields = ["table", "side", "item_code", "item_name", "column", "amount"];
    let mut records: Vec<[String; 6]> = read_csv(&out.join("records.csv")).iter().map(|r| fields.map(|f| r[f].clone())).collect();
    records.sort();
    (doc, records)
}

#[test]
fn word_files_other_than_docx_are_read_through_libreoffice() {
    let Some(soffice) = soffice() else {
        eprintln!("skipped: LibreOffice (soffice) is not installed");
        return;
    };
    let made = out_dir("formats_word_made");
    let docx = write(&made, "report.docx", &seed_docx("004_295e34a150d1a2fa"));
    let (_, expected) = records_of(&docx, "formats_word_docx", &[]);
    assert!(expected.len() > 100);
    for (format, described) in [("doc", "legacy Word binary (.doc/.wps)"), ("odt", "OpenDocument text (.odt)"), ("rtf", "rich text (.rtf)")] {
        let converted = soffice_convert(&soffice, &docx, format, &made);
        let (doc, records) = records_of(&converted, &format!("formats_word_{format}"), &["--convert-legacy"]);
        assert_eq!((doc["format"].as_str(), doc["status"].as_str()), (format, "ok"), "{doc:?}");
        assert_eq!(records, expected, "{format}: the records differ from the DOCX's");
        let (doc, _) = records_of(&converted, &format!("formats_word_{format}_off"), &[]);
        assert_eq!(doc["status"], "unsupported");
        assert!(doc["error"].starts_with(&format!("{described}: not read without LibreOffice: re-run with --convert-legacy")), "{}", doc["error"]);
    }
}
