//! Tables without rulings, read from alignment: a run of lines that break into chunks at
//! column-sized gaps, where the gaps line up over several lines, is a table whose columns are
//! the x ranges no (or almost no) chunk crosses.

use gongkai_model::{BBox, Cell, Provenance, Table};

use crate::lines::{ends_with_amount, join_wrapped, median, Chunk, Line};
use crate::page::PageTable;
use crate::settings::TableSettings;

/// What a table read from alignment was cut from: its columns' x ranges and its lines, by
/// page when it runs over several.
pub(crate) struct Unruled {
    cols: Vec<(f32, f32)>,
    parts: Vec<(u32, Vec<Line>)>,
}

impl Unruled {
    pub fn lines(&self) -> impl Iterator<Item = &Line> {
        self.parts.iter().flat_map(|(_, lines)| lines)
    }

    /// Lines printed above the table that belong to its first row (see `carry_cell_tail`).
    pub fn put_front(&mut self, lines: Vec<Line>) {
        if let Some((_, first)) = self.parts.first_mut() {
            first.splice(0..0, lines);
        }
    }

    /// The column edges, left to right (for the debug picture).
    pub fn column_edges(&self) -> Vec<f32> {
        let mut xs: Vec<f32> = self.cols.iter().map(|c| c.0).collect();
        xs.extend(self.cols.last().map(|c| c.1));
        xs
    }

    pub fn take_front(&mut self, n: usize) -> Vec<Line> {
        self.parts.first_mut().map(|(_, first)| first.drain(..n.min(first.len())).collect()).unwrap_or_default()
    }
}

/// Splits the page's free lines into lines that stay text and tables read from alignment.
pub(crate) fn detect(lines: Vec<Line>, page: u32, s: &TableSettings) -> (Vec<Line>, Vec<PageTable>) {
    let lines = join_header_halves(lines, s);
    let mut rest = Vec::new();
    let mut tables = Vec::new();
    let mut run: Vec<Line> = Vec::new();
    let flush = |run: &mut Vec<Line>, rest: &mut Vec<Line>, tables: &mut Vec<PageTable>, page_end: bool| {
        // Trailing single-chunk lines are text after the table, not rows, unless they finish
        // a label wrapped in the last row (short, no figures, a line's height below). At the
        // page's foot the table's own row pitch says how far below that may be: a tail taken
        // for text there would end the page with a paragraph and lose the continuation.
        let mut tail = Vec::new();
        let reach = if page_end { wrap_reach(run.iter(), s) } else { 0.0 };
        let wrapped_tail = |run: &Vec<Line>| run.len() >= 2 && wraps_on(&run[run.len() - 2], &run[run.len() - 1], reach, s);
        // Nor the lower half of a cell centred on the last row (`635.1` / `3` around
        // `人员经费合计`: an amount wrapped in a narrow column), figures or not: each half a
        // wrapped line's step from the row (a note below the table may be centred as well).
        let straddling_tail = |run: &Vec<Line>| {
            let [.., above, mid, below] = run.as_slice() else { return false };
            let step = wrap_limit(above.size.max(mid.size).max(below.size), 0.0, s);
            let close = mid.base - above.base <= step && below.base - mid.base <= step;
            close && !straddling_halves(&run[run.len() - 3..], s).is_empty()
        };
        // At the page's foot, nor rows whose code and name were set as one (`30212因公出国（境）费用`,
        // its amounts empty) a row's pitch below the last: taken for text after the table, they
        // end the page with a paragraph and lose the continuation.
        let pitch = if page_end { row_pitch(run.iter(), |l| l.chunks.iter().any(|c| has_figure(&c.text))) } else { 0.0 };
        let coded_row = |run: &Vec<Line>| {
            let [.., prev, last] = run.as_slice() else { return false };
            pitch > 0.0 && last.base - prev.base <= pitch + last.size * s.baseline_tol_em && starts_with_code(&last.text())
        };
        while run.last().is_some_and(|l| l.chunks.len() < 2) && !wrapped_tail(run) && !straddling_tail(run) && !coded_row(run) {
            if let Some(l) = run.pop() {
                tail.push(l);
            }
        }
        tail.reverse();
        let multi = run.iter().filter(|l| l.chunks.len() >= 2).count();
        let mut taken = std::mem::take(run);
        // At the top of a page, a row or two may end the previous page's table; at its foot,
        // a header may start the next page's: kept as a table that only a continuation
        // makes real (`continue_with`).
        let page_top = rest.is_empty() && tables.is_empty();
        if multi >= s.min_rows && rest.last().is_some_and(|l| straddles_first_row(l, &taken, s)) {
            taken.splice(0..0, rest.pop());
        }
        let enough = multi >= s.min_rows || ((page_top || page_end) && multi >= 1);
        match enough.then(|| table_of(&taken, page, s)).flatten() {
            Some(mut t) => {
                t.only_as_continuation = multi < s.min_rows;
                tables.push(t)
            }
            None => rest.extend(taken),
        }
        rest.extend(tail);
    };
    for l in lines {
        // Rows may stand taller than text lines (a header's first row of figures sits a
        // tall cell's height below it): a row-like line may be a little further off.
        let reach = if l.chunks.len() >= 2 { s.row_reach_em } else { s.text_reach_em };
        let close = run.last().is_some_and(|p| l.base - reach_from(p) <= p.size.max(l.size) * reach);
        if is_caption(&l, s) {
            // A table's name, number or unit (`收入决算表`, `公开02表  金额单位：万元`) ends the
            // block above whatever its type size: the next table starts below it.
            flush(&mut run, &mut rest, &mut tables, false);
            rest.push(l);
        } else if l.chunks.len() >= 2 {
            // Rows in another type size after lone lines (titles, 单位) start another block.
            let rows_so_far = run.iter().filter(|r| r.chunks.len() >= 2).count();
            let after_text = rows_so_far < s.min_rows && run.last().is_some_and(|p| p.chunks.len() < 2 && !is_header_fragment(p, &run, s)) && is_heading_after(&l, &run, s);
            if (!close || after_text) && !run.is_empty() {
                flush(&mut run, &mut rest, &mut tables, false);
            }
            run.push(l);
        } else if close && !run.is_empty() && !is_heading_after(&l, &run, s) {
            run.push(l);
        } else {
            flush(&mut run, &mut rest, &mut tables, false);
            rest.push(l);
        }
    }
    flush(&mut run, &mut rest, &mut tables, true);
    (rest, tables)
}

/// Where the next line's distance from `p` is measured: a header row joined from the halves of
/// its wrapped cells (`join_header_halves`) ends at its lower halves. A label stacked a glyph
/// per line (`类`/`型`, joined into one line by the page) is measured from its first glyph, as
/// before the join: it stands in a tall merged cell beside the rows, and says nothing of how
/// far the next row is (with its foot, a stacked label in a table's left column pulled the
/// rows of 长春 real_034's unruled 项目支出表 into a table whose wrapped names it misread).
fn reach_from(p: &Line) -> f32 {
    if p.chunks.len() >= 2 {
        p.base + p.extra
    } else {
        p.base
    }
}

/// `line`, just above a table, is the top half of a header centred on the table's first row
/// (`附属单位上缴收` over `入`, the first row between): the next row holds the other half
/// under it, the first row nothing there, and the two halves' middle is the first row's
/// baseline. It belongs to the table (`join_straddling` joins the halves).
fn straddles_first_row(line: &Line, run: &[Line], s: &TableSettings) -> bool {
    let [first, second, ..] = run else { return false };
    let under = |l: &Line| l.chunks.iter().any(|c| c.x1 > line.x0 && c.x0 < line.x1);
    let size = line.size.max(first.size);
    let centred = centred_on(line.base, first.base, second.base, size, s);
    line.chunks.len() == 1 && is_label_tail(&line.text(), s) && !is_caption(line, s) && centred && !under(first) && under(second)
}

/// Whether lines at baselines `above` and `below` are the halves of a cell centred on the row
/// at `mid`: their middle within `straddle_centre_em` of its baseline.
fn centred_on(above: f32, mid: f32, below: f32, size: f32, s: &TableSettings) -> bool {
    ((above + below) / 2.0 - mid).abs() <= size * s.straddle_centre_em
}

/// One-chunk lines that are the two halves of a cell centred on the row between them (see
/// `straddles`): one above and one below a row of several chunks, over each other, their
/// middle the row's baseline.
fn straddling_halves<'l>(run: &'l [Line], s: &TableSettings) -> Vec<&'l Line> {
    let mut out = Vec::new();
    for w in run.windows(3) {
        let (above, mid, below) = (&w[0], &w[1], &w[2]);
        let size = above.size.max(mid.size).max(below.size);
        let centred = centred_on(above.base, mid.base, below.base, size, s);
        let stacked = above.x0 < below.x1 && below.x0 < above.x1;
        if above.chunks.len() == 1 && below.chunks.len() == 1 && mid.chunks.len() >= 2 && centred && stacked {
            out.extend([above, below]);
        }
    }
    out
}

/// A header row whose cells are all labels, some wrapped over two lines and some not, prints
/// as three lines of lone labels: the wrapped cells' first lines above the one-line cells'
/// line, their last lines below it (`“三公”经费预算` / `“三公”经费决算数` / `数`, or `本年支` /
/// `项目` / `出`). No line has two chunks, so none reads as a row, and the header would stay
/// text above its table (on a continued page, text that hides the continuation). The halves,
/// over each other, and the line between, clear of them, whose baseline is their middle, are
/// one line: the row's. (Halves beside a row of several cells are left to the table's own
/// rows, `straddling_halves`.) Headers come before a table's rows: after rows with figures,
/// until the next caption, lone lines are the rows' wrapped names, not headers.
fn join_header_halves(lines: Vec<Line>, s: &TableSettings) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    let mut in_rows = false;
    for l in lines {
        let n = out.len();
        if is_caption(&l, s) {
            in_rows = false;
        } else if l.chunks.len() >= 2 && l.chunks.iter().any(|c| has_figure(&c.text)) {
            in_rows = true;
        }
        match (n >= 2 && !in_rows).then(|| (&out[n - 2], &out[n - 1])) {
            Some((above, mid)) if header_halves(above, mid, &l, s) => {
                let row = halves_joined(above, mid, &l);
                out.truncate(n - 2);
                out.push(row);
            }
            _ => out.push(l),
        }
    }
    out
}

/// `above` and `below` hold the halves of header cells wrapped around `mid`'s lone label (see
/// `join_header_halves`). Headers are labels, not sentences: text with a comma or a full stop
/// is a cell of prose wrapped in a narrow column.
fn header_halves(above: &Line, mid: &Line, below: &Line, s: &TableSettings) -> bool {
    let prose = |t: &str| t.contains(['，', '。', '；', ',', ';']);
    let labels = |l: &Line| l.chunks.iter().all(|c| is_label_tail(&c.text, s) && !prose(&c.text)) && !is_caption(l, s);
    let size = above.size.max(mid.size).max(below.size);
    let near = |a: &Line, b: &Line| b.base > a.base && b.base - a.base <= size * s.text_reach_em && (a.size - b.size).abs() <= size * s.heading_size_change;
    let centred = centred_on(above.base, mid.base, below.base, size, s);
    // A label's last line is no wider than its first (the wrap filled the first): a wider
    // line under a short label is a header row of its own (`项目` over `功能分类科目编码`).
    let halves = |a: &Chunk, b: &Chunk| a.x0 < b.x1 && b.x0 < a.x1 && b.x1 - b.x0 <= a.x1 - a.x0 + size * s.straddle_centre_em;
    let stacked = above.chunks.len() == below.chunks.len() && above.chunks.iter().zip(&below.chunks).all(|(a, b)| halves(a, b));
    let clear = mid.chunks.iter().all(|m| above.chunks.iter().chain(&below.chunks).all(|c| c.x1 <= m.x0 || m.x1 <= c.x0));
    mid.chunks.len() == 1 && labels(above) && labels(mid) && labels(below) && near(above, mid) && near(mid, below) && centred && stacked && clear
}

/// `mid` with each half of `above` joined to the half of `below` under it, as cells of its own.
fn halves_joined(above: &Line, mid: &Line, below: &Line) -> Line {
    let mut chunks = mid.chunks.clone();
    for (a, b) in above.chunks.iter().zip(&below.chunks) {
        chunks.push(Chunk { text: join_wrapped(&[a.text.clone(), b.text.clone()]), x0: a.x0.min(b.x0), x1: a.x1.max(b.x1), breaks: Vec::new() });
    }
    chunks.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    let x0 = above.x0.min(mid.x0).min(below.x0);
    let x1 = above.x1.max(mid.x1).max(below.x1);
    Line { chunks, base: mid.base, size: mid.size, x0, x1, extra: below.base - mid.base + below.extra }
}

/// `next` can be the rest of a label wrapped in `line`: a label tail just below (within
/// `reach` points, the table's measured row pitch, or `wrap_pitch_em` if that is more).
fn wraps_on(line: &Line, next: &Line, reach: f32, s: &TableSettings) -> bool {
    next.base - line.base <= wrap_limit(line.size.max(next.size), reach, s) && is_label_tail(&next.text(), s)
}

/// How far below a line the next line of its wrapped label may be: `wrap_pitch_em`, or the
/// table's own row pitch (`wrap_reach`) when its rows stand further apart.
fn wrap_limit(size: f32, reach: f32, s: &TableSettings) -> f32 {
    (size * s.wrap_pitch_em).max(reach)
}

/// The row pitch measured on a run of lines, times `wrap_of_row_pitch`: the median baseline
/// step between consecutive rows that hold figures. A cell's wrapped lines are never further
/// apart than single-line rows (the rows add the cell padding), so a layout with airy rows
/// may wrap airily. Zero when too few rows show it.
fn wrap_reach<'l>(lines: impl IntoIterator<Item = &'l Line>, s: &TableSettings) -> f32 {
    row_pitch(lines, |l| l.chunks.len() >= 2 && l.chunks.iter().any(|c| has_figure(&c.text))) * s.wrap_of_row_pitch
}

/// The median baseline step between consecutive lines that are rows; zero when too few
/// rows show it.
fn row_pitch<'l>(lines: impl IntoIterator<Item = &'l Line>, is_row: impl Fn(&Line) -> bool) -> f32 {
    let mut steps: Vec<f32> = Vec::new();
    let mut prev: Option<&Line> = None;
    for l in lines {
        let row = is_row(l);
        if let (true, Some(p)) = (row, prev) {
            steps.push(l.base - p.base);
        }
        prev = if row { Some(l) } else { None };
    }
    if steps.len() < 2 {
        return 0.0;
    }
    median(steps.into_iter())
}

/// Text opening with a classification code (3, 5 or 7 digits: 类, 款, 项; not a year) and
/// going on with its name (`30212因公出国`, `2010101 行政运行`): a row's label, code and name
/// set as one.
fn starts_with_code(text: &str) -> bool {
    let t = text.trim_start();
    let digits = t.chars().take_while(|c| c.is_ascii_digit()).count();
    let rest = t[digits..].trim_start();
    matches!(digits, 3 | 5 | 7) && rest.chars().next().is_some_and(|c| c.is_alphabetic() && !c.is_ascii()) && !has_figure(rest)
}

/// Text that can be the rest of a wrapped label: short, no figures.
pub(crate) fn is_label_tail(text: &str, s: &TableSettings) -> bool {
    text.chars().count() <= s.label_tail_max_chars && !has_figure(text)
}

/// A table's caption line: its name (`…表`), its number (`公开02表`) or its unit
/// (`单位：万元`), alone or together on one line.
fn is_caption(l: &Line, s: &TableSettings) -> bool {
    let text: String = l.text().chars().filter(|c| !c.is_whitespace()).collect();
    let unit = text.contains("单位：") || text.contains("单位:");
    let numbered = text.starts_with("公开") && text.contains('表');
    let named = text.ends_with('表') && text.chars().count() >= s.caption_min_name_chars && !has_figure(&text);
    let short = l.chunks.len() <= s.caption_max_chunks && text.chars().count() <= s.caption_max_chars;
    short && (unit || numbered || named)
}

/// `lone`, a one-chunk line after a run's last row, is the rest of a header cell wrapped
/// over two lines (`专项业务经费支` / `出`): in that row's type size, and standing in one of
/// the row's empty column slots (between two of its chunks), where a title or a unit line
/// would reach across its cells.
fn is_header_fragment(lone: &Line, run: &[Line], s: &TableSettings) -> bool {
    let Some(row) = run.iter().rev().find(|r| r.chunks.len() >= 2) else { return false };
    let in_slot = row.chunks.windows(2).any(|w| lone.x0 >= w[0].x1 && lone.x1 <= w[1].x0);
    in_slot && !is_heading_after(lone, run, s)
}

/// A line in another type size than the rows before it. A lone one is the title of what
/// follows (the next table's name, its 公开表 number), which ends the table above. Only rows
/// with figures set the size: a header row may be set larger or bolder than the rows under it.
fn is_heading_after(l: &Line, run: &[Line], s: &TableSettings) -> bool {
    let row = run.iter().rev().find(|r| r.chunks.len() >= 2 && r.chunks.iter().any(|c| has_figure(&c.text))).map_or(l.size, |r| r.size);
    (l.size - row).abs() > row * s.heading_size_change
}

fn table_of(run: &[Line], page: u32, s: &TableSettings) -> Option<PageTable> {
    columns(run, s).map(|cols| page_table(run, cols, page, s))
}

/// The x ranges of the columns of a run of lines, from the gaps that line up down the run.
fn columns(run: &[Line], s: &TableSettings) -> Option<Vec<(f32, f32)>> {
    let multi: Vec<&Line> = run.iter().filter(|l| l.chunks.len() >= 2).collect();
    let x0 = run.iter().map(|l| l.x0).fold(f32::MAX, f32::min);
    let x1 = run.iter().map(|l| l.x1).fold(f32::MIN, f32::max);
    // Positions on a grid of `column_grid` steps per point: cramped columns part by a point.
    let res = s.column_grid;
    let width = ((x1 - x0) * res).ceil() as usize + 1;
    if x1 - x0 > s.max_table_width {
        return None;
    }
    let index = |x: f32| (((x - x0) * res).floor().max(0.0) as usize).min(width - 1);
    let span = |x0: f32, x1: f32| {
        let (a, b) = (index(x0), index((x1 * res).ceil() / res));
        (a.min(b), a.max(b))
    };
    // Header labels set close run into one chunk (`一般公共预 政府性基金 国有资本经`): each
    // word of it stands in its own column, and marks (or spans) gaps on its own; a label
    // spread a glyph at a time marks as one label where it stands in one gap (`header_marks`).
    let words_of = |lines: &[&Line], gaps: &[(usize, usize)]| -> Vec<(usize, usize)> {
        let gaps_met = |(a, b): (f32, f32)| {
            let (a, b) = span(a, b);
            (gaps.iter().filter(|&&(gs, ge)| a < ge && b >= gs).count(), gaps.iter().any(|&(gs, ge)| a >= gs && b < ge))
        };
        lines.iter().flat_map(|l| header_marks(l, run, &gaps_met, s)).map(|(a, b)| span(a, b)).collect()
    };
    // Gaps come from the rows with figures: header labels centred over several columns
    // (收入 over 项目 | 行次 | 金额) would close them, on a short table every one of them.
    let figures: Vec<&Line> = multi.iter().copied().filter(|l| l.chunks.iter().any(|c| has_figure(&c.text))).collect();
    let body = if figures.len() >= 2 { figures.clone() } else { multi.clone() };
    // Header labels mark columns of their own (over an empty column) only when enough rows
    // show where the columns are: over a two-row page end, 项目 centred in its wide column
    // would split it.
    // The lines of a header cell wrapped beside one-line cells (`附属单位上缴收` / `入`) are
    // one-chunk lines, and mark their column as the others do.
    let headers: Vec<&Line> = multi.iter().copied().chain(straddling_halves(run, s)).collect();
    // A column gap may be crossed by a few stray chunks, never by most lines; never by an
    // amount, which stands in its column however few rows fill it (a sparse column's lone
    // figure is no stray label), nor by a number of the 栏次 line (each stands in the column
    // it numbers: over columns no row fills, the only mark of their edges).
    // Above a single row of figures (a 三公 table) the header lines set the gaps too; one of
    // them alone closes none that the others leave open: its label spans a group of columns
    // (公务用车购置及运行费 over 小计 | 购置费 | 运行费, joined from its wrapped halves, or
    // 因公出国 over its 预算数 | 决算数).
    let few_figures = figures.len() == 1 && body.len() >= s.min_rows;
    let allowed = (body.len() / s.gap_crossers).max(usize::from(few_figures));
    let mut cover = vec![0usize; width];
    for l in &body {
        // The one row of figures is the table's body: its chunks close gaps as amounts do.
        let figure_row = few_figures && figures.iter().any(|f| std::ptr::eq(*f, *l));
        let numbers = is_column_numbers(l);
        for c in &l.chunks {
            let whole = figure_row || (numbers && has_figure(&c.text));
            // By part: a 行次 set close to its amount (`27 665.38`, one chunk) leaves the
            // amount the weight of one, which holds its column however few rows fill it.
            for (a, b, part) in figure_parts(c) {
                let weight = if whole || is_amount(part) { allowed + 1 } else { 1 };
                let (a, b) = span(a, b);
                for v in &mut cover[a..=b] {
                    *v += weight;
                }
            }
        }
    }
    let size = median(run.iter().map(|l| l.size));
    // Chunks already part at an em of space (half an em after an amount), so any run clear
    // down the lines parts columns, however narrow: cramped layouts leave a third of an em.
    let min_gap =
        (((size * s.min_column_gap_em).max(s.min_column_gap) * res) as usize, ((size * s.clear_column_gap_em).max(s.clear_column_gap) * res) as usize);
    // Only a chunk spanning a whole gap (a header over several columns) may cross it. One that
    // starts or ends inside is text of a column there: a long name reaching into the gap, a
    // column with figures in few rows, a header over an empty column. Its chunks must get
    // cells, not fall between columns.
    // A chunk that spans a whole gap somewhere is a header over several columns (or the
    // fragments of stacked headers set too close to part): it marks none of them.
    let mut solid = vec![false; width];
    let first = gaps(&cover, &solid.clone(), allowed, min_gap, true);
    let spans = words_of(if body.len() >= s.min_rows { &headers } else { &body }, &first);
    let spanning = |a: usize, b: usize| first.iter().any(|&(gs, ge)| a <= gs && b + 1 >= ge && gs > 0);
    for &(gs, ge) in &first {
        for &(a, b) in &spans {
            if b >= gs && a < ge && (a > gs || b + 1 < ge) && !spanning(a, b) {
                solid[a.max(gs)..=b.min(ge - 1)].fill(true);
            }
        }
    }
    // A header reaching from inside a gap to the column beyond (经营收入 centred over its
    // column's lone figure) belongs to that column: the clear sliver before it still parts
    // the two columns, however narrow; likewise after one reaching back to the column before,
    // and between two that do.
    let mut parting = gaps(&cover, &solid, allowed, min_gap, false);
    for &(gs, ge) in first.iter().filter(|g| g.0 > 0 && g.1 < width) {
        let covered = |i: usize| solid[i];
        let from_end = (gs..ge).rev().take_while(|&i| covered(i)).count();
        let from_start = (gs..ge).take_while(|&i| covered(i)).count();
        // Headers reaching in from both sides (a header line's label and the half of a label
        // wrapped beside it) leave the clear run between them.
        if from_end == 0 && from_start == 0 {
            continue;
        }
        let sliver = (gs + from_start, ge - from_end);
        let clear = (sliver.0..sliver.1).all(|i| !covered(i));
        if clear && sliver.1 > sliver.0 && !parting.iter().any(|&(a, b)| a < sliver.1 && sliver.0 < b) {
            parting.push(sliver);
        }
    }
    parting.sort_unstable();
    let mut cols: Vec<(f32, f32)> = Vec::new();
    let mut start = 0usize;
    for (gs, ge) in parting {
        if gs > start {
            cols.push((x0 + start as f32 / res, x0 + gs as f32 / res));
        }
        start = ge;
    }
    if start < width {
        cols.push((x0 + start as f32 / res, x1));
    }
    if body.len() >= s.min_rows {
        // Over a single row of figures, the header lines are headers still: they fold onto
        // the figures' columns as over many rows.
        let rows = if few_figures { &figures } else { &body };
        let halves = label_halves(&multi, rows, s);
        let headers: Vec<&Line> = multi.iter().copied().filter(|l| !rows.iter().chain(&halves).any(|b| std::ptr::eq(*b, *l))).collect();
        cols = fold_numbered_columns(cols, rows);
        cols = fold_header_columns(cols, rows, &headers, s);
        cols = split_amount_columns(cols, rows, size, s);
    }
    (2..=s.max_columns).contains(&cols.len()).then_some(cols)
}

/// Lines of several labels that are the halves of a row's labels wrapped around its figures
/// (`人员经费合  公用经费合` / `计  计` above and below `191.15  3.24`): no figures, the line
/// between a row with figures, their middle its baseline, each lower half under an upper one.
/// They are the row's text, not headers.
fn label_halves<'l>(multi: &[&'l Line], body: &[&Line], s: &TableSettings) -> Vec<&'l Line> {
    let is_body = |l: &Line| body.iter().any(|b| std::ptr::eq(*b, l));
    let mut out = Vec::new();
    for w in multi.windows(3) {
        let (above, mid, below) = (w[0], w[1], w[2]);
        let size = above.size.max(mid.size).max(below.size);
        let centred = centred_on(above.base, mid.base, below.base, size, s);
        let under = below.chunks.iter().all(|b| above.chunks.iter().any(|a| a.x0 < b.x1 && b.x0 < a.x1));
        if !is_body(above) && is_body(mid) && !is_body(below) && above.base < mid.base && mid.base < below.base && centred && under {
            out.extend([above, below]);
        }
    }
    out
}

/// Amounts stand right-aligned, each column's at one right edge. Columns set so close that
/// no clear run parts them still show as separate right edges: a column holding two edges
/// (each shared by a few rows) is cut before the second edge's amounts begin.
fn split_amount_columns(cols: Vec<(f32, f32)>, body: &[&Line], size: f32, s: &TableSettings) -> Vec<(f32, f32)> {
    let mut amounts: Vec<(f32, f32)> = body.iter().flat_map(|l| &l.chunks).filter(|c| is_amount(&c.text)).map(|c| (c.x1, c.x0)).collect();
    amounts.sort_by(|a, b| a.0.total_cmp(&b.0));
    // Right edges within a third of an em are one edge: (edge, leftmost start, count).
    let mut edges: Vec<(f32, f32, usize)> = Vec::new();
    for (x1, x0) in amounts {
        match edges.last_mut() {
            Some(e) if x1 - e.0 <= size * s.amount_edge_em => {
                e.1 = e.1.min(x0);
                e.2 += 1;
            }
            _ => edges.push((x1, x0, 1)),
        }
    }
    edges.retain(|e| e.2 >= s.amount_edge_rows);
    // Half a step of the grid the clear runs are found on: how far a column's computed end may
    // fall short of its amounts' right edge.
    let half_step = 0.5 / s.column_grid;
    let mut out = Vec::with_capacity(cols.len());
    for (a, b) in cols {
        // Edges half a grid step past the column's end are its own (rounding of the grid).
        let inside: Vec<&(f32, f32, usize)> = edges.iter().filter(|e| e.0 > a && e.0 <= b + half_step).collect();
        let mut start = a;
        for pair in inside.windows(2) {
            let (left, right) = (pair[0], pair[1]);
            // Centred amounts have ragged right edges too, but their spans overlap.
            if right.1 < left.0 - size * s.amount_overlap_em {
                continue;
            }
            let cut = right.1.max(left.0 + half_step).min(right.0 - half_step);
            if cut > start && cut < b {
                out.push((start, cut));
                start = cut;
            }
        }
        out.push((start, b));
    }
    out
}

/// The x ranges of a chunk's words (its parts between word breaks).
fn words(c: &Chunk) -> Vec<(f32, f32)> {
    let mut out = Vec::with_capacity(c.breaks.len() + 1);
    let mut x0 = c.x0;
    for &(_, left_end, right_start) in &c.breaks {
        out.push((x0, left_end));
        x0 = right_start;
    }
    out.push((x0, c.x1));
    out
}

/// The x ranges of a chunk cut at the word spaces beside its figures: a code shares no cell
/// with the word a space away (`30101 基本工资`, `208 01 09 242001`: cramped code columns
/// run into each other and into the names), so the space stays clear where the columns
/// line up. Words without figures stay together (a label's words).
fn figure_parts(c: &Chunk) -> Vec<(f32, f32, &str)> {
    let figure = |w: &str| !w.is_empty() && w.chars().all(|ch| ch.is_ascii_digit() || matches!(ch, ',' | '.' | '-'));
    let mut out = Vec::new();
    let (mut from, mut start, mut x0) = (0, 0, c.x0);
    for (k, &(at, left_end, right_start)) in c.breaks.iter().enumerate() {
        let next = c.breaks.get(k + 1).map_or(c.text.len(), |b| b.0);
        if figure(c.text[from..at].trim()) || figure(c.text[at..next].trim()) {
            out.push((x0, left_end, c.text[start..at].trim()));
            (start, x0) = (at, right_start);
        }
        from = at;
    }
    out.push((x0, c.x1, c.text[start..].trim()));
    out
}

/// The x ranges a header line marks columns with: its chunks' words, but a label spread over
/// its cell a glyph at a time as one, where it stands in one gap (`小 计` in one chunk over an
/// empty column) or reaches from inside one gap into the column beside (`总` `计` in two
/// chunks, centred over the amounts of 总计): the spaces between its glyphs part no columns
/// (its first glyph would stand as an empty column beside its own). Glyphs in one gap in
/// two chunks are the wrapped tails of two labels (`入` `入`), and a label spread over
/// several columns (`支 出`, over two gaps or more) marks them one by one; so do glyphs
/// hanging a wrapped line's step under other text (`算` `预`: the tails of 一般公共预/算 and
/// 政府性基金预/算 wrapped, whatever stands between). `gaps_met` gives how many column gaps an
/// x range meets, and whether it lies inside one.
fn header_marks(l: &Line, run: &[Line], gaps_met: impl Fn((f32, f32)) -> (usize, bool), s: &TableSettings) -> Vec<(f32, f32)> {
    let hangs = |(a, b): (f32, f32)| {
        let above = |o: &&Line| o.base < l.base && l.base - o.base <= wrap_limit(o.size.max(l.size), 0.0, s);
        run.iter().filter(above).flat_map(|o| &o.chunks).any(|c| c.x1 > a && c.x0 < b)
    };
    let mut out = Vec::new();
    let mut k = 0;
    while k < l.chunks.len() {
        let glyphs = l.chunks[k..].iter().take_while(|c| is_spread_glyphs(c)).count().max(1);
        let run = &l.chunks[k..k + glyphs];
        let (first, last) = (&run[0], &run[glyphs - 1]);
        let spread = (glyphs >= 2 || !first.breaks.is_empty()) && is_spread_glyphs(first);
        let (met, _) = gaps_met((first.x0, last.x1));
        let (first_in, last_in) = (gaps_met((first.x0, first.x1)).1, gaps_met((last.x0, last.x1)).1);
        let one_label = if glyphs == 1 { first_in } else { first_in != last_in };
        if spread && met == 1 && one_label && !hangs((first.x0, last.x1)) {
            out.push((first.x0, last.x1));
        } else {
            out.extend(run.iter().flat_map(words));
        }
        k += glyphs;
    }
    out
}

/// A chunk of one glyph, or of single glyphs set apart (`小 计`, `预 算 数`), without figures:
/// a piece of one label spread over its cell (分散对齐), not labels set close.
fn is_spread_glyphs(c: &Chunk) -> bool {
    !has_figure(&c.text) && c.text.split_whitespace().all(|w| w.chars().count() == 1)
}

fn is_amount(text: &str) -> bool {
    let t = text.trim();
    ends_with_amount(t) && t.chars().all(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | '-'))
}

/// Columns holding header text only, none of the rows' text, are of three kinds. A label
/// centred over a wide column whose figures sit right-aligned beside it (预算 over 9,433.72)
/// joins that column, when it has no header of its own. A label from a header line sparser
/// than the fullest one (收入 over 项目 | 预算) spans several columns and is no column. A label
/// of the fullest header line over no figures is an empty column, and stays. A row's label
/// reaching over into the next column (a total's `人员经费合计` set flush left across the code
/// and name columns) is that row's, not the column's own text.
fn fold_header_columns(mut cols: Vec<(f32, f32)>, body: &[&Line], headers: &[&Line], s: &TableSettings) -> Vec<(f32, f32)> {
    let over = |lines: &[&Line], (a, b): (f32, f32)| lines.iter().flat_map(|l| &l.chunks).any(|c| c.x1 > a && c.x0 < b);
    let fullest = headers.iter().map(|l| l.chunks.len()).max().unwrap_or(0);
    let mut k = 0;
    while k < cols.len() {
        let (before, after) = (k.checked_sub(1).map_or(f32::MIN, |j| cols[j].1), cols.get(k + 1).map_or(f32::MAX, |c| c.0));
        // Words, not chunks: a row number set close to its amount (`1 665.38`) is one chunk.
        let own_body = body.iter().flat_map(|l| &l.chunks).flat_map(words).any(|(x0, x1)| x1 > cols[k].0 && x0 < cols[k].1 && x0 >= before && x1 <= after);
        if own_body || !over(headers, cols[k]) {
            k += 1;
            continue;
        }
        let headerless_body = |j: usize| over(body, cols[j]) && !headers.iter().flat_map(|l| &l.chunks).any(|c| stands_in(c, cols[j], s));
        if k + 1 < cols.len() && headerless_body(k + 1) {
            cols[k + 1].0 = cols[k].0;
            cols.remove(k);
            continue;
        }
        if k > 0 && headerless_body(k - 1) {
            cols[k - 1].1 = cols[k].1;
            cols.remove(k);
            continue;
        }
        // A column under a sparser header line's label that holds a row's label reaching
        // over is a column still.
        let (a, b) = cols[k];
        if over(body, (a, b)) {
            k += 1;
            continue;
        }
        let spanning = headers.iter().filter(|l| l.chunks.iter().any(|c| c.x1 > a && c.x0 < b)).all(|l| l.chunks.len() < fullest);
        if spanning {
            cols.remove(k);
            continue;
        }
        k += 1;
    }
    cols
}

/// The next page's first table (no title above it) continues this one when it fits inside
/// its columns. The columns are then found anew over every page's lines, and each page cut
/// at them: a page end of a few rows shows too little to place its columns (a repeated
/// header over them can split them), and a table starting with a few rows at a page's foot
/// shows too little to place its own.
pub(crate) fn continue_with(prev: &mut Unruled, next: &Unruled, s: &TableSettings) -> Option<Vec<Table>> {
    let (first, last) = (prev.cols.first()?, prev.cols.last()?);
    let size = median(next.lines().map(|l| l.size));
    let margin = size * s.continuation_margin_em;
    if !next.lines().all(|l| l.x0 >= first.0 - margin && l.x1 <= last.1 + margin) {
        return None;
    }
    prev.parts.extend(next.parts.iter().cloned());
    if let Some(cols) = columns(&prev.lines().cloned().collect::<Vec<_>>(), s) {
        prev.cols = cols;
    }
    Some(prev.parts.iter().map(|(page, lines)| page_table(lines, prev.cols.clone(), *page, s).table).collect())
}

/// One line of a table cut at its columns: (first column, end column, text, x0, x1) per cell.
struct Row {
    cells: Vec<(usize, usize, String, f32, f32)>,
    base: f32,
    /// The line pitch of the cells wrapped around this row's line, when it has joined their
    /// halves (the step between a half and the other); zero otherwise.
    pitch: f32,
    size: f32,
    top: f32,
    bottom: f32,
}

/// A chunk cut at its word breaks where the words fall in different columns: header labels
/// set close together (`项目支出 事业单位经营支出`) are cells of their own.
fn split_at_columns(c: &Chunk, cols: &[(f32, f32)], amounts: &[bool]) -> Vec<Chunk> {
    let col_of = |x: f32| cols.iter().position(|(a, b)| x >= *a && x < *b);
    let mut out = Vec::new();
    let (mut from, mut x0) = (0, c.x0);
    for (k, &(at, left_end, right_start)) in c.breaks.iter().enumerate() {
        // Each word by its middle, as the left one: a column found to start where a header
        // word starts may start a little after it.
        let right_end = c.breaks.get(k + 1).map_or(c.x1, |b| b.1);
        let (left, right) = (col_of((x0 + left_end) / 2.0), col_of((right_start + right_end) / 2.0));
        // Words both between columns (a header over a table whose few rows show only their
        // figures' extents, its columns as narrow as those) go where `row_of` puts text there.
        let (left, right) = match (left, right) {
            (None, None) => (Some(column_between(cols, amounts, (x0 + left_end) / 2.0)), Some(column_between(cols, amounts, (right_start + right_end) / 2.0))),
            other => other,
        };
        if left.is_some() && right.is_some() && left != right {
            out.push(Chunk { text: c.text[from..at].to_string(), x0, x1: left_end, breaks: Vec::new() });
            // Past the break's space; a seam has none.
            let space = c.text[at..].starts_with(' ') as usize;
            (from, x0) = (at + space, right_start);
        }
    }
    if from == 0 {
        return vec![c.clone()];
    }
    out.push(Chunk { text: c.text[from..].to_string(), x0, x1: c.x1, breaks: Vec::new() });
    out
}

/// A chunk stands in a column when it covers enough of the column or of itself: a label a
/// little wider than its column's figures only brushes the next column.
fn stands_in(c: &Chunk, (a, b): (f32, f32), s: &TableSettings) -> bool {
    let overlap = (c.x1.min(b) - c.x0.max(a)).max(0.0);
    let width = (c.x1 - c.x0).max(s.min_glyph_size);
    overlap > 0.0 && (overlap >= width * s.cell_share_of_chunk || overlap >= (b - a) * s.cell_share_of_column)
}

fn row_of(l: &Line, cols: &[(f32, f32)], amounts: &[bool], s: &TableSettings) -> Option<Row> {
    let mut cells: Vec<(usize, usize, String, f32, f32)> = Vec::new();
    let pieces: Vec<Chunk> = l.chunks.iter().flat_map(|c| split_at_columns(c, cols, amounts)).collect();
    for c in &pieces {
        let overl: Vec<usize> = cols.iter().enumerate().filter(|(_, &col)| stands_in(c, col, s)).map(|(k, _)| k).collect();
        let (c0, c1) = match (overl.first(), overl.last()) {
            (Some(a), Some(b)) => (*a, *b + 1),
            // Between columns (a lone line's text, a header wider than its column's
            // figures): never dropped (`column_between`).
            _ => {
                let k = column_between(cols, amounts, (c.x0 + c.x1) / 2.0);
                (k, k + 1)
            }
        };
        match cells.last_mut() {
            Some(last) if last.1 > c0 => {
                last.1 = last.1.max(c1);
                last.2.push(' ');
                last.2.push_str(&c.text);
                last.4 = c.x1;
            }
            _ => cells.push((c0, c1, c.text.clone(), c.x0, c.x1)),
        }
    }
    (!cells.is_empty()).then(|| Row { cells, base: l.base, pitch: 0.0, size: l.size, top: l.top(), bottom: l.bottom() })
}

/// A header label spread a glyph at a time over several columns (`支 出` centred over the six
/// columns of the 支出 side, its glyphs falling in the middle two) is one cell, spanning the
/// columns it is centred over: its cells in adjacent columns are joined, then widened by an
/// empty column on each side at a time while the span's middle stays under the label. The
/// span says which columns the label heads (a side's pairs, not the two the glyphs fell in).
/// A glyph joined to nothing keeps its column.
fn span_spread_label(cells: &mut Vec<(usize, usize, String, f32, f32)>, cols: &[(f32, f32)]) {
    let glyph = |c: &(usize, usize, String, f32, f32)| c.2.chars().count() == 1 && has_words(&c.2);
    let Some(k) = (0..cells.len().saturating_sub(1)).find(|&k| glyph(&cells[k]) && glyph(&cells[k + 1]) && cells[k].1 == cells[k + 1].0) else {
        return;
    };
    let n = cells[k..].windows(2).take_while(|w| glyph(&w[0]) && glyph(&w[1]) && w[0].1 == w[1].0).count() + 1;
    let run: Vec<_> = cells.drain(k..k + n).collect();
    let text = run.iter().map(|c| c.2.as_str()).collect::<Vec<_>>().join(" ");
    let (x0, x1) = (run[0].3, run[n - 1].4);
    let (mut c0, mut c1) = (run[0].0, run[n - 1].1);
    let (centre, half) = ((x0 + x1) / 2.0, (x1 - x0) / 2.0);
    let empty = |col: usize, cells: &[(usize, usize, String, f32, f32)]| !cells.iter().any(|c| c.0 <= col && col < c.1);
    while c0 > 0 && c1 < cols.len() && empty(c0 - 1, cells) && empty(c1, cells) && ((cols[c0 - 1].0 + cols[c1].1) / 2.0 - centre).abs() <= half {
        (c0, c1) = (c0 - 1, c1 + 1);
    }
    cells.insert(k, (c0, c1, text, x0, x1));
}

/// A cell's text wrapped onto more lines leaves lines holding only the rest of some labels,
/// a line's height below: they belong to the row above. Not a line with a figure (amounts,
/// codes, 行次), a numbered label (`（一）`, `其中：`) or text where the row above has none.
/// Below a body row (one with figures) a label wraps only where it filled its column: a
/// shorter label ended there, and the line below is the next row's (cramped rows stand as
/// close as wrapped lines).
fn join_wrapped_rows(rows: Vec<Row>, cols: &[(f32, f32)], foot_reach: f32, s: &TableSettings) -> Vec<Row> {
    let filled = |q: &(usize, usize, String, f32, f32), size: f32| cols.get(q.1 - 1).is_none_or(|c| q.4 >= c.1 - size * s.wrap_fill_em);
    let rows = join_straddling(rows, s);
    let mut out: Vec<Row> = Vec::with_capacity(rows.len());
    let n = rows.len();
    let mut rows = rows.into_iter().enumerate().peekable();
    while let Some((k, mut r)) = rows.next() {
        // The measured reach serves the tail at the foot only (see `detect`).
        let reach = if k + 1 == n { foot_reach } else { 0.0 };
        // A label centred in a tall cell starts a line above its row's figures.
        let above = out.last().is_some_and(|p: &Row| {
            r.base - p.base <= wrap_limit(p.size.max(r.size), 0.0, s)
                && r.cells.iter().any(|c| has_figure(&c.2))
                && p.cells.iter().all(|q| !has_figure(&q.2) && has_words(&q.2) && !r.cells.iter().any(|c| c.0 < q.1 && q.0 < c.1))
        });
        if above {
            if let Some(p) = out.pop() {
                r.cells.extend(p.cells);
                r.cells.sort_by_key(|c| c.0);
                r.top = p.top;
            }
        }
        // A label centred in a tall cell whose first line stands closer to the next row's
        // figures, over its empty cell, starts that row (`above`), not the row before.
        let starts_next = rows.peek().is_some_and(|(_, b)| {
            let p_base = out.last().map_or(f32::MIN, |p| p.base);
            b.base - r.base < r.base - p_base
                && b.base - r.base <= wrap_limit(b.size.max(r.size), 0.0, s)
                && b.cells.iter().any(|c| has_figure(&c.2))
                && r.cells.iter().all(|q| !has_figure(&q.2) && has_words(&q.2) && !b.cells.iter().any(|c| c.0 < q.1 && q.0 < c.1))
        });
        let continues = !starts_next
            && out.last().is_some_and(|p: &Row| {
                let body = p.cells.iter().any(|q| has_figure(&q.2));
                r.base - p.base <= wrap_limit(p.size.max(r.size), reach, s)
                    && r.cells.iter().all(|c| {
                        !has_figure(&c.2)
                            && !starts_new_label(&c.2)
                            && p.cells.iter().any(|q| q.0 == c.0 && q.1 == c.1 && has_words(&q.2) && (!body || filled(q, p.size)))
                    })
            });
        match out.last_mut() {
            Some(p) if continues => {
                for (c0, c1, text, _, x1) in r.cells {
                    if let Some(q) = p.cells.iter_mut().find(|q| q.0 == c0 && q.1 == c1) {
                        q.2 = join_wrapped(&[std::mem::take(&mut q.2), text]);
                        q.4 = q.4.max(x1);
                    }
                }
                p.base = r.base;
                p.bottom = r.bottom;
            }
            _ => out.push(r),
        }
    }
    out
}

/// A cell centred in a taller row has its lines above and below the row's line: a label
/// wrapped in two lines beside one-line amounts, an amount wrapped in a narrow column
/// (`204.1` / `6`), a stacked header (`金` / `额`). The line above and the line below hold
/// cells in the same columns, all where the row between is empty, and their middle is the
/// row's baseline: they are that row's cells. (Codes inside a label do not matter, unlike
/// the label-only rules of `join_wrapped_rows`.)
fn join_straddling(mut rows: Vec<Row>, s: &TableSettings) -> Vec<Row> {
    let overlaps = |a: &RowCell, b: &RowCell| a.0 < b.1 && b.0 < a.1;
    let mut k = 0;
    // Just stepped back over a joined row: only a three-line cell around it joins there.
    let mut back = false;
    while k + 2 < rows.len() {
        let fits = straddles(&rows[k], &rows[k + 1], &rows[k + 2], s);
        if !fits.is_some_and(|three_lines| three_lines || !back) {
            (k, back) = (k + 1, false);
            continue;
        }
        let below = rows.remove(k + 2);
        let above = rows.remove(k);
        let mid = &mut rows[k];
        let mut joined = Vec::with_capacity(above.cells.len());
        for (c0, c1, text, x0, x1) in above.cells {
            let head = (c0, c1, String::new(), x0, x1);
            let tails: Vec<&RowCell> = below.cells.iter().filter(|c| overlaps(c, &head)).collect();
            // The middle line of a cell wrapped over three lines is the row's own cell there.
            let middle = mid.cells.iter().position(|c| overlaps(c, &head)).map(|i| mid.cells.remove(i));
            let x1 = tails.iter().chain(&middle.as_ref()).fold(x1, |x, c| x.max(c.4));
            let c1 = tails.iter().chain(&middle.as_ref()).fold(c1, |e, c| e.max(c.1));
            let mut parts = vec![text];
            parts.extend(middle.map(|c| c.2));
            parts.extend(tails.iter().map(|c| c.2.clone()));
            joined.push((c0, c1, join_wrapped(&parts), x0, x1));
        }
        mid.cells.extend(joined);
        mid.cells.sort_by_key(|c| c.0);
        mid.top = above.top;
        mid.bottom = below.bottom;
        if mid.pitch == 0.0 {
            mid.pitch = below.base - above.base;
        }
        // The joined row may be the middle of a cell wrapped over three lines, whose first and
        // last lines stand around it (`公务用车购` / `置及运行维` / `护费` beside `因公出国(` /
        // `境)费用`, both centred on `合计`).
        (k, back) = (k.saturating_sub(1), k > 0);
    }
    rows
}

/// A row's cell: (first column, end column, text, x0, x1).
type RowCell = (usize, usize, String, f32, f32);

/// `above` and `below` are the two halves of cells centred on `mid` (see `join_straddling`):
/// each lower half under one upper half, each upper half over a lower one. The halves may
/// span different columns: a label's first line reaching into the next column (`公用经费合`)
/// ends in one (`计`). A cell wrapped over three lines has its middle line in `mid`, a label
/// under its first line and over its last, beside one-line cells of `mid`'s own (three lines
/// of a label wrapped in a tall cell are no row), its lines as far apart as the halves of
/// the two-line cells joined on `mid` (`pitch`). Some(whether a three-line cell is among them).
fn straddles(above: &Row, mid: &Row, below: &Row, s: &TableSettings) -> Option<bool> {
    let overlaps = |a: &RowCell, b: &RowCell| a.0 < b.1 && b.0 < a.1;
    let meets = |q: &RowCell, r: &Row| r.cells.iter().filter(|c| overlaps(c, q)).count();
    let paired = below.cells.iter().all(|c| meets(c, above) == 1) && above.cells.iter().all(|c| meets(c, below) >= 1);
    let size = above.size.max(mid.size).max(below.size);
    let label = |c: &RowCell| has_words(&c.2) && !has_figure(&c.2);
    let clear = |m: &RowCell| meets(m, above) == 0 && meets(m, below) == 0;
    // A mid cell under a half is the middle line of a three-line cell: a label, over all of
    // that half's lower halves, and under no other cell.
    let middle = |m: &RowCell| {
        let up: Vec<&RowCell> = above.cells.iter().filter(|q| overlaps(q, m)).collect();
        up.len() == 1 && meets(m, below) > 0 && label(m) && below.cells.iter().filter(|b| overlaps(b, up[0])).all(|b| overlaps(b, m))
    };
    let three_lines = !mid.cells.iter().all(clear);
    let cells_fit = mid.cells.iter().all(|m| clear(m) || middle(m)) && (!three_lines || (mid.pitch > 0.0 && mid.cells.iter().any(clear)));
    let centred = centred_on(above.base, mid.base, below.base, size, s);
    // Each half stands a wrapped line's step from the row: the halves two steps apart at most.
    let step = if three_lines { mid.pitch + size * s.straddle_centre_em } else { wrap_limit(size, 0.0, s) };
    let close = mid.base - above.base <= step && below.base - mid.base <= step;
    (above.base < mid.base && mid.base < below.base && centred && close && paired && cells_fit).then_some(three_lines)
}

/// `（一）`, `(2)`, `一、`, `其中：`: the label of a row of its own.
fn starts_new_label(text: &str) -> bool {
    let t = text.trim_start();
    let numeral = |c: char| c.is_ascii_digit() || "一二三四五六七八九十".contains(c);
    let bracketed = t.strip_prefix(['（', '(']).is_some_and(|r| {
        let n = r.chars().take_while(|c| numeral(*c)).count();
        n > 0 && r.chars().nth(n).is_some_and(|c| c == '）' || c == ')')
    });
    bracketed || t.starts_with("其中") || t.chars().nth(1) == Some('、')
}

/// Text that can wrap: it has words (汉字), not only a figure or a code.
fn has_words(text: &str) -> bool {
    text.chars().any(|c| c.is_alphabetic() && !c.is_ascii())
}

fn page_table(run: &[Line], cols: Vec<(f32, f32)>, page: u32, s: &TableSettings) -> PageTable {
    let mut table = Table::default();
    let amounts = amount_columns(run, &cols, s);
    let mut rows = join_wrapped_rows(run.iter().filter_map(|l| row_of(l, &cols, &amounts, s)).collect(), &cols, wrap_reach(run, s), s);
    // Only the table's top line: below it, glyphs one to a column are the wrapped tails of
    // labels set too close to join (`入` `入`), each its own column's.
    if let Some(top) = rows.first_mut().filter(|r| !r.cells.iter().any(|c| has_figure(&c.2))) {
        span_spread_label(&mut top.cells, &cols);
    }
    span_group_labels(&mut rows, cols.len(), s);
    for (row, r) in rows.into_iter().enumerate() {
        // Columns with nothing printed on this line are empty cells, as a ruled grid has them:
        // the table keeps its geometry.
        let mut next = 0;
        for (c0, c1, text, a, b) in r.cells {
            for col in next..c0 {
                table.push(empty_cell(row, col, page, &cols, r.top, r.bottom));
            }
            let bbox = BBox::new(a, r.top, b, r.bottom);
            table.push(Cell {
                text,
                row,
                col: c0,
                row_span: 1,
                col_span: c1 - c0,
                prov: Provenance { page: Some(page), bbox: Some(bbox), ..Default::default() },
            });
            next = c1;
        }
        for col in next..cols.len() {
            table.push(empty_cell(row, col, page, &cols, r.top, r.bottom));
        }
    }
    let x0 = run.iter().map(|l| l.x0).fold(f32::MAX, f32::min);
    let x1 = run.iter().map(|l| l.x1).fold(f32::MIN, f32::max);
    let top = run.first().map_or(0.0, |l| l.top());
    let bottom = run.last().map_or(0.0, |l| l.bottom());
    let bbox = BBox::new(x0, top, x1, bottom);
    table.n_cols = table.n_cols.max(cols.len());
    table.prov = Provenance { page: Some(page), bbox: Some(bbox), ..Default::default() };
    let mut xs: Vec<f32> = cols.iter().map(|c| c.0).collect();
    xs.push(x1);
    PageTable { table, bbox, xs, unruled: Some(Unruled { cols, parts: vec![(page, run.to_vec())] }), only_as_continuation: false }
}

/// A group header centred over its sub-headers (`基本支出` over `小计 | 人员经费 | 公用经费`)
/// stands over the middle one only: without rules nothing shows its span, and the columns
/// beside would lose their group (the recogniser reads `小计` alone). Its sub-headers are, in
/// each column its own line leaves empty, the first header cell below; they are one run of
/// siblings when they share one vertical centre (a cell spanning the rows of its sibling's
/// own sub-headers, `总计` beside `基本支出` over `小计`, is centred on them; the tail of a
/// wrapped label, `2025年预算` / `数`, is not centred on its neighbours'). The label stands
/// on the run's middle: its centre inside the middle sub-header (an odd run) or the space
/// between the two middle ones (an even run). A run one sub-header longer or shifted has
/// another middle, so the sub-headers' own extents say which run fits, whatever the column
/// widths; a run holding a group of its own, unlike its one-column neighbours, has the label
/// on the middle of its extent instead (`centred_on_extent`). Of the runs that fit, the
/// widest: a sub-header with nothing above it belongs to a group. Labels of one line share
/// no column (`settle_group_spans`). Header lines only, those above the first figure, from the bottom up:
/// a group's span is known before the group above it is placed.
fn span_group_labels(rows: &mut [Row], n_cols: usize, s: &TableSettings) {
    // Header lines end at the first figure standing alone: an amount, a 栏次 number, a code.
    let header = rows.iter().position(|r| r.cells.iter().any(|c| has_figure(&c.2) && !has_words(&c.2))).unwrap_or(0);
    let covers = |r: &Row, (a, b): (usize, usize)| r.cells.iter().position(|c| c.0 < b && a < c.1);
    for r in (0..header).rev() {
        let rows_ro: &[Row] = rows;
        let below = |k: usize| (r + 1..header).find_map(|j| covers(&rows_ro[j], (k, k + 1)).map(|i| (j, i)));
        // A sub-header's vertical centre: the middle of its line and the deepest header line
        // under it.
        let centre = |(j, i): (usize, usize)| {
            let c = &rows_ro[j].cells[i];
            let deepest = (j + 1..header).rev().find(|&d| covers(&rows_ro[d], (c.0, c.1)).is_some()).unwrap_or(j);
            (rows_ro[j].base + rows_ro[deepest].base) / 2.0
        };
        let mut spans: Vec<(usize, Vec<GroupRun>)> = Vec::new();
        for (i, l) in rows_ro[r].cells.iter().enumerate() {
            if !has_words(&l.2) || (l.0..l.1).all(|k| below(k).is_none()) {
                continue;
            }
            // A column whose cell below is the lower half of a label wrapped around this line
            // (`决算` / `数` beside it, their middle on its baseline) holds a sibling, not a sub-header.
            let halves = |k: usize, j: usize| {
                let above = (0..r).rev().find(|&p| covers(&rows_ro[p], (k, k + 1)).is_some());
                let size = rows_ro[r].size.max(rows_ro[j].size);
                above.is_some_and(|p| centred_on(rows_ro[p].base, rows_ro[r].base, rows_ro[j].base, size, s))
            };
            let free = |k: usize| covers(&rows_ro[r], (k, k + 1)).is_none() && below(k).is_some_and(|(j, _)| !halves(k, j));
            let (mut a, mut b) = (l.0, l.1);
            while a > 0 && free(a - 1) {
                a -= 1;
            }
            while b < n_cols && free(b) {
                b += 1;
            }
            // The sub-headers left to right, each once; one reaching outside [a, b) ends the runs.
            let mut subs: Vec<SubHeader> = Vec::new();
            for k in a..b {
                let Some(at) = below(k) else { continue };
                let c = &rows_ro[at.0].cells[at.1];
                if subs.last().is_some_and(|p| p.cols.1 > k) {
                    continue;
                }
                let inside = a <= c.0 && c.1 <= b && has_words(&c.2);
                subs.push(SubHeader { cols: if inside { (c.0, c.1) } else { (k, k) }, x: (c.3, c.4), centre: centre(at), size: rows_ro[at.0].size });
            }
            let fits = group_runs(&subs, l, s);
            if !fits.is_empty() {
                spans.push((i, fits));
            }
        }
        for (i, a, b) in settle_group_spans(spans) {
            let cell = &mut rows[r].cells[i];
            (cell.0, cell.1) = (a.min(cell.0), b.max(cell.1));
        }
    }
}

/// A header cell under a group label (see `span_group_labels`): its columns (empty when it
/// reaches outside the label's reach or is no label), its text's x extent, its vertical centre.
struct SubHeader {
    cols: (usize, usize),
    x: (f32, f32),
    centre: f32,
    size: f32,
}

/// A run of sibling sub-headers a group label may span (see `span_group_labels`): its columns,
/// and how far the label's centre lies from the middle of the run's extent when that places
/// it (`centred_on_extent`).
struct GroupRun {
    cols: (usize, usize),
    offset: Option<f32>,
}

/// The runs of adjacent sibling sub-headers (two or more) that cover the label's columns and
/// have the label's centre on their middle (see `span_group_labels`), widest first.
fn group_runs(subs: &[SubHeader], label: &(usize, usize, String, f32, f32), s: &TableSettings) -> Vec<GroupRun> {
    let middle_x = (label.3 + label.4) / 2.0;
    let mut out: Vec<GroupRun> = Vec::new();
    for i in 0..subs.len() {
        for j in i + 1..subs.len() {
            let (first, last) = (&subs[i], &subs[j]);
            if subs[j].cols.0 != subs[j - 1].cols.1 || subs[j].cols.0 == subs[j].cols.1 || first.cols.0 == first.cols.1 {
                break;
            }
            let run = &subs[i..=j];
            let size = run.iter().map(|c| c.size).fold(0.0, f32::max);
            if !run.iter().all(|c| (c.centre - first.centre).abs() <= size * s.straddle_centre_em) {
                break;
            }
            let n = run.len();
            let (lo, hi) = if n % 2 == 1 { run[n / 2].x } else { (run[n / 2 - 1].x.1, run[n / 2].x.0) };
            let covers_label = first.cols.0 <= label.0 && label.1 <= last.cols.1;
            // Sub-headers of one column each are alike enough for their middle one to be the
            // run's middle; a run holding a group of its own is placed by its extent.
            let offset = run.iter().any(|c| c.cols.1 - c.cols.0 >= 2).then(|| centred_on_extent(run, middle_x, s)).flatten();
            if covers_label && ((lo..=hi).contains(&middle_x) || offset.is_some()) {
                out.push(GroupRun { cols: (first.cols.0, last.cols.1), offset });
            }
        }
    }
    out.sort_by_key(|r| std::cmp::Reverse(r.cols.1 - r.cols.0));
    out
}

/// Each label's span among its runs (label index, columns). Labels centred on their runs'
/// extent are placed first, the most exactly centred first, each on its widest such run that
/// no label placed before holds: a group beside another shares no column with it, and a
/// column between two groups goes to the one whose run without it would not be centred. The
/// other labels take their widest run, and a column two labels of one line would claim stays
/// with neither (missing beats wrong).
fn settle_group_spans(spans: Vec<(usize, Vec<GroupRun>)>) -> Vec<(usize, usize, usize)> {
    let offset = |runs: &[GroupRun]| runs.iter().filter_map(|r| r.offset).fold(f32::MAX, f32::min);
    let (mut centred, rest): (Vec<_>, Vec<_>) = spans.into_iter().partition(|(_, runs)| runs.iter().any(|r| r.offset.is_some()));
    centred.sort_by(|a, b| offset(&a.1).total_cmp(&offset(&b.1)));
    let mut placed: Vec<(usize, usize, usize)> = Vec::new();
    for (i, runs) in centred {
        let free = runs.iter().filter(|r| r.offset.is_some()).find(|r| !placed.iter().any(|&(_, c, d)| r.cols.0 < d && c < r.cols.1));
        if let Some(r) = free {
            placed.push((i, r.cols.0, r.cols.1));
        }
    }
    let widest: Vec<(usize, usize, usize)> = rest.iter().map(|(i, runs)| (*i, runs[0].cols.0, runs[0].cols.1)).collect();
    let clash = |&(i, a, b): &(usize, usize, usize)| placed.iter().chain(&widest).any(|&(j, c, d)| j != i && a < d && c < b);
    let keep: Vec<(usize, usize, usize)> = widest.iter().filter(|s| !clash(s)).copied().collect();
    placed.extend(keep);
    placed
}

/// Whether a group label's centre `x` is the centre of its sub-headers' run as printed, from
/// the first one's left edge to the last one's right: sub-headers as unlike as a group of six
/// columns beside one-column 合计 | 会议费 | 培训费 (西安's `上年` over them) put the label on
/// no middle sub-header, but on the middle of their extent. Taking a sub-header more or less
/// at either end moves that middle by at least half the sub-header's width: within a quarter
/// of the run's narrowest sub-header, the label is nearer this run than any other.
/// Returns how far off it is when it is.
fn centred_on_extent(run: &[SubHeader], x: f32, s: &TableSettings) -> Option<f32> {
    let (first, last) = (run.first()?, run.last()?);
    let narrowest = run.iter().map(|c| c.x.1 - c.x.0).fold(f32::MAX, f32::min);
    let off = ((first.x.0 + last.x.1) / 2.0 - x).abs();
    (off <= narrowest * s.group_centre_of_narrowest).then_some(off)
}

/// The 栏次 line (`栏次 1 2 3`) numbers the columns, each number centred in its column. A
/// column holding nothing but its number and header, beside a column of amounts without a
/// number of its own, is the left part of that column (the number centred, the amounts
/// right-aligned, a clear run between): the two are one.
fn fold_numbered_columns(mut cols: Vec<(f32, f32)>, body: &[&Line]) -> Vec<(f32, f32)> {
    let (numbers, rows): (Vec<&Line>, Vec<&Line>) = body.iter().partition(|l| is_column_numbers(l));
    if numbers.is_empty() {
        return cols;
    }
    let over = |lines: &[&Line], (a, b): (f32, f32)| lines.iter().flat_map(|l| &l.chunks).any(|c| c.x1 > a && c.x0 < b);
    let mut k = 0;
    while k + 1 < cols.len() {
        let only_number = over(&numbers, cols[k]) && !over(&rows, cols[k]);
        let unnumbered_amounts = over(&rows, cols[k + 1]) && !over(&numbers, cols[k + 1]);
        if only_number && unnumbered_amounts {
            cols[k + 1].0 = cols[k].0;
            cols.remove(k);
            continue;
        }
        k += 1;
    }
    cols
}

/// The line numbering a table's columns: its figures are 1, 2, 3… in order (two or more),
/// each a chunk of its own (set apart, centred in its column).
fn is_column_numbers(l: &Line) -> bool {
    let numbers: Vec<&str> = l.chunks.iter().map(|c| c.text.as_str()).filter(|t| has_figure(t)).collect();
    numbers.len() >= 2 && numbers.iter().enumerate().all(|(i, t)| t.parse::<usize>() == Ok(i + 1))
}

/// A chunk with a number in it (an amount, a 行次): what table rows, not headers, hold.
fn has_figure(text: &str) -> bool {
    text.chars().any(|c| c.is_ascii_digit())
}

fn empty_cell(row: usize, col: usize, page: u32, cols: &[(f32, f32)], top: f32, bottom: f32) -> Cell {
    let bbox = BBox::new(cols[col].0, top, cols[col].1, bottom);
    Cell { text: String::new(), row, col, row_span: 1, col_span: 1, prov: Provenance { page: Some(page), bbox: Some(bbox), ..Default::default() } }
}

/// Runs of at least `min_gap` positions crossed by at most `allowed` chunks and not `solid`,
/// or of at least `clear_gap` positions crossed by none (cramped columns part by a point or
/// two, but only where no chunk at all crosses, and not beside a `solid` run); one at the left edge only if `leading` (it
/// parts no columns, but may hold sparse text).
fn gaps(cover: &[usize], solid: &[bool], allowed: usize, (min_gap, clear_gap): (usize, usize), leading: bool) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < cover.len() {
        if cover[i] <= allowed && !solid[i] {
            let gs = i;
            while i < cover.len() && cover[i] <= allowed && !solid[i] {
                i += 1;
            }
            if gs == 0 && !leading {
                continue;
            }
            if i - gs >= min_gap {
                out.push((gs, i));
                continue;
            }
            // The longest run inside crossed by no chunk; not beside a header label kept
            // whole (`solid`): the rest of a gap it stands in parts nothing.
            let by_solid = (gs > 0 && solid[gs - 1]) || (i < solid.len() && solid[i]);
            if by_solid {
                continue;
            }
            let (mut best, mut j) = ((0, 0), gs);
            while j < i {
                let k0 = j;
                while j < i && cover[j] == 0 {
                    j += 1;
                }
                if j - k0 > best.1 - best.0 {
                    best = (k0, j);
                }
                j += 1;
            }
            if best.1 - best.0 >= clear_gap.max(1) {
                out.push(best);
            }
        } else {
            i += 1;
        }
    }
    out
}

/// Which columns are set right-aligned, ending at their figures' right edge: those holding
/// nothing but amounts in their rows (and the 栏次 line's number), and, where the 栏次 line's
/// numbers stand flush with the amounts under them (measured on the columns holding both),
/// those holding only their number.
fn amount_columns(run: &[Line], cols: &[(f32, f32)], s: &TableSettings) -> Vec<bool> {
    let rows: Vec<&Line> = run.iter().filter(|l| l.chunks.len() >= 2 && l.chunks.iter().any(|c| has_figure(&c.text))).collect();
    let size = median(run.iter().map(|l| l.size));
    let inside = |c: &Chunk, (a, b): (f32, f32)| c.x1 > a && c.x0 < b;
    // Per column: its amounts' right edge (None: none), its number's right edge, other text.
    let kinds: Vec<(Option<f32>, Option<f32>, bool)> = cols
        .iter()
        .map(|&col| {
            let (mut edge, mut number, mut other) = (None::<f32>, None, false);
            for l in &rows {
                let numbers = is_column_numbers(l);
                for c in l.chunks.iter().filter(|c| inside(c, col)) {
                    if is_amount(&c.text) {
                        edge = Some(edge.map_or(c.x1, |e| e.max(c.x1)));
                    } else if numbers && has_figure(&c.text) {
                        number = Some(c.x1);
                    } else {
                        other = true;
                    }
                }
            }
            (edge, number, other)
        })
        .collect();
    let mut both = kinds.iter().filter_map(|k| Some((k.0?, k.1?))).peekable();
    let numbers_flush = both.peek().is_some() && both.all(|(edge, number)| (edge - number).abs() <= size * s.amount_edge_em);
    kinds.iter().map(|&(edge, number, other)| !other && (edge.is_some() || (numbers_flush && number.is_some()))).collect()
}

/// The column text at `x`, between two columns, belongs to: the one after when the one before
/// holds amounts (nothing of a right-aligned column stands past their edge: text there is the
/// next column's header, set flush left or wrapped wider than its figures), else the nearest.
fn column_between(cols: &[(f32, f32)], amounts: &[bool], x: f32) -> usize {
    match cols.windows(2).position(|w| x >= w[0].1 && x < w[1].0) {
        Some(k) if amounts[k] => k + 1,
        _ => nearest_column(cols, x),
    }
}

/// The column nearest `x` (the first when none is).
fn nearest_column(cols: &[(f32, f32)], x: f32) -> usize {
    (0..cols.len()).min_by(|&i, &j| distance(cols[i], x).total_cmp(&distance(cols[j], x))).unwrap_or(0)
}

fn distance((a, b): (f32, f32), x: f32) -> f32 {
    if x < a {
        a - x
    } else if x > b {
        x - b
    } else {
        0.0
    }
}
