//! The page bitmap: PGM in and out, a threshold, deskewing, table rules found as long dark
//! runs, and text lines found as bands of ink.

/// An 8-bit greyscale image, 0 = black, row-major.
#[derive(Clone)]
pub(crate) struct Gray {
    pub w: usize,
    pub h: usize,
    pub px: Vec<u8>,
}

impl Gray {
    pub fn new(w: usize, h: usize) -> Self {
        Gray { w, h, px: vec![255; w * h] }
    }

    #[inline]
    pub fn at(&self, x: usize, y: usize) -> u8 {
        self.px[y * self.w + x]
    }

    /// Reads a binary PGM (P5, 8 bit), as `pdftoppm -gray` writes it.
    pub fn from_pgm(bytes: &[u8]) -> Option<Gray> {
        let mut fields = Vec::new();
        let mut i = 0;
        while fields.len() < 4 {
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if bytes.get(i) == Some(&b'#') {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            let start = i;
            while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if start == i {
                return None;
            }
            fields.push(std::str::from_utf8(&bytes[start..i]).ok()?.to_string());
        }
        i += 1;
        if fields[0] != "P5" || fields[3] != "255" {
            return None;
        }
        let (w, h): (usize, usize) = (fields[1].parse().ok()?, fields[2].parse().ok()?);
        let px = bytes.get(i..i + w.checked_mul(h)?)?.to_vec();
        Some(Gray { w, h, px })
    }

    pub fn to_pgm(&self) -> Vec<u8> {
        let mut out = format!("P5\n{} {}\n255\n", self.w, self.h).into_bytes();
        out.extend_from_slice(&self.px);
        out
    }

    /// The rectangle [x0, x1) × [y0, y1) with `pad` white pixels around it.
    pub fn crop(&self, x0: usize, y0: usize, x1: usize, y1: usize, pad: usize) -> Gray {
        let (x1, y1) = (x1.min(self.w), y1.min(self.h));
        let (w, h) = (x1.saturating_sub(x0), y1.saturating_sub(y0));
        let mut out = Gray::new(w + 2 * pad, h + 2 * pad);
        for y in 0..h {
            let src = &self.px[(y0 + y) * self.w + x0..(y0 + y) * self.w + x0 + w];
            let dst = (y + pad) * out.w + pad;
            out.px[dst..dst + w].copy_from_slice(src);
        }
        out
    }

    /// Grey pixels (between ink and paper) per black pixel: about 1 for a bitonal scan rendered
    /// with smooth edges, several for a greyscale JPEG scan.
    pub fn grey_ink(&self) -> f32 {
        let (mut grey, mut black) = (0usize, 0usize);
        for &p in &self.px {
            match p {
                0..=40 => black += 1,
                41..=214 => grey += 1,
                _ => {}
            }
        }
        grey as f32 / black.max(1) as f32
    }

    /// Otsu's threshold: pixels below it are ink.
    pub fn threshold(&self) -> u8 {
        let mut hist = [0u64; 256];
        for &p in &self.px {
            hist[p as usize] += 1;
        }
        let total = self.px.len() as f64;
        let sum: f64 = hist.iter().enumerate().map(|(i, n)| i as f64 * *n as f64).sum();
        let (mut sum_b, mut w_b, mut best, mut best_t) = (0.0, 0.0, -1.0, 128u8);
        for (t, n) in hist.iter().enumerate() {
            w_b += *n as f64;
            if w_b == 0.0 {
                continue;
            }
            let w_f = total - w_b;
            if w_f == 0.0 {
                break;
            }
            sum_b += t as f64 * *n as f64;
            let (m_b, m_f) = (sum_b / w_b, (sum - sum_b) / w_f);
            let between = w_b * w_f * (m_b - m_f) * (m_b - m_f);
            if between > best {
                best = between;
                best_t = t as u8;
            }
        }
        // A bitonal page: anything not white is ink.
        best_t.clamp(64, 200).saturating_add(1)
    }
}

/// The skew of the page in degrees (text lines and rules fall to the right for > 0), found as
/// the angle whose projection of the ink onto the vertical axis is sharpest.
pub(crate) fn skew_degrees(img: &Gray, ink: u8) -> f32 {
    let mut pts: Vec<(f32, f32)> = Vec::new();
    for y in (0..img.h).step_by(2) {
        for x in (0..img.w).step_by(3) {
            if img.at(x, y) < ink {
                pts.push((x as f32, y as f32));
            }
        }
    }
    if pts.len() < 500 {
        return 0.0;
    }
    let score = |deg: f32| -> f64 {
        let t = deg.to_radians().tan();
        let mut bins = vec![0u32; img.h + img.w / 10 + 4];
        let off = (img.w as f32 * t.abs()) as usize + 1;
        for (x, y) in &pts {
            let b = (y - x * t) as isize + off as isize;
            if let Some(c) = usize::try_from(b / 2).ok().and_then(|b| bins.get_mut(b)) {
                *c += 1;
            }
        }
        bins.iter().map(|c| (*c as f64) * (*c as f64)).sum()
    };
    let mut best = (0.0f32, score(0.0));
    let mut deg = -3.0f32;
    while deg <= 3.0 {
        let s = score(deg);
        if s > best.1 * 1.0001 {
            best = (deg, s);
        }
        deg += 0.1;
    }
    // Refine around the best.
    let centre = best.0;
    let mut d = centre - 0.1;
    while d <= centre + 0.1 {
        let s = score(d);
        if s > best.1 * 1.0001 {
            best = (d, s);
        }
        d += 0.02;
    }
    best.0
}

/// The image turned by `-deg` about its centre (nearest pixel, white outside).
pub(crate) fn rotate(img: &Gray, deg: f32) -> Gray {
    let (s, c) = deg.to_radians().sin_cos();
    let (cx, cy) = (img.w as f32 / 2.0, img.h as f32 / 2.0);
    let mut out = Gray::new(img.w, img.h);
    for y in 0..img.h {
        let dy = y as f32 - cy;
        for x in 0..img.w {
            let dx = x as f32 - cx;
            let sx = cx + dx * c - dy * s;
            let sy = cy + dx * s + dy * c;
            if sx >= 0.0 && sy >= 0.0 {
                let (sx, sy) = (sx as usize, sy as usize);
                if sx < img.w && sy < img.h {
                    out.px[y * img.w + x] = img.px[sy * img.w + sx];
                }
            }
        }
    }
    out
}

/// A straight rule in pixels: horizontal at row `pos` from column `a` to `b`, or vertical.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rule {
    pub horizontal: bool,
    pub pos: f32,
    pub a: f32,
    pub b: f32,
}

/// Runs of ink along rows (horizontal) or columns of at least `min_len` pixels, bridging
/// gaps of up to `gap` pixels (a scanner's dropouts).
fn runs(img: &Gray, ink: u8, horizontal: bool, min_len: usize, gap: usize) -> Vec<Rule> {
    let (outer, inner) = if horizontal { (img.h, img.w) } else { (img.w, img.h) };
    let mut out = Vec::new();
    for o in 0..outer {
        let mut start: Option<usize> = None;
        let mut last_ink = 0usize;
        for i in 0..=inner {
            let dark = i < inner && {
                let p = if horizontal { img.at(i, o) } else { img.at(o, i) };
                p < ink
            };
            if dark {
                if start.is_none() {
                    start = Some(i);
                }
                last_ink = i;
            } else if let Some(s) = start {
                if i - last_ink > gap || i == inner {
                    if last_ink + 1 - s >= min_len {
                        out.push(Rule { horizontal, pos: o as f32, a: s as f32, b: (last_ink + 1) as f32 });
                    }
                    start = None;
                }
            }
        }
    }
    out
}

/// Merges the runs of one rule (a few pixels thick) into one rule.
fn merge(mut rs: Vec<Rule>, join: f32) -> Vec<Rule> {
    rs.sort_by(|a, b| a.pos.total_cmp(&b.pos));
    let mut out: Vec<(Rule, f32)> = Vec::new();
    for r in rs {
        let hit = out.iter_mut().rev().take_while(|(o, _)| r.pos - o.pos <= 4.0).find(|(o, _)| r.a <= o.b + join && r.b >= o.a - join);
        match hit {
            Some((o, n)) => {
                o.pos = (o.pos * *n + r.pos) / (*n + 1.0);
                *n += 1.0;
                o.a = o.a.min(r.a);
                o.b = o.b.max(r.b);
            }
            None => out.push((r, 1.0)),
        }
    }
    out.into_iter().map(|(r, _)| r).collect()
}

/// The table rules of a page: long horizontal runs, and vertical runs that are long or that
/// join two horizontal rules (a stroke of a character never touches a rule).
pub(crate) fn rules(img: &Gray, ink: u8, dpi: f32) -> Vec<Rule> {
    let hs = merge(runs(img, ink, true, (dpi * 0.4) as usize, 2), 3.0);
    let vs = merge(runs(img, ink, false, (dpi * 0.1) as usize, 2), 3.0);
    let tol = dpi * 0.03;
    let touches = |v: &Rule, y: f32| hs.iter().any(|h| (h.pos - y).abs() <= tol && v.pos >= h.a - tol && v.pos <= h.b + tol);
    let mut out: Vec<Rule> = vs.into_iter().filter(|v| v.b - v.a >= dpi * 0.6 || (touches(v, v.a) && touches(v, v.b))).collect();
    out.extend(hs);
    out
}

/// Bands of rows holding ink inside [x0, x1) × [y0, y1): (top, bottom exclusive). Specks
/// (bands with very little ink) are dropped.
pub(crate) fn bands(img: &Gray, ink: u8, x0: usize, y0: usize, x1: usize, y1: usize, min_h: usize) -> Vec<(usize, usize)> {
    let (x1, y1) = (x1.min(img.w), y1.min(img.h));
    let counts: Vec<usize> = (y0..y1).map(|y| img.px[y * img.w + x0..y * img.w + x1].iter().filter(|p| **p < ink).count()).collect();
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut total = 0;
    for (i, c) in counts.iter().chain(std::iter::once(&0)).enumerate() {
        if *c > 0 {
            start.get_or_insert(i);
            total += c;
        } else if let Some(s) = start.take() {
            if i - s >= min_h && total >= min_h * 2 {
                out.push((y0 + s, y0 + i));
            }
            total = 0;
        }
    }
    // Lines of one text whose bands are parted by a blank row inside a glyph (二, 三) join
    // when the gap is tiny.
    let mut joined: Vec<(usize, usize)> = Vec::new();
    for b in out {
        match joined.last_mut() {
            Some(l) if b.0 <= l.1 + 2 => l.1 = b.1,
            _ => joined.push(b),
        }
    }
    joined
}

/// Columns holding ink inside a band, cut into pieces at clear gaps wider than `gap`:
/// (left, right exclusive).
pub(crate) fn pieces(img: &Gray, ink: u8, x0: usize, x1: usize, y0: usize, y1: usize, gap: usize) -> Vec<(usize, usize)> {
    let x1 = x1.min(img.w);
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut last: Option<usize> = None;
    for x in x0..x1 {
        if (y0..y1.min(img.h)).any(|y| img.at(x, y) < ink) {
            match out.last_mut() {
                Some(p) if last.is_some_and(|l| x - l <= gap) => p.1 = x + 1,
                _ => out.push((x, x + 1)),
            }
            last = Some(x);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pgm_round_trip() {
        let mut g = Gray::new(3, 2);
        g.px[4] = 0;
        let back = Gray::from_pgm(&g.to_pgm()).unwrap();
        assert_eq!((back.w, back.h, back.px), (3, 2, g.px));
    }

    #[test]
    fn a_drawn_grid_gives_its_rules() {
        let mut g = Gray::new(400, 300);
        for x in 20..380 {
            for y in [20, 21, 150, 280, 281] {
                g.px[y * 400 + x] = 0;
            }
        }
        for y in 20..282 {
            for x in [20, 200, 379] {
                g.px[y * 400 + x] = 0;
            }
        }
        let rs = rules(&g, 128, 300.0);
        assert_eq!(rs.iter().filter(|r| r.horizontal).count(), 3);
        assert_eq!(rs.iter().filter(|r| !r.horizontal).count(), 3);
        let skew = skew_degrees(&g, 128);
        assert!(skew.abs() < 0.05, "{skew}");
    }
}
