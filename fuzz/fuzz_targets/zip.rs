//! Arbitrary bytes into the ZIP archive reader with small limits, so that a bomb the fuzzer
//! builds is refused quickly instead of exhausting memory.
#![no_main]
use gongkai_archive::ArchiveLimits;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = ArchiveLimits { max_total_bytes: 16 << 20, ..ArchiveLimits::default() };
    let _ = gongkai_archive::members(data, &limits);
});
