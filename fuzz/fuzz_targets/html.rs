//! Arbitrary bytes into the HTML reader and the landing-page link finder.
#![no_main]
use gongkai_model::{Extractor, Options};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = gongkai_html::HtmlExtractor.extract(data, &Options::default());
    let _ = gongkai_html::attachment_links(data);
});
