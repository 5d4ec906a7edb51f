//! Arbitrary bytes into the DOCX reader (seed the corpus with real .docx files so that the
//! fuzzer gets past the ZIP container quickly).
#![no_main]
use gongkai_model::{Extractor, Options};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = gongkai_docx::DocxExtractor.extract(data, &Options::default());
});
