//! `gongkai gen`: a synthetic corpus for scale tests and benchmarks, made from the five
//! bundled seed reports. Each original is a seed with another department (a real county of
//! the division list, named with its prefecture so it resolves back), another fiscal year and
//! sometimes one amount changed. A share of the files repeat an earlier one the ways scrapes
//! do: identical bytes under another name, the same text re-saved (other bytes, same values),
//! a correction (one amount changed), and the bundled DOCX/XLSX of an unmodified seed.
//!
//! The corpus depends only on `--n` and `--seed`; `.manifest.tsv` (hidden, so `extract`
//! skips it) says what each file is.

use crate::regions;
use clap::Args;
use regex::Regex;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
#[command(after_help = "Example:
  gongkai gen --n 10000 -o /tmp/corpus && gongkai extract /tmp/corpus -o /tmp/out --timings")]
pub struct GenArgs {
    /// Number of files to write.
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub n: usize,

    /// Output folder (created; existing generated files are overwritten).
    #[arg(short, long, value_name = "DIR")]
    pub output: PathBuf,

    /// Share of files that repeat an earlier report, in percent.
    #[arg(long, value_name = "PERCENT", default_value_t = 30)]
    pub duplicates: u32,

    /// Seed of the pseudo-random choices; the same seed gives the same corpus.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

/// A seed rendering and the place and fiscal year it names.
struct Seed {
    text: &'static str,
    prefecture: &'static str,
    county: &'static str,
    year: i32,
}

const SEEDS: [Seed; 5] = [
    Seed { text: include_str!("../../samples/seeds/000_5010c9f98508a758.txt"), prefecture: "西宁市", county: "城中区", year: 2024 },
    Seed { text: include_str!("../../samples/seeds/001_03d4e11e00e8d2e9.txt"), prefecture: "攀枝花市", county: "盐边县", year: 2024 },
    Seed { text: include_str!("../../samples/seeds/002_97d50bc877a759dd.txt"), prefecture: "西安市", county: "莲湖区", year: 2023 },
    Seed { text: include_str!("../../samples/seeds/003_66bd46d71a5bdd15.txt"), prefecture: "武汉市", county: "东西湖区", year: 2024 },
    Seed { text: include_str!("../../samples/seeds/004_295e34a150d1a2fa.txt"), prefecture: "长春市", county: "德惠市", year: 2024 },
];

/// The same reports as seeds 000 and 004 in other formats (duplicates of the unmodified seeds).
const OTHER_FORMATS: [(&str, &[u8]); 2] = [
    ("docx", include_bytes!("../../samples/generated/000_5010c9f98508a758.docx")),
    ("xlsx", include_bytes!("../../samples/generated/004_295e34a150d1a2fa.xlsx")),
];

/// splitmix64: tiny, good enough to spread choices, and the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Runs the command; `Err` is a reason the corpus could not be written.
pub fn run(args: &GenArgs) -> Result<(), String> {
    std::fs::create_dir_all(&args.output).map_err(|e| format!("cannot create {}: {e}", args.output.display()))?;
    let manifest = generate(&args.output, args.n, args.duplicates.min(100), args.seed)?;
    let path = args.output.join(".manifest.tsv");
    std::fs::write(&path, manifest).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(())
}

/// Writes `n` files into `dir`; returns the manifest (file, kind, file it repeats).
pub fn generate(dir: &Path, n: usize, duplicate_percent: u32, seed: u64) -> Result<String, String> {
    let places = regions::county_places();
    let amount_line = Regex::new(r"(?m)^\d{3,7}\t[^\t\n]*\t(\d+)\.(\d{2})").map_err(|e| e.to_string())?;
    let mut rng = Rng(seed);
    let mut manifest = String::from("file\tkind\trepeats\n");
    // Originals written so far: (file name, text).
    let mut originals: Vec<(String, String)> = Vec::new();
    let mut used: std::collections::HashSet<(&str, i32)> = SEEDS.iter().map(|s| (s.county, s.year)).collect();
    for i in 0..n {
        let write = |name: &str, bytes: &[u8]| std::fs::write(dir.join(name), bytes).map_err(|e| format!("cannot write {name}: {e}"));
        let repeat = i >= SEEDS.len() && !originals.is_empty() && (rng.below(100) as u32) < duplicate_percent;
        if !repeat {
            let (name, text, kind) = if let Some(s) = SEEDS.get(i) {
                (format!("gen_{i:06}_seed.txt"), s.text.to_string(), "seed")
            } else {
                let s = &SEEDS[rng.below(SEEDS.len())];
                // A new (county, year) each time, so that originals never share a report key.
                let (mut place, mut year) = (places.get(rng.below(places.len())), 2018 + rng.below(7) as i32);
                for _ in 0..20 {
                    if place.is_some_and(|(_, county, _)| !used.contains(&(*county, year))) {
                        break;
                    }
                    (place, year) = (places.get(rng.below(places.len())), 2018 + rng.below(7) as i32);
                }
                let Some((pref, county, _)) = place else {
                    return Err("the embedded division list is empty".into());
                };
                used.insert((*county, year));
                let mut text = relocate(s, pref, county, year);
                if rng.below(2) == 0 {
                    text = change_one_amount(&amount_line, &text, &mut rng).unwrap_or(text);
                }
                (format!("gen_{i:06}.txt"), text, "original")
            };
            write(&name, text.as_bytes())?;
            let _ = writeln!(manifest, "{name}\t{kind}\t");
            originals.push((name, text));
            continue;
        }
        let Some((of, text)) = originals.get(rng.below(originals.len())) else { continue };
        let (name, bytes, kind): (String, Vec<u8>, &str) = match rng.below(4) {
            0 => (format!("gen_{i:06}_copy.txt"), text.clone().into_bytes(), "identical"),
            1 => (format!("gen_{i:06}_resaved.txt"), format!("{text}\n\n").into_bytes(), "same_values"),
            2 => match change_one_amount(&amount_line, text, &mut rng) {
                Some(t) => (format!("gen_{i:06}_correction.txt"), t.into_bytes(), "correction"),
                None => (format!("gen_{i:06}_resaved.txt"), format!("{text}\n\n").into_bytes(), "same_values"),
            },
            _ => {
                let (ext, bytes) = OTHER_FORMATS[rng.below(OTHER_FORMATS.len())];
                let of = if ext == "docx" { "gen_000000_seed.txt" } else { "gen_000004_seed.txt" };
                let name = format!("gen_{i:06}_other.{ext}");
                write(&name, bytes)?;
                let _ = writeln!(manifest, "{name}\tother_format\t{of}");
                continue;
            }
        };
        write(&name, &bytes)?;
        let _ = writeln!(manifest, "{name}\t{kind}\t{of}");
    }
    Ok(manifest)
}

/// The seed's text as if published by the same kind of department elsewhere, for another
/// fiscal year (the year before it, which the narrative compares with, moves along).
fn relocate(seed: &Seed, prefecture: &str, county: &str, year: i32) -> String {
    let text = seed.text.replace(seed.prefecture, prefecture).replace(seed.county, county);
    let previous = Regex::new(&format!(r"(^|[^\d.,]){}(\s*年)", seed.year - 1));
    let current = Regex::new(&format!(r"(^|[^\d.,]){}(\s*年)", seed.year));
    let (Ok(previous), Ok(current)) = (previous, current) else { return text };
    // Through a placeholder, so that a move by one year does not rename twice.
    let text = current.replace_all(&text, "${1}\u{1}CUR${2}");
    let text = previous.replace_all(&text, format!("${{1}}{}${{2}}", year - 1).as_str());
    text.replace("\u{1}CUR", &year.to_string())
}

/// The text with the first amount of one randomly chosen coded table row raised by 1 万元.
fn change_one_amount(amount_line: &Regex, text: &str, rng: &mut Rng) -> Option<String> {
    let rows: Vec<_> = amount_line.captures_iter(text).collect();
    let caps = rows.get(rng.below(rows.len()))?;
    let whole = caps.get(1)?;
    let raised = whole.as_str().parse::<u64>().ok()?.checked_add(1)?;
    Some(format!("{}{raised}{}", &text[..whole.start()], &text[whole.end()..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relocated_seed_names_the_new_place_and_year() {
        let t = relocate(&SEEDS[0], "玉溪市", "澄江市", 2021);
        assert!(t.contains("玉溪市澄江市医疗保障局"));
        assert!(t.contains("2021年度部门决算"));
        assert!(!t.contains("城中区"));
        assert!(!t.contains("2024年度"));
    }

    #[test]
    fn one_amount_changes() {
        let re = Regex::new(r"(?m)^\d{3,7}\t[^\t\n]*\t(\d+)\.(\d{2})").unwrap();
        let t = change_one_amount(&re, SEEDS[0].text, &mut Rng(7)).unwrap();
        assert_ne!(t, SEEDS[0].text);
        assert_eq!(t.len(), SEEDS[0].text.len());
    }
}
