//! Arbitrary bytes into the workbook reader, as XLSX, XLS and ODS in turn.
#![no_main]
use gongkai_model::{Extractor, Format, Options};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for format in [Format::Xlsx, Format::Xls, Format::Ods] {
        let _ = gongkai_sheet::SheetExtractor::new(format).extract(data, &Options::default());
    }
});
