//! Tesseract 5 (`tesseract` on PATH, with the `chi_sim` model) as an [`OcrEngine`], run as a
//! child process per page batch with a time limit: a crash or hang costs that page only.

use super::bitmap::Gray;
use super::{Charset, OcrEngine, Word};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Instant;

pub(crate) struct Tesseract {
    program: PathBuf,
}

impl Tesseract {
    /// The engine when `tesseract` runs and has the `chi_sim` model, else why not.
    pub fn find() -> Result<&'static Tesseract, String> {
        static FOUND: OnceLock<Result<Tesseract, String>> = OnceLock::new();
        FOUND.get_or_init(probe).as_ref().map_err(Clone::clone)
    }
}

fn probe() -> Result<Tesseract, String> {
    let program = find_on_path("tesseract").ok_or("tesseract is not installed")?;
    let out = Command::new(&program).arg("--list-langs").stdin(Stdio::null()).output().map_err(|e| format!("tesseract does not run: {e}"))?;
    let langs = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    if !langs.lines().any(|l| l.trim() == "chi_sim") {
        return Err("tesseract has no chi_sim model".into());
    }
    if find_on_path("pdftoppm").is_none() {
        return Err("pdftoppm (poppler-utils) is not installed".into());
    }
    Ok(Tesseract { program })
}

pub(crate) fn find_on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(program)).find(|p| p.is_file())
}

impl OcrEngine for Tesseract {
    fn name(&self) -> &'static str {
        "tesseract"
    }

    fn read_lines(&self, lines: &[Gray], charset: Charset, dir: &Path, deadline: Instant) -> Result<Vec<Vec<Word>>, String> {
        if lines.is_empty() {
            return Ok(Vec::new());
        }
        let tag = match charset {
            Charset::Any => "any",
            Charset::Amount => "num",
        };
        let mut list = String::new();
        for (i, img) in lines.iter().enumerate() {
            let p = dir.join(format!("{tag}{i:05}.pgm"));
            std::fs::write(&p, img.to_pgm()).map_err(|e| format!("cannot write an OCR image: {e}"))?;
            list.push_str(&p.to_string_lossy());
            list.push('\n');
        }
        let list_path = dir.join(format!("{tag}.txt"));
        std::fs::write(&list_path, list).map_err(|e| format!("cannot write an OCR image list: {e}"))?;
        let out_base = dir.join(format!("{tag}-out"));
        let mut cmd = Command::new(&self.program);
        // Raw line mode: single-line mode (7) returns nothing for some short, clean lines.
        cmd.arg(&list_path).arg(&out_base).args(["--psm", "13", "-l"]);
        match charset {
            Charset::Any => cmd.arg("chi_sim"),
            Charset::Amount => cmd.args(["eng", "-c", "tessedit_char_whitelist=0123456789.,-"]),
        };
        // One thread per engine process: files already run in parallel.
        cmd.arg("tsv").env("OMP_THREAD_LIMIT", "1");
        super::run(cmd, deadline, "tesseract")?;
        let tsv = std::fs::read_to_string(out_base.with_extension("tsv")).map_err(|e| format!("tesseract wrote no output: {e}"))?;
        Ok(parse_tsv(&tsv, lines.len()))
    }
}

/// Words per input image from Tesseract's TSV (level 5 rows; page_num is the image's index
/// in the list, from 1).
fn parse_tsv(tsv: &str, n: usize) -> Vec<Vec<Word>> {
    let mut out = vec![Vec::new(); n];
    for line in tsv.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 12 || f[0] != "5" {
            continue;
        }
        let text = f[11].trim();
        if text.is_empty() {
            continue;
        }
        let num = |i: usize| f[i].trim().parse::<f32>().unwrap_or(0.0);
        let page = num(1) as usize;
        if page == 0 || page > n {
            continue;
        }
        out[page - 1].push(Word { text: text.to_string(), left: num(6), width: num(8), conf: num(10) });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsv_words_per_image() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
                   1\t1\t0\t0\t0\t0\t0\t0\t100\t40\t-1\t\n\
                   5\t1\t1\t1\t1\t1\t10\t5\t30\t20\t91.5\t收入\n\
                   5\t2\t1\t1\t1\t1\t12\t6\t50\t20\t88\t665.38\n";
        let w = parse_tsv(tsv, 2);
        assert_eq!(w[0][0].text, "收入");
        assert_eq!((w[1][0].left, w[1][0].conf), (12.0, 88.0));
    }
}
