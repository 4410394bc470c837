//! Placing labels so that none overlap: boxes, items dealt to rows at
//! their ideal x (or pushed apart within a row when they cannot all stay
//! there), and labels taking the first row where they fit.

/// A box on the drawing, for labels: top-left corner and size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

impl Rect {
    /// Whether the two boxes share any area.
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }
}

/// Deals items `(ideal centre x, width)` (sorted by x) to rows round-robin,
/// using the fewest rows (at most four unless more are needed to fit)
/// that leave every item at its ideal x; failing that, pushes items apart
/// within their row. Returns `(row, centre x)` per item.
pub fn place_in_rows(items: &[(f64, f64)], lo: f64, hi: f64, gap: f64) -> Vec<(usize, f64)> {
    if items.is_empty() {
        return Vec::new();
    }
    let widest = items.iter().map(|i| i.1).fold(0.0, f64::max) + gap;
    let per_row = ((hi - lo + gap) / widest).floor().max(1.0) as usize;
    let needed = items.len().div_ceil(per_row);
    let most = needed.max(4);
    let rows = (needed..=most)
        .find(|&r| fits_at_ideal(items, r, lo, hi, gap))
        .unwrap_or(most);
    let mut out: Vec<(usize, f64)> = items
        .iter()
        .enumerate()
        .map(|(i, &(x, _))| (i % rows, x))
        .collect();
    for row in 0..rows {
        let members: Vec<usize> = (row..items.len()).step_by(rows).collect();
        let mut xs: Vec<f64> = members.iter().map(|&i| items[i].0).collect();
        let ws: Vec<f64> = members.iter().map(|&i| items[i].1).collect();
        let mut right = lo - gap;
        for (x, w) in xs.iter_mut().zip(&ws) {
            *x = x.max(right + gap + w / 2.0);
            right = *x + w / 2.0;
        }
        let mut left = hi + gap;
        for (x, w) in xs.iter_mut().zip(&ws).rev() {
            *x = x.min(left - gap - w / 2.0);
            left = *x - w / 2.0;
        }
        for (&i, x) in members.iter().zip(xs) {
            out[i].1 = x;
        }
    }
    out
}

fn fits_at_ideal(items: &[(f64, f64)], rows: usize, lo: f64, hi: f64, gap: f64) -> bool {
    let mut right = vec![lo - gap; rows];
    items.iter().enumerate().all(|(i, &(x, w))| {
        let r = &mut right[i % rows];
        let ok = x - w / 2.0 >= *r + gap && x + w / 2.0 <= hi;
        *r = x + w / 2.0;
        ok
    })
}

/// Rows of labels filled first-fit: a label goes to the first row where
/// it keeps `gap` from every label already there.
#[derive(Debug, Default)]
pub struct FirstFitRows {
    rows: Vec<Vec<(f64, f64)>>,
}

impl FirstFitRows {
    /// Takes the span `x .. x + w` in the first row it fits; returns the row.
    pub fn take(&mut self, x: f64, w: f64, gap: f64) -> usize {
        let fits = |row: &Vec<(f64, f64)>| {
            row.iter()
                .all(|&(ox, ow)| ox + ow + gap <= x || x + w + gap <= ox)
        };
        let row = match self.rows.iter().position(fits) {
            Some(row) => row,
            None => {
                self.rows.push(Vec::new());
                self.rows.len() - 1
            }
        };
        self.rows[row].push((x, w));
        row
    }

    /// How many rows are in use.
    pub fn count(&self) -> usize {
        self.rows.len()
    }
}
