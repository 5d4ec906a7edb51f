//! The recogniser, facts and checks on any document the text reader can build from the bytes:
//! arbitrary grids, titles, units and numbers. Seed with tests/fixtures/seeds.
#![no_main]
use gongkai_model::{Extractor, Format, Options};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(doc) = gongkai_text::TextExtractor(Format::Text).extract(data, &Options::default()) else { return };
    let report = gongkai::recognise::recognise(&doc);
    let _ = gongkai::facts::extract_facts(&doc);
    let _ = gongkai::checks::run_checks(&report, rust_decimal::Decimal::new(1, 2));
});
