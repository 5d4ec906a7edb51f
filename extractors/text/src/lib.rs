//! Text renderings of disclosures → the gongkai document model.
//!
//! Converters and scrapers hand over reports as plain text in three table layouts, all read
//! here: tab-separated rows (one line a row), one cell per line (each cell on its own line
//! behind a tab, rows separated by blank lines), and markdown pipe tables. Everything else
//! is a paragraph, one per line. Text is UTF-8, or GB18030 (GBK) when it is not valid UTF-8.

use gongkai_model::{Block, Cell, Document, ExtractError, Extractor, Format, Options, Paragraph, Provenance, Table};

/// Reads `.txt` and `.md` renderings.
pub struct TextExtractor(pub Format);

impl Extractor for TextExtractor {
    fn format(&self) -> Format {
        self.0
    }

    fn extract(&self, bytes: &[u8], _opts: &Options) -> Result<Document, ExtractError> {
        let text = decode(bytes);
        if text.trim().is_empty() {
            return Err(ExtractError::failed("empty text file"));
        }
        Ok(parse(&text))
    }
}

/// UTF-8 (with or without BOM), else GB18030, the superset of GBK and GB2312.
pub fn decode(bytes: &[u8]) -> String {
    let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(b) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::GB18030.decode(b).0.into_owned(),
    }
}

/// A run of consecutive non-blank lines, with the 1-based number of its first line.
struct Chunk<'a> {
    first_line: u32,
    lines: Vec<&'a str>,
}

/// What a chunk of lines turned into, before tables are joined across blank lines.
enum Piece {
    Paragraph(Paragraph),
    Rows(Vec<(u32, Vec<(u32, String)>)>),
}

/// Cells of one row kept: a report's widest table has a few dozen columns, and 20 million
/// tab-separated cells on one line are an attack on memory, not a table.
const MAX_CELLS_PER_LINE: usize = 1024;
/// Cells of one table's grid (rows × widest row) kept; rows beyond are left out.
const MAX_CELLS_PER_TABLE: usize = 1_000_000;

fn parse(text: &str) -> Document {
    let mut pieces = Vec::new();
    let mut cut = Vec::new();
    for chunk in chunks(text) {
        pieces.extend(read_chunk(&chunk, &mut cut));
    }
    let blocks = join_tables(pieces, &mut cut);
    cut.sort_unstable();
    cut.dedup();
    let partial = cut.first().map(|first| {
        format!("{} lines from line {first} hold more than {MAX_CELLS_PER_LINE} cells or overflow a table of {MAX_CELLS_PER_TABLE} cells: the cells beyond were not read", cut.len())
    });
    Document { blocks, partial, ..Default::default() }
}

fn chunks(text: &str) -> Vec<Chunk<'_>> {
    let mut out: Vec<Chunk> = Vec::new();
    let mut cur: Option<Chunk> = None;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        // A lone tab is an empty cell of the one-cell-per-line layout, not a blank line.
        if line.trim().is_empty() && !line.contains('\t') {
            out.extend(cur.take());
        } else {
            cur.get_or_insert_with(|| Chunk { first_line: i as u32 + 1, lines: Vec::new() }).lines.push(line);
        }
    }
    out.extend(cur);
    out
}

/// One cell per line: every line of the chunk is `\t<cell>` and there are several of them.
fn is_cell_per_line(chunk: &Chunk) -> bool {
    chunk.lines.len() >= 2 && chunk.lines.iter().all(|l| l.starts_with('\t') && l.matches('\t').count() == 1)
}

/// The chunk's pieces; `cut` gets the lines whose cells beyond [`MAX_CELLS_PER_LINE`] were left out.
fn read_chunk(chunk: &Chunk, cut: &mut Vec<u32>) -> Vec<Piece> {
    if is_cell_per_line(chunk) {
        // Its cells make one row: the same cap as a row on one line.
        let lines = chunk.lines.iter().take(MAX_CELLS_PER_LINE);
        let cells: Vec<(u32, String)> = lines.enumerate().map(|(i, l)| (chunk.first_line + i as u32, clean_cell(l))).collect();
        if chunk.lines.len() > MAX_CELLS_PER_LINE {
            cut.push(chunk.first_line + MAX_CELLS_PER_LINE as u32);
        }
        return vec![row_or_metadata(chunk.first_line, cells)];
    }
    let mut pieces = Vec::new();
    for (i, line) in chunk.lines.iter().enumerate() {
        let n = chunk.first_line + i as u32;
        if let Some(cells) = pipe_row(line) {
            if !cells.iter().all(|c| is_pipe_rule(c)) {
                pieces.push(row_or_metadata(n, cells.into_iter().map(|c| (n, c)).collect()));
            }
        } else if line.trim_start_matches('\t').contains('\t') {
            let mut cells: Vec<_> = line.split('\t').take(MAX_CELLS_PER_LINE + 1).map(|c| (n, clean_cell(c))).collect();
            if cells.len() > MAX_CELLS_PER_LINE {
                cut.push(n);
                cells.truncate(MAX_CELLS_PER_LINE);
            }
            pieces.push(row_or_metadata(n, cells));
        } else if !line.trim().is_empty() {
            pieces.push(paragraph(n, line));
        }
    }
    pieces
}

fn clean_cell(s: &str) -> String {
    s.trim().to_string()
}

fn paragraph(line: u32, text: &str) -> Piece {
    let text = text.trim().trim_start_matches("#").trim_start_matches("- ").trim();
    Piece::Paragraph(Paragraph { text: text.to_string(), prov: Provenance::line(line) })
}

/// Title, unit and department lines are often printed inside the table grid (a row holding
/// only `公开02表`, or `部门：` … `单位：万元`); they are paragraphs for the recogniser.
fn row_or_metadata(line: u32, cells: Vec<(u32, String)>) -> Piece {
    let filled: Vec<&str> = cells.iter().map(|(_, c)| c.as_str()).filter(|c| !c.is_empty()).collect();
    if filled.is_empty() {
        return Piece::Rows(Vec::new());
    }
    if filled.iter().all(|c| is_caption(c)) || (filled.len() == 1 && cells.len() == 1) {
        let text = filled.join("\t");
        return Piece::Paragraph(Paragraph { text, prov: Provenance::line(line) });
    }
    // A department label split from its value (`部门：` | `德惠市医疗保障局`) is a caption too.
    if filled.len() <= 3 && filled.first().is_some_and(|c| is_caption(c)) && filled.iter().all(|c| !looks_numeric(c)) {
        return Piece::Paragraph(Paragraph { text: filled.join("\t"), prov: Provenance::line(line) });
    }
    Piece::Rows(vec![(line, cells)])
}

const CAPTION_PREFIXES: [&str; 8] = ["部门：", "部门:", "单位：", "单位:", "编制部门", "编制单位", "金额单位", "预算单位"];

fn is_caption(c: &str) -> bool {
    let c = c.trim();
    CAPTION_PREFIXES.iter().any(|p| c.starts_with(p)) || is_table_tag(c)
}

/// `公开01表`, `公开 01 表`, `表1`, `表一`.
fn is_table_tag(c: &str) -> bool {
    let s: String = c.chars().filter(|ch| !ch.is_whitespace()).collect();
    let inner = s.strip_prefix("公开").unwrap_or(&s);
    let Some(body) = inner.strip_suffix('表') else {
        return s.starts_with('表') && s.chars().count() <= 4 && s.chars().skip(1).all(is_ordinal_char);
    };
    !body.is_empty() && body.chars().all(is_ordinal_char)
}

fn is_ordinal_char(c: char) -> bool {
    c.is_ascii_digit() || "一二三四五六七八九十".contains(c) || c == '-'
}

fn looks_numeric(c: &str) -> bool {
    c.chars().any(|ch| ch.is_ascii_digit()) && c.chars().all(|ch| ch.is_ascii_digit() || ",.-—".contains(ch))
}

fn pipe_row(line: &str) -> Option<Vec<String>> {
    let t = line.trim();
    if !(t.starts_with('|') && t.ends_with('|') && t.len() >= 2) {
        return None;
    }
    Some(t[1..t.len() - 1].split('|').map(|c| c.trim().to_string()).collect())
}

fn is_pipe_rule(c: &str) -> bool {
    !c.is_empty() && c.chars().all(|ch| ch == '-' || ch == ':' || ch == ' ')
}

/// Rows separated only by blank lines belong to one table: page breaks of the original
/// become blank lines in a rendering, and a table must not split there.
/// Tables from consecutive rows; `cut` gets the lines of rows that would take a table's grid
/// beyond [`MAX_CELLS_PER_TABLE`].
fn join_tables(pieces: Vec<Piece>, cut: &mut Vec<u32>) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut rows: Vec<(u32, Vec<(u32, String)>)> = Vec::new();
    let mut width = 0;
    for piece in pieces {
        match piece {
            Piece::Rows(r) => {
                for row in r {
                    let wider = width.max(row.1.len());
                    if wider * (rows.len() + 1) > MAX_CELLS_PER_TABLE {
                        cut.push(row.0);
                        continue;
                    }
                    width = wider;
                    rows.push(row);
                }
            }
            Piece::Paragraph(p) => {
                if !rows.is_empty() {
                    blocks.push(Block::Table(table(std::mem::take(&mut rows))));
                }
                width = 0;
                blocks.push(Block::Paragraph(p));
            }
        }
    }
    if !rows.is_empty() {
        blocks.push(Block::Table(table(rows)));
    }
    blocks
}

fn table(rows: Vec<(u32, Vec<(u32, String)>)>) -> Table {
    let mut t = Table { prov: Provenance::line(rows.first().map_or(0, |r| r.0)), ..Default::default() };
    for (r, (_, cells)) in rows.into_iter().enumerate() {
        for (c, (line, text)) in cells.into_iter().enumerate() {
            t.push(Cell { prov: Provenance::line(line), ..Cell::new(r, c, text) });
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn extract(s: &str) -> Document {
        TextExtractor(Format::Text).extract(s.as_bytes(), &Options::default()).unwrap()
    }

    #[test]
    fn tab_rows_form_one_table_across_blank_lines() {
        let d = extract("收入决算表\n\n公开02表\n\n项目\t金额\n合计\t1,529.16\n\n210\t8.28\n\n注：说明\n");
        let tables: Vec<_> = d.tables().collect();
        assert_eq!(tables.len(), 1);
        assert_eq!(tables[0].text_grid()[2], vec!["210", "8.28"]);
        assert_eq!(tables[0].cells[2].prov.line, Some(6));
        assert!(d.paragraphs().any(|p| p.text == "公开02表"));
    }

    #[test]
    fn one_cell_per_line_rows() {
        let d = extract("\t公开01表\n\n\t部门：\n\t德惠市医疗保障局\n\t\n\t单位：万元\n\n\t项目\n\t金额\n\n\t合计\n\t735\n\n\t注：本表\n");
        let t = d.tables().next().unwrap();
        assert_eq!(t.text_grid(), vec![vec!["项目", "金额"], vec!["合计", "735"]]);
        assert!(d.paragraphs().any(|p| p.text == "部门：\t德惠市医疗保障局\t单位：万元"));
        assert_eq!(t.cells[3].prov.line, Some(12));
    }

    #[test]
    fn markdown_pipe_tables_and_headings() {
        let d = extract("## 支出决算表\n\n| 项目 | 金额 |\n|---|---|\n| 合计 | 5.04 |\n");
        assert_eq!(d.paragraphs().next().unwrap().text, "支出决算表");
        assert_eq!(d.tables().next().unwrap().text_grid()[1], vec!["合计", "5.04"]);
    }

    #[test]
    fn gbk_text_is_decoded() {
        let (bytes, _, _) = encoding_rs::GBK.encode("收入决算表\n合计\t665.38\t1\n");
        let d = TextExtractor(Format::Text).extract(&bytes, &Options::default()).unwrap();
        assert_eq!(d.paragraphs().next().unwrap().text, "收入决算表");
    }

    #[test]
    fn empty_text_fails_with_reason() {
        let e = TextExtractor(Format::Text).extract(b"\n \n", &Options::default()).unwrap_err();
        assert_eq!(e.message, "empty text file");
    }
}
