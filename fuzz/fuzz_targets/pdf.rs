//! Arbitrary bytes into the PDF reader: it must return Ok or Err, never panic or hang.
#![no_main]
use gongkai_model::{Extractor, Options};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = gongkai_pdf::PdfExtractor.extract(data, &Options::default());
});
