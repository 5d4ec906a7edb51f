//! Every layout tolerance of the PDF reader, named, documented and checked in one place
//! (pdfplumber's `TableSettings` is the model). The ruled path (rulings → frames → cells) and
//! the unruled path (alignment → columns → rows) read the same struct, and glyph-to-line
//! grouping, which both use, reads it too.
//!
//! Lengths are in points unless the name ends in `_em` (a multiple of the type size of the
//! glyphs or lines at hand) or is a share/ratio. Where the page itself shows the right value
//! (the pitch of a table's rows, which sets how far apart the lines of one wrapped cell may
//! be), the reader measures it per table and the field here is only the floor it starts from.

/// Glyph metrics of CJK body fonts, as shares of the em: not tolerances but geometry (where a
/// line's ink starts and ends around its baseline).
pub(crate) const ASCENT_EM: f32 = 0.88;
pub(crate) const DESCENT_EM: f32 = 0.12;
/// The middle of the em box above the baseline: a steadier "which cell" point than the baseline.
pub(crate) const EM_MIDDLE: f32 = 0.35;

/// The PDF reader's layout settings. [`TableSettings::default`] is what the reader uses;
/// [`TableSettings::validate`] says whether another set is usable.
#[derive(Debug, Clone, PartialEq)]
pub struct TableSettings {
    // ---- Glyphs (content stream → glyph boxes) ----
    /// A glyph runs left to right when its advance rises at most this share of its run.
    pub upright_slope: f32,
    /// A glyph rising more than this many times its run is set vertically (counted to turn
    /// the page).
    pub vertical_slope: f32,
    /// Width given to a glyph not running left to right, in ems (it keeps its origin only).
    pub vertical_glyph_width_em: f32,
    /// A glyph starting within this many ems of the end of a typed space follows that space.
    pub typed_space_reach_em: f32,
    /// Glyphs whose middle lies further than this outside the page are not seen.
    pub off_page_margin: f32,
    /// Smallest type size kept for a glyph (degenerate text matrices give 0).
    pub min_glyph_size: f32,
    /// A fill whose colour components are all at least this (grey, RGB; at most 1 − this
    /// for CMYK) is white: its shapes draw no rulings.
    pub white_fill: f32,

    // ---- Rulings (paths → segments → frames) ----
    /// A rectangle no thicker than this is a ruling (a thin filled bar or a hairline box).
    pub ruling_max_thickness: f32,
    /// A path segment whose ends differ by at most this across its direction is straight
    /// (horizontal or vertical); it must be longer than this along it.
    pub straight_tol: f32,
    /// A filled rectangle narrower than this share of the page is a shaded cell, whose edges
    /// are cell borders (wider: a page background).
    pub shaded_cell_max_width: f32,
    /// Rulings shorter than this are ignored (dots, ticks).
    pub min_ruling_length: f32,
    /// Rulings whose positions are this close are pieces of one line.
    pub collinear_tol: f32,
    /// Pieces of one line this far apart along it are one ruling; grid positions this close
    /// are one grid line.
    pub ruling_merge_gap: f32,
    /// A horizontal and a vertical ruling this close to crossing touch (one frame).
    pub ruling_join_tol: f32,
    /// An inner grid line covered by rulings over less than this share of a cell's side is
    /// absent there: the cells on both sides merge (a span).
    pub inner_ruling_coverage: f32,
    /// Glyphs this far outside a frame still belong to it.
    pub frame_margin: f32,

    // ---- Lines and chunks (glyphs → lines → cell-sized chunks) ----
    /// Glyphs whose baselines differ by at most this many ems share a line…
    pub baseline_tol_em: f32,
    /// …or by at most this many points.
    pub baseline_tol_min: f32,
    /// The same glyph printed twice within this many ems (and `fake_bold_rise` points up or
    /// down) is fake bold: printed once.
    pub fake_bold_em: f32,
    pub fake_bold_rise: f32,
    /// Clear space of this many ems (at least `cell_gap_min` points) parts two cells.
    pub cell_gap_em: f32,
    pub cell_gap_min: f32,
    /// After typed spaces the clear space must be this many ems (at least
    /// `typed_gap_min` points) to part cells: `项  目` is one label.
    pub typed_gap_em: f32,
    pub typed_gap_min: f32,
    /// Clear space after an amount that parts cells, in ems…
    pub amount_gap_em: f32,
    /// …and before another figure (two amounts never share a cell) or a word that is no
    /// unit (`182066.56本年支出合计`: cramped columns, not `56.52万元`).
    pub amount_figure_gap_em: f32,
    /// A gap this wide, in ems, is a word space next to CJK text…
    pub word_space_cjk_em: f32,
    /// …and between Latin letters or digits.
    pub word_space_latin_em: f32,
    /// CJK glyphs set solid abut: clear space of this many ems between two of them (less than
    /// a word space) is a seam where two labels set close meet, at which a chunk crossing
    /// columns may be cut (no space is written into the text).
    pub seam_gap_em: f32,
    /// One-character lines stacked at most this many ems apart, their left edges within
    /// `stacked_align_em`, are one vertical label (年/度/绩/效).
    pub stacked_step_em: f32,
    pub stacked_align_em: f32,

    // ---- Pages ----
    /// A page without text whose images cover this share of it is image-only (needs OCR).
    pub image_only_area: f32,
    /// An image on a text page with no text drawn over it, covering this share of the page,
    /// may be a pasted scan of a table: it is read by OCR (`--ocr auto`).
    pub ocr_image_area: f32,
    /// Such a picture with at least this share of its painted pixels in strong colour is a
    /// chart or a photo, not a table: it is not read (screened before any OCR work). Tables
    /// are black or grey ink: a red seal or a coloured header row stays well under a fifth;
    /// the real corpus's charts measure 0.32–0.97 (bar charts with many labels the least).
    pub ocr_colour_share: f32,
    /// Running headers/footers: lines repeated at the same place (baselines bucketed by
    /// this many points) on at least `running_share` of the pages and at least
    /// `running_min_pages` pages, in the top `margin_top` or below `margin_bottom` of the page.
    pub running_bucket: f32,
    pub running_share: f32,
    pub running_min_pages: usize,
    pub margin_top: f32,
    pub margin_bottom: f32,
    /// Ruled tables on consecutive pages are one table when their outer column edges are
    /// within this many points.
    pub continued_edge_tol: f32,
    /// At most this many short label lines above a continued table finish its last row.
    pub carried_tail_lines: usize,

    // ---- Tables without rules ----
    /// A run of lines is a table with at least this many rows (fewer only at a page's top or
    /// foot, kept as a possible continuation).
    pub min_rows: usize,
    /// A row-like line (two chunks or more) continues a run when its baseline is at most
    /// this many ems below the line above…
    pub row_reach_em: f32,
    /// …and a one-chunk line when at most this many.
    pub text_reach_em: f32,
    /// Floor, in ems, for how far below its row the next line of a wrapped label may be.
    /// The reader measures the table's row pitch and allows `wrap_of_row_pitch` of it when
    /// that is more: a layout with airy rows wraps its labels airily too.
    pub wrap_pitch_em: f32,
    pub wrap_of_row_pitch: f32,
    /// Below a row with figures, a label wraps onto the next line only if its text reached
    /// within this many ems of its column's right edge (it filled the cell).
    pub wrap_fill_em: f32,
    /// A cell centred in a taller row stands its lines above and below the row's line (a
    /// label or an amount wrapped in a narrow column, a stacked header `金/额`): lines whose
    /// middle is within this many ems of a row's baseline, in columns the row leaves empty,
    /// are that row's.
    pub straddle_centre_em: f32,
    /// A group label stands over a run of sub-headers that holds a group of its own (西安's
    /// `2019年` over 合计 | 三公[6] | 会议费 | 培训费) when its middle is within this share of the
    /// run's narrowest sub-header of the middle of the run's printed extent.
    pub group_centre_of_narrowest: f32,
    /// The rest of a wrapped label is at most this many characters, with no figures.
    pub label_tail_max_chars: usize,
    /// A caption line (a table's name `…表` of at least `caption_min_name_chars`, its number
    /// `公开NN表`, its unit `单位：`) has at most `caption_max_chunks` chunks and
    /// `caption_max_chars` characters; it ends the table above.
    pub caption_min_name_chars: usize,
    pub caption_max_chunks: usize,
    pub caption_max_chars: usize,
    /// A lone line differing by more than this share from the rows' type size is a heading.
    pub heading_size_change: f32,
    /// Widest run of lines read for columns (points); wider is not a page.
    pub max_table_width: f32,
    /// A column gap may be crossed by one line in this many (stray long labels).
    pub gap_crossers: usize,
    /// Narrowest clear run that parts columns: this many ems, at least `min_column_gap`
    /// points (chunks are already cut at an em, so cramped layouts' third of an em is enough).
    pub min_column_gap_em: f32,
    pub min_column_gap: f32,
    /// A narrower run crossed by no chunk at all parts columns from this many ems, at least
    /// `clear_column_gap` points (cramped layouts that relied on their rules).
    pub clear_column_gap_em: f32,
    pub clear_column_gap: f32,
    /// Steps per point of the grid on which clear runs are found (finer: narrower gaps seen).
    pub column_grid: f32,
    /// A table has at most this many columns.
    pub max_columns: usize,
    /// Amounts' right edges within this many ems are one column edge; an edge needs
    /// `amount_edge_rows` amounts; edges whose amounts overlap by more than
    /// `amount_overlap_em` are centred amounts, not two columns.
    pub amount_edge_em: f32,
    pub amount_edge_rows: usize,
    pub amount_overlap_em: f32,
    /// A chunk stands in a column when it covers this share of the chunk…
    pub cell_share_of_chunk: f32,
    /// …or this share of the column.
    pub cell_share_of_column: f32,
    /// A table continues from the previous page when its lines lie within its outer columns,
    /// give or take this many ems.
    pub continuation_margin_em: f32,
}

impl TableSettings {
    /// The reader's defaults.
    pub const DEFAULT: TableSettings = TableSettings {
        upright_slope: 0.2,
        vertical_slope: 5.0,
        vertical_glyph_width_em: 0.5,
        typed_space_reach_em: 0.3,
        off_page_margin: 2.0,
        min_glyph_size: 0.1,
        white_fill: 0.95,
        ruling_max_thickness: 3.0,
        straight_tol: 1.0,
        shaded_cell_max_width: 0.9,
        min_ruling_length: 2.0,
        collinear_tol: 1.5,
        ruling_merge_gap: 4.0,
        ruling_join_tol: 2.5,
        inner_ruling_coverage: 0.5,
        frame_margin: 1.0,
        baseline_tol_em: 0.3,
        baseline_tol_min: 1.0,
        fake_bold_em: 0.3,
        fake_bold_rise: 0.5,
        cell_gap_em: 1.0,
        cell_gap_min: 5.0,
        typed_gap_em: 1.5,
        typed_gap_min: 6.0,
        amount_gap_em: 0.4,
        amount_figure_gap_em: 0.15,
        word_space_cjk_em: 0.6,
        word_space_latin_em: 0.18,
        seam_gap_em: 0.15,
        stacked_step_em: 2.5,
        stacked_align_em: 0.3,
        image_only_area: 0.2,
        ocr_image_area: 0.1,
        ocr_colour_share: 0.2,
        running_bucket: 6.0,
        running_share: 0.5,
        running_min_pages: 3,
        margin_top: 0.1,
        margin_bottom: 0.88,
        continued_edge_tol: 6.0,
        carried_tail_lines: 2,
        min_rows: 3,
        row_reach_em: 4.0,
        text_reach_em: 3.0,
        wrap_pitch_em: 1.6,
        wrap_of_row_pitch: 0.95,
        wrap_fill_em: 2.5,
        straddle_centre_em: 0.25,
        group_centre_of_narrowest: 0.25,
        label_tail_max_chars: 12,
        caption_min_name_chars: 4,
        caption_max_chunks: 3,
        caption_max_chars: 40,
        heading_size_change: 0.08,
        max_table_width: 20_000.0,
        gap_crossers: 6,
        min_column_gap_em: 0.3,
        min_column_gap: 2.0,
        clear_column_gap_em: 0.15,
        clear_column_gap: 1.0,
        column_grid: 1.0,
        max_columns: 40,
        amount_edge_em: 0.35,
        amount_edge_rows: 3,
        amount_overlap_em: 0.1,
        cell_share_of_chunk: 0.2,
        cell_share_of_column: 0.5,
        continuation_margin_em: 2.0,
    };

    /// Whether every field is usable: finite, positive where a length, shares within 0–1,
    /// and pairs in order (a typed space parts cells only at a wider gap than clear space).
    pub fn validate(&self) -> Result<(), String> {
        let lengths = [
            ("upright_slope", self.upright_slope),
            ("vertical_slope", self.vertical_slope),
            ("vertical_glyph_width_em", self.vertical_glyph_width_em),
            ("typed_space_reach_em", self.typed_space_reach_em),
            ("min_glyph_size", self.min_glyph_size),
            ("ruling_max_thickness", self.ruling_max_thickness),
            ("straight_tol", self.straight_tol),
            ("min_ruling_length", self.min_ruling_length),
            ("collinear_tol", self.collinear_tol),
            ("ruling_merge_gap", self.ruling_merge_gap),
            ("ruling_join_tol", self.ruling_join_tol),
            ("baseline_tol_em", self.baseline_tol_em),
            ("baseline_tol_min", self.baseline_tol_min),
            ("fake_bold_em", self.fake_bold_em),
            ("fake_bold_rise", self.fake_bold_rise),
            ("cell_gap_em", self.cell_gap_em),
            ("cell_gap_min", self.cell_gap_min),
            ("typed_gap_em", self.typed_gap_em),
            ("typed_gap_min", self.typed_gap_min),
            ("amount_gap_em", self.amount_gap_em),
            ("amount_figure_gap_em", self.amount_figure_gap_em),
            ("word_space_cjk_em", self.word_space_cjk_em),
            ("word_space_latin_em", self.word_space_latin_em),
            ("seam_gap_em", self.seam_gap_em),
            ("stacked_step_em", self.stacked_step_em),
            ("stacked_align_em", self.stacked_align_em),
            ("running_bucket", self.running_bucket),
            ("continued_edge_tol", self.continued_edge_tol),
            ("row_reach_em", self.row_reach_em),
            ("text_reach_em", self.text_reach_em),
            ("wrap_pitch_em", self.wrap_pitch_em),
            ("wrap_of_row_pitch", self.wrap_of_row_pitch),
            ("wrap_fill_em", self.wrap_fill_em),
            ("straddle_centre_em", self.straddle_centre_em),
            ("group_centre_of_narrowest", self.group_centre_of_narrowest),
            ("heading_size_change", self.heading_size_change),
            ("max_table_width", self.max_table_width),
            ("min_column_gap_em", self.min_column_gap_em),
            ("min_column_gap", self.min_column_gap),
            ("clear_column_gap_em", self.clear_column_gap_em),
            ("clear_column_gap", self.clear_column_gap),
            ("column_grid", self.column_grid),
            ("amount_edge_em", self.amount_edge_em),
            ("amount_overlap_em", self.amount_overlap_em),
            ("continuation_margin_em", self.continuation_margin_em),
        ];
        for (name, v) in lengths {
            if !(v.is_finite() && v > 0.0) {
                return Err(format!("{name} must be a positive number, not {v}"));
            }
        }
        let margins = [("off_page_margin", self.off_page_margin), ("frame_margin", self.frame_margin)];
        for (name, v) in margins {
            if !(v.is_finite() && v >= 0.0) {
                return Err(format!("{name} must be zero or more, not {v}"));
            }
        }
        let shares = [
            ("white_fill", self.white_fill),
            ("shaded_cell_max_width", self.shaded_cell_max_width),
            ("inner_ruling_coverage", self.inner_ruling_coverage),
            ("image_only_area", self.image_only_area),
            ("ocr_image_area", self.ocr_image_area),
            ("ocr_colour_share", self.ocr_colour_share),
            ("running_share", self.running_share),
            ("margin_top", self.margin_top),
            ("margin_bottom", self.margin_bottom),
            ("cell_share_of_chunk", self.cell_share_of_chunk),
            ("cell_share_of_column", self.cell_share_of_column),
        ];
        for (name, v) in shares {
            if !(v.is_finite() && v > 0.0 && v <= 1.0) {
                return Err(format!("{name} must be a share in (0, 1], not {v}"));
            }
        }
        let counts = [
            ("running_min_pages", self.running_min_pages),
            ("min_rows", self.min_rows),
            ("label_tail_max_chars", self.label_tail_max_chars),
            ("gap_crossers", self.gap_crossers),
            ("amount_edge_rows", self.amount_edge_rows),
            ("caption_max_chunks", self.caption_max_chunks),
            ("caption_max_chars", self.caption_max_chars),
        ];
        for (name, v) in counts {
            if v == 0 {
                return Err(format!("{name} must be at least 1"));
            }
        }
        if self.max_columns < 2 {
            return Err("max_columns must be at least 2".into());
        }
        if self.margin_top >= self.margin_bottom {
            return Err("margin_top must lie above margin_bottom".into());
        }
        if self.typed_gap_em < self.cell_gap_em {
            return Err("typed_gap_em must be at least cell_gap_em (typed spaces part cells only at a wider gap)".into());
        }
        if self.seam_gap_em >= self.word_space_cjk_em {
            return Err("seam_gap_em must be less than word_space_cjk_em (a seam is narrower than a word space)".into());
        }
        if self.amount_figure_gap_em > self.amount_gap_em {
            return Err("amount_figure_gap_em must not exceed amount_gap_em".into());
        }
        if self.text_reach_em > self.row_reach_em {
            return Err("text_reach_em must not exceed row_reach_em".into());
        }
        Ok(())
    }
}

impl Default for TableSettings {
    fn default() -> Self {
        TableSettings::DEFAULT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_bad_values_are_named() {
        assert_eq!(TableSettings::default().validate(), Ok(()));
        let bad = TableSettings { wrap_pitch_em: f32::NAN, ..TableSettings::default() };
        assert!(bad.validate().unwrap_err().contains("wrap_pitch_em"));
        let bad = TableSettings { margin_top: 0.9, ..TableSettings::default() };
        assert!(bad.validate().is_err());
        let bad = TableSettings { typed_gap_em: 0.5, ..TableSettings::default() };
        assert!(bad.validate().unwrap_err().contains("typed_gap_em"));
    }
}
