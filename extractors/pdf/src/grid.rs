//! Ruled tables: rulings → connected frames → a grid of x and y positions → cells, merged
//! where an inner ruling is absent (that is how row and column spans show on paper).

use crate::settings::TableSettings;
use crate::walker::Seg;

/// A table frame found from rulings, before text is put in.
#[derive(Debug, Clone)]
pub(crate) struct Frame {
    pub xs: Vec<f32>,
    pub ys: Vec<f32>,
    /// Cells as (row0, col0, row1, col1), exclusive ends, covering the grid once.
    pub cells: Vec<(usize, usize, usize, usize)>,
}

impl Frame {
    pub fn x0(&self) -> f32 {
        self.xs[0]
    }
    pub fn x1(&self) -> f32 {
        self.xs[self.xs.len() - 1]
    }
    pub fn y0(&self) -> f32 {
        self.ys[0]
    }
    pub fn y1(&self) -> f32 {
        self.ys[self.ys.len() - 1]
    }
    pub fn contains(&self, x: f32, y: f32, margin: f32) -> bool {
        x >= self.x0() - margin && x <= self.x1() + margin && y >= self.y0() - margin && y <= self.y1() + margin
    }
    /// Grid row/column index of a point (clamped into the grid).
    pub fn locate(&self, x: f32, y: f32) -> (usize, usize) {
        (band(&self.ys, y), band(&self.xs, x))
    }
}

fn band(edges: &[f32], v: f32) -> usize {
    let n = edges.len().saturating_sub(1).max(1);
    let i = edges.partition_point(|e| *e <= v);
    i.saturating_sub(1).min(n - 1)
}

/// Merges collinear pieces of rulings (cell borders are drawn cell by cell).
fn merge_segs(mut segs: Vec<Seg>, s: &TableSettings) -> Vec<Seg> {
    segs.sort_by(|a, b| a.pos.total_cmp(&b.pos));
    // Cluster by position first, then merge along the line.
    let mut out = Vec::new();
    let mut i = 0;
    while i < segs.len() {
        let mut j = i + 1;
        while j < segs.len() && segs[j].pos - segs[j - 1].pos <= s.collinear_tol {
            j += 1;
        }
        let mut group: Vec<Seg> = segs[i..j].to_vec();
        let pos = group.iter().map(|s| s.pos).sum::<f32>() / group.len() as f32;
        group.sort_by(|a, b| a.a.total_cmp(&b.a));
        let mut cur: Option<Seg> = None;
        for g in group {
            match &mut cur {
                Some(c) if g.a <= c.b + s.ruling_merge_gap => c.b = c.b.max(g.b),
                _ => {
                    if let Some(c) = cur.take() {
                        out.push(c);
                    }
                    cur = Some(Seg { pos, ..g });
                }
            }
        }
        if let Some(c) = cur {
            out.push(c);
        }
        i = j;
    }
    out
}

fn touches(h: &Seg, v: &Seg, tol: f32) -> bool {
    v.pos >= h.a - tol && v.pos <= h.b + tol && h.pos >= v.a - tol && h.pos <= v.b + tol
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra != rb {
        parent[ra.max(rb)] = ra.min(rb);
    }
}

/// Finds table frames among a page's rulings.
pub(crate) fn frames(segs: &[Seg], s: &TableSettings) -> Vec<Frame> {
    let long = |g: &&Seg| g.b - g.a > s.min_ruling_length;
    let hs = merge_segs(segs.iter().filter(|g| g.horizontal).filter(long).copied().collect(), s);
    let vs = merge_segs(segs.iter().filter(|g| !g.horizontal).filter(long).copied().collect(), s);
    if hs.len() < 2 || vs.is_empty() || hs.len() * vs.len() > 4_000_000 {
        return Vec::new();
    }
    let n = hs.len() + vs.len();
    let mut parent: Vec<usize> = (0..n).collect();
    for (i, h) in hs.iter().enumerate() {
        for (j, v) in vs.iter().enumerate() {
            if touches(h, v, s.ruling_join_tol) {
                union(&mut parent, i, hs.len() + j);
            }
        }
    }
    let mut comps: std::collections::BTreeMap<usize, (Vec<Seg>, Vec<Seg>)> = Default::default();
    for i in 0..n {
        let r = find(&mut parent, i);
        let e = comps.entry(r).or_default();
        if i < hs.len() {
            e.0.push(hs[i]);
        } else {
            e.1.push(vs[i - hs.len()]);
        }
    }
    comps.into_values().filter_map(|(h, v)| frame_of(&h, &v, s)).collect()
}

fn cluster(mut v: Vec<f32>, tol: f32) -> Vec<f32> {
    v.sort_by(f32::total_cmp);
    let mut out: Vec<Vec<f32>> = Vec::new();
    for x in v {
        match out.last_mut() {
            Some(c) if x - c[c.len() - 1] <= tol => c.push(x),
            _ => out.push(vec![x]),
        }
    }
    out.into_iter().map(|c| c.iter().sum::<f32>() / c.len() as f32).collect()
}

/// How much of [a, b] the rulings at `pos` cover.
fn coverage(segs: &[Seg], pos: f32, a: f32, b: f32, tol: f32) -> f32 {
    let len = b - a;
    if len <= 0.0 {
        return 1.0;
    }
    let mut covered = 0.0;
    for g in segs {
        if (g.pos - pos).abs() <= tol {
            let lo = g.a.max(a);
            let hi = g.b.min(b);
            if hi > lo {
                covered += hi - lo;
            }
        }
    }
    covered / len
}

fn frame_of(hs: &[Seg], vs: &[Seg], s: &TableSettings) -> Option<Frame> {
    if hs.len() < 2 && vs.len() < 2 {
        return None;
    }
    let mut xs_raw: Vec<f32> = vs.iter().map(|s| s.pos).collect();
    let mut ys_raw: Vec<f32> = hs.iter().map(|s| s.pos).collect();
    // Open-sided tables (no outer verticals) still end where their horizontal rules end.
    let hx0 = hs.iter().map(|s| s.a).fold(f32::MAX, f32::min);
    let hx1 = hs.iter().map(|s| s.b).fold(f32::MIN, f32::max);
    let vy0 = vs.iter().map(|s| s.a).fold(f32::MAX, f32::min);
    let vy1 = vs.iter().map(|s| s.b).fold(f32::MIN, f32::max);
    xs_raw.extend([hx0, hx1]);
    ys_raw.extend([vy0, vy1]);
    let xs = cluster(xs_raw, s.ruling_merge_gap);
    let ys = cluster(ys_raw, s.ruling_merge_gap);
    if xs.len() < 2 || ys.len() < 2 || xs.len() > 200 || ys.len() > 2000 {
        return None;
    }
    let (nr, nc) = (ys.len() - 1, xs.len() - 1);
    if nr * nc > 200_000 {
        return None;
    }
    let idx = |r: usize, c: usize| r * nc + c;
    let mut parent: Vec<usize> = (0..nr * nc).collect();
    for r in 0..nr {
        for c in 0..nc {
            if c + 1 < nc && coverage(vs, xs[c + 1], ys[r], ys[r + 1], s.ruling_join_tol) < s.inner_ruling_coverage {
                union(&mut parent, idx(r, c), idx(r, c + 1));
            }
            if r + 1 < nr && coverage(hs, ys[r + 1], xs[c], xs[c + 1], s.ruling_join_tol) < s.inner_ruling_coverage {
                union(&mut parent, idx(r, c), idx(r + 1, c));
            }
        }
    }
    let cells = rectangles(&mut parent, nr, nc);
    Some(Frame { xs, ys, cells })
}

/// Turns merged groups into rectangles; groups whose boxes overlap are merged until the
/// rectangles tile the grid.
fn rectangles(parent: &mut [usize], nr: usize, nc: usize) -> Vec<(usize, usize, usize, usize)> {
    for _ in 0..8 {
        let mut boxes: std::collections::HashMap<usize, (usize, usize, usize, usize)> = Default::default();
        for r in 0..nr {
            for c in 0..nc {
                let root = find(parent, r * nc + c);
                let b = boxes.entry(root).or_insert((r, c, r + 1, c + 1));
                *b = (b.0.min(r), b.1.min(c), b.2.max(r + 1), b.3.max(c + 1));
            }
        }
        let mut changed = false;
        for (root, (r0, c0, r1, c1)) in &boxes {
            for r in *r0..*r1 {
                for c in *c0..*c1 {
                    if find(parent, r * nc + c) != find(parent, *root) {
                        union(parent, r * nc + c, *root);
                        changed = true;
                    }
                }
            }
        }
        if !changed {
            let mut v: Vec<_> = boxes.into_values().collect();
            v.sort();
            return v;
        }
    }
    // Still not settled (pathological rulings): give every grid position its own cell.
    (0..nr).flat_map(|r| (0..nc).map(move |c| (r, c, r + 1, c + 1))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(y: f32, a: f32, b: f32) -> Seg {
        Seg { horizontal: true, pos: y, a, b }
    }
    fn v(x: f32, a: f32, b: f32) -> Seg {
        Seg { horizontal: false, pos: x, a, b }
    }

    #[test]
    fn missing_inner_ruling_makes_a_span() {
        // 2 rows x 2 cols; the top row has no middle vertical: one cell spanning 2 columns.
        let segs = vec![h(0.0, 0.0, 100.0), h(20.0, 0.0, 100.0), h(40.0, 0.0, 100.0), v(0.0, 0.0, 40.0), v(100.0, 0.0, 40.0), v(50.0, 20.0, 40.0)];
        let f = frames(&segs, &TableSettings::DEFAULT);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].cells, vec![(0, 0, 1, 2), (1, 0, 2, 1), (1, 1, 2, 2)]);
    }
}
