//! Arbitrary bytes into the text-rendering reader (UTF-8 or GB18030, three table layouts).
#![no_main]
use gongkai_model::{Extractor, Format, Options};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = gongkai_text::TextExtractor(Format::Text).extract(data, &Options::default());
    let _ = gongkai_text::TextExtractor(Format::Markdown).extract(data, &Options::default());
});
