//! PDFs written here with lopdf, each exercising one thing real disclosures do: non-embedded
//! Adobe CJK fonts with predefined CMaps, rotated and landscape pages, ruled tables with merged
//! headers, unruled tables, tables split over pages, scans without text.

use gongkai_model::{Block, Document, ErrorKind, Extractor, OcrMode, Options, Table};
use gongkai_pdf::PdfExtractor;
use lopdf::{dictionary, Object, Stream};

/// Font resources every synthetic page gets: F1 Helvetica (Latin), F2 STSong-Light with
/// UniGB-UCS2-H, F3 STSong-Light with GBK-EUC-H. No ToUnicode anywhere.
fn build(pages: &[(&[u8], [i64; 4], i64)], images: bool) -> Vec<u8> {
    let mut doc = lopdf::Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let f1 = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding",
    });
    let cjk = |enc: &str| {
        dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "STSong-Light", "Encoding" => enc.to_string(),
            "DescendantFonts" => vec![Object::Dictionary(dictionary! {
                "Type" => "Font", "Subtype" => "CIDFontType0", "BaseFont" => "STSong-Light",
                "CIDSystemInfo" => dictionary! { "Registry" => Object::string_literal("Adobe"), "Ordering" => Object::string_literal("GB1"), "Supplement" => 2 },
                "DW" => 1000,
            })],
        }
    };
    let f2 = doc.add_object(cjk("UniGB-UCS2-H"));
    let f3 = doc.add_object(cjk("GBK-EUC-H"));
    let mut xobjects = lopdf::Dictionary::new();
    if images {
        let img = Stream::new(
            dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => 2, "Height" => 2, "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8 },
            vec![0, 255, 255, 0],
        );
        xobjects.set("Im1", doc.add_object(img));
    }
    let resources = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => f1, "F2" => f2, "F3" => f3 },
        "XObject" => xobjects,
    });
    let mut kids = Vec::new();
    for (content, media, rotate) in pages {
        let c = doc.add_object(Stream::new(dictionary! {}, content.to_vec()));
        let p = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => c, "Resources" => resources,
            "MediaBox" => media.iter().map(|v| Object::Integer(*v)).collect::<Vec<_>>(), "Rotate" => *rotate,
        });
        kids.push(Object::Reference(p));
    }
    let n = kids.len() as i64;
    doc.objects.insert(pages_id, Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => n }));
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("in-memory save");
    out
}

const A4: [i64; 4] = [0, 0, 595, 842];

fn hex_ucs2(s: &str) -> String {
    s.encode_utf16().map(|u| format!("{u:04X}")).collect()
}

fn hex_gbk(s: &str) -> String {
    let (bytes, _, _) = encoding_rs::GBK.encode(s);
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

fn text_at(font: &str, x: f32, y: f32, hex: &str) -> String {
    format!("BT /{font} 10 Tf 1 0 0 1 {x} {y} Tm <{hex}> Tj ET\n")
}

fn extract(bytes: &[u8]) -> Result<Document, gongkai_model::ExtractError> {
    PdfExtractor.extract(bytes, &Options::default())
}

fn paragraphs(d: &Document) -> Vec<String> {
    d.paragraphs().map(|p| p.text.clone()).collect()
}

fn tables(d: &Document) -> Vec<&Table> {
    d.tables().collect()
}

#[test]
fn non_embedded_stsong_with_ucs2_and_gbk_cmaps_decodes() {
    let mut c = text_at("F2", 72.0, 760.0, &hex_ucs2("金额单位：万元"));
    c += &text_at("F3", 72.0, 740.0, &hex_gbk("公开01表 收入支出决算总表"));
    let d = extract(&build(&[(c.as_bytes(), A4, 0)], false)).expect("readable");
    let ps = paragraphs(&d);
    assert_eq!(ps[0], "金额单位：万元");
    // A half-em space between CJK words is typesetting, not content (the seeds read 纳入2024年度).
    assert_eq!(ps[1], "公开01表收入支出决算总表");
    assert!(ps.iter().all(|p| !p.contains("cid") && !p.chars().any(|c| ('\u{E000}'..='\u{F8FF}').contains(&c))));
}

/// A 3-column ruled table: a header cell spanning two columns, a number wrapped in its cell.
fn ruled_table(x0: f32, top: f32) -> String {
    let mut c = String::from("0.5 w\n");
    let xs = [x0, x0 + 150.0, x0 + 250.0, x0 + 350.0];
    let ys = [top, top - 20.0, top - 40.0, top - 70.0];
    for y in ys {
        c += &format!("{} {y} m {} {y} l S\n", xs[0], xs[3]);
    }
    for (i, x) in xs.iter().enumerate() {
        // The middle-left vertical is absent in the header row: 金额 spans two columns.
        let from = if i == 2 { ys[1] } else { ys[0] };
        c += &format!("{x} {from} m {x} {} l S\n", ys[3]);
    }
    c += &text_at("F2", xs[0] + 4.0, ys[0] - 14.0, &hex_ucs2("项目"));
    c += &text_at("F2", xs[1] + 30.0, ys[0] - 14.0, &hex_ucs2("金额"));
    c += &text_at("F2", xs[0] + 4.0, ys[1] - 14.0, &hex_ucs2("工资福利支出"));
    c += &format!("BT /F1 10 Tf {} {} Td (204.16) Tj ET\n", xs[1] + 4.0, ys[1] - 14.0);
    c += &format!("BT /F1 10 Tf {} {} Td (1.00) Tj ET\n", xs[2] + 4.0, ys[1] - 14.0);
    c += &text_at("F2", xs[0] + 4.0, ys[2] - 14.0, &hex_ucs2("商品和服务支出"));
    c += &format!("BT /F1 10 Tf {} {} Td (6,190,000.) Tj ET\n", xs[1] + 4.0, ys[2] - 12.0);
    c += &format!("BT /F1 10 Tf {} {} Td (00) Tj ET\n", xs[1] + 4.0, ys[2] - 24.0);
    c
}

#[test]
fn ruled_table_with_span_and_wrapped_number() {
    let c = ruled_table(72.0, 700.0);
    let d = extract(&build(&[(c.as_bytes(), A4, 0)], false)).expect("readable");
    let t = tables(&d);
    assert_eq!(t.len(), 1);
    let g = t[0].text_grid();
    assert_eq!(g[0], vec!["项目", "金额", "金额"]);
    assert_eq!(g[1], vec!["工资福利支出", "204.16", "1.00"]);
    assert_eq!(g[2][1], "6,190,000.00");
    let header = t[0].cells.iter().find(|c| c.text == "金额").expect("header cell");
    assert_eq!((header.col, header.col_span), (1, 2));
    assert_eq!(header.prov.page, Some(1));
}

#[test]
fn rotated_landscape_page_reads_upright() {
    // A portrait MediaBox shown with /Rotate 90: the content is drawn rotated so it reads
    // upright on screen, as landscape table pages are made by Word and WPS.
    let inner = ruled_table(72.0, 500.0) + &text_at("F2", 72.0, 560.0, &hex_ucs2("公开06表"));
    let c = format!("q 0 1 -1 0 595 0 cm\n{inner}Q\n");
    let d = extract(&build(&[(c.as_bytes(), A4, 90)], false)).expect("readable");
    assert_eq!(paragraphs(&d), vec!["公开06表"]);
    let t = tables(&d);
    assert_eq!(t.len(), 1);
    assert_eq!(t[0].text_grid()[1], vec!["工资福利支出", "204.16", "1.00"]);
}

#[test]
fn unruled_table_read_from_alignment() {
    let mut c = text_at("F2", 72.0, 760.0, &hex_ucs2("单位：元"));
    let rows = [("项目", "预算数", "决算数"), ("基本支出", "1,234,567.89", "1,200,000.00"), ("项目支出", "100.00", "98.50"), ("合计", "1,234,667.89", "1,200,098.50")];
    for (i, (a, b, e)) in rows.iter().enumerate() {
        let y = 720.0 - i as f32 * 18.0;
        c += &text_at("F2", 72.0, y, &hex_ucs2(a));
        for (x, s) in [(260.0, b), (400.0, e)] {
            if s.is_ascii() {
                c += &format!("BT /F1 10 Tf {x} {y} Td ({s}) Tj ET\n");
            } else {
                c += &text_at("F2", x, y, &hex_ucs2(s));
            }
        }
    }
    let d = extract(&build(&[(c.as_bytes(), A4, 0)], false)).expect("readable");
    let t = tables(&d);
    assert_eq!(t.len(), 1, "{:?}", d.blocks);
    let g = t[0].text_grid();
    assert_eq!(g.len(), 4);
    assert_eq!(g[1], vec!["基本支出", "1,234,567.89", "1,200,000.00"]);
    assert_eq!(paragraphs(&d), vec!["单位：元"]);
}

#[test]
fn table_continued_on_next_page_with_repeated_header_is_one_table() {
    let p1 = text_at("F2", 72.0, 760.0, &hex_ucs2("公开02表")) + &ruled_table(72.0, 200.0) + "BT /F1 9 Tf 290 30 Td (- 1 -) Tj ET\n";
    let p2 = ruled_table(72.0, 800.0) + "BT /F1 9 Tf 290 30 Td (- 2 -) Tj ET\n";
    let d = extract(&build(&[(p1.as_bytes(), A4, 0), (p2.as_bytes(), A4, 0)], false)).expect("readable");
    let t = tables(&d);
    assert_eq!(t.len(), 1);
    // Header once, then the two body rows of each page.
    assert_eq!(t[0].n_rows, 5);
    assert_eq!(t[0].text_grid()[3][0], "工资福利支出");
    assert_eq!(t[0].cells.iter().filter(|c| c.text == "204.16").map(|c| c.prov.page).collect::<Vec<_>>(), vec![Some(1), Some(2)]);
    assert_eq!(paragraphs(&d), vec!["公开02表"], "page numbers are dropped");
}

#[test]
fn image_only_pages_need_ocr() {
    // OCR off: what a scan gives when it is not read, whether or not Tesseract is installed.
    let extract = |bytes: &[u8]| PdfExtractor.extract(bytes, &Options { ocr: OcrMode::Off, ..Options::default() });
    let scan: &[u8] = b"q 595 0 0 842 0 0 cm /Im1 Do Q\n";
    let all = extract(&build(&[(scan, A4, 0), (scan, A4, 0)], true)).expect_err("nothing to read");
    assert_eq!(all.kind, ErrorKind::Failed);
    assert_eq!(all.message, "image-only PDF pages 1-2: needs OCR");

    let text = text_at("F2", 72.0, 760.0, &hex_ucs2("部门决算"));
    let d = extract(&build(&[(text.as_bytes(), A4, 0), (scan, A4, 0), (scan, A4, 0)], true)).expect("partly readable");
    assert_eq!(d.partial.as_deref(), Some("image-only PDF pages 2-3: needs OCR"));
    assert_eq!(paragraphs(&d), vec!["部门决算"]);
}

#[test]
fn hostile_bytes_fail_with_a_reason() {
    for bytes in [&b""[..], b"%PDF-1.4\n", b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF", b"not a pdf at all"] {
        let e = extract(bytes).expect_err("no document");
        assert_eq!(e.kind, ErrorKind::Failed);
        assert!(!e.message.is_empty() && !e.message.contains('\n'));
    }
}

#[test]
fn page_limit_is_honoured() {
    let text = text_at("F2", 72.0, 760.0, &hex_ucs2("部门决算"));
    let pages: Vec<(&[u8], [i64; 4], i64)> = (0..3).map(|_| (text.as_bytes(), A4, 0)).collect();
    let opts = Options { max_pages: 2, ..Options::default() };
    let d = PdfExtractor.extract(&build(&pages, false), &opts).expect("readable");
    assert_eq!(d.paragraphs().count(), 2);
    assert!(d.partial.as_deref().unwrap_or("").contains("first 2 of 3 pages"));
    assert!(matches!(d.blocks[0], Block::Paragraph(_)));
}

/// 佛山/烟台/湖州 print the tag, the title and the header again on each page a table runs
/// over. The reader keeps what is printed: two grids with the title lines between, every cell
/// with its own page, so that the recogniser can join them and count a repeated row once.
#[test]
fn table_continued_under_a_repeated_title_keeps_each_page() {
    let title = |y: f32| text_at("F2", 72.0, y, &hex_ucs2("表2")) + &text_at("F2", 72.0, y - 20.0, &hex_ucs2("收入决算表"));
    let p1 = title(780.0) + &ruled_table(72.0, 720.0);
    let p2 = title(780.0) + &ruled_table(72.0, 720.0);
    let d = extract(&build(&[(p1.as_bytes(), A4, 0), (p2.as_bytes(), A4, 0)], false)).expect("readable");
    let kinds: Vec<&str> = d.blocks.iter().map(|b| if matches!(b, Block::Table(_)) { "T" } else { "P" }).collect();
    assert_eq!(kinds, ["P", "P", "T", "P", "P", "T"], "{:?}", paragraphs(&d));
    for (t, page) in tables(&d).into_iter().zip([1, 2]) {
        assert_eq!(t.text_grid()[1], vec!["工资福利支出", "204.16", "1.00"]);
        assert!(t.cells.iter().all(|c| c.prov.page == Some(page)), "page {page}");
    }
}
