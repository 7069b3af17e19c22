//! Training a linear-chain CRF: penalised log-likelihood (L2) maximised with
//! L-BFGS, over sentences whose tokens may carry a *set* of allowed labels
//! (partial labels: a data set without organisations says "O or ORG" where it
//! says O). Deterministic: attributes are numbered in order of appearance and
//! the gradient is summed over fixed chunks in a fixed order.

use std::collections::HashMap;
use std::sync::Arc;

use super::crf::{Crf, CrfParts, MAX_LABELS};
use super::features::{attributes, cap_runs, sentence_info};

/// One training sentence.
#[derive(Debug, Clone)]
pub(crate) struct Example {
    pub(crate) tokens: Vec<String>,
    /// Per token, the bit set of labels it may carry (one bit = fully labelled).
    pub(crate) allowed: Vec<u16>,
    /// Per helper model, its predicted label per token.
    pub(crate) stack: Vec<Vec<u8>>,
    /// The data set it comes from, for augmented features (0: none).
    pub(crate) domain: u64,
    /// The word classes this sentence sees in training, when not the model's own
    /// (classes learned from the training data itself are computed without the
    /// sentence's own fold, so that they are as noisy as on new text).
    pub(crate) clusters: Option<Arc<HashMap<u64, u32>>>,
}

/// Settings of one training run.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LearnOptions {
    /// L1 penalty: the objective adds `c1 · ‖w‖₁` (sparse models).
    pub(crate) c1: f64,
    /// L2 penalty: the objective adds `c2 · ‖w‖²`.
    pub(crate) c2: f64,
    /// Most L-BFGS iterations.
    pub(crate) max_iterations: usize,
    /// Stop when the objective improved by less than this fraction over 10 iterations.
    pub(crate) delta: f64,
    /// Attributes seen fewer times are dropped.
    pub(crate) min_count: u32,
    /// Weights smaller than this in magnitude are left out of the model file.
    pub(crate) prune: f32,
    /// Threads for the gradient (the result does not depend on it beyond rounding order,
    /// which is fixed for a given value).
    pub(crate) threads: usize,
}

impl Default for LearnOptions {
    fn default() -> Self {
        Self {
            c1: 0.0,
            c2: 0.1,
            max_iterations: 250,
            delta: 1e-5,
            min_count: 1,
            prune: 1e-3,
            threads: 2,
        }
    }
}

struct Sent {
    /// Token t's attribute ids are `attrs[off[t]..off[t + 1]]`.
    off: Vec<u32>,
    attrs: Vec<u32>,
    allowed: Vec<u16>,
    /// The single label of every token, when fully labelled.
    gold: Option<Vec<u8>>,
}

struct Problem {
    l: usize,
    n_state: usize,
    attr_base: Vec<u32>,
    attr_mask: Vec<u16>,
    sents: Vec<Sent>,
}

impl Problem {
    fn n_params(&self) -> usize {
        self.n_state + self.l * self.l + 2 * self.l
    }

    /// Index of the weight of (attribute, label), if the pair exists.
    #[inline]
    fn param(&self, a: u32, y: usize) -> Option<usize> {
        let m = self.attr_mask[a as usize];
        if m & (1 << y) == 0 {
            return None;
        }
        Some(self.attr_base[a as usize] as usize + (m & ((1u16 << y) - 1)).count_ones() as usize)
    }
}

/// Scratch space for forward-backward.
#[derive(Default)]
struct Scratch {
    s: Vec<f64>,
    psi: Vec<f64>,
    alpha: Vec<f64>,
    beta: Vec<f64>,
    scale: Vec<f64>,
    marg: Vec<f64>,
    pair: Vec<f64>,
}

/// Forward-backward over the lattice, optionally restricted to allowed labels.
/// Leaves token marginals in `marg`, summed pair marginals in `pair`; returns log Z.
fn forward_backward(
    sc: &mut Scratch,
    n: usize,
    l: usize,
    mask: Option<&[u16]>,
    texp: &[f64],
    sexp: &[f64],
    eexp: &[f64],
) -> f64 {
    sc.psi.clear();
    sc.psi.resize(n * l, 0.0);
    let mut log_z = 0.0;
    for t in 0..n {
        let row = &sc.s[t * l..(t + 1) * l];
        let ok = |y: usize| mask.is_none_or(|m| m[t] & (1 << y) != 0);
        let mx = (0..l)
            .filter(|&y| ok(y))
            .map(|y| row[y])
            .fold(f64::NEG_INFINITY, f64::max);
        log_z += mx;
        for (y, &v) in row.iter().enumerate() {
            if ok(y) {
                sc.psi[t * l + y] = (v - mx).exp();
            }
        }
    }
    sc.alpha.clear();
    sc.alpha.resize(n * l, 0.0);
    sc.scale.clear();
    sc.scale.resize(n, 0.0);
    for t in 0..n {
        let mut sum = 0.0;
        for y in 0..l {
            let p = sc.psi[t * l + y];
            let v = if p == 0.0 {
                0.0
            } else if t == 0 {
                sexp[y] * p
            } else {
                let prev = &sc.alpha[(t - 1) * l..t * l];
                let mut acc = 0.0;
                for (yp, &a) in prev.iter().enumerate() {
                    acc += a * texp[yp * l + y];
                }
                acc * p
            };
            sc.alpha[t * l + y] = v;
            sum += v;
        }
        let sum = sum.max(f64::MIN_POSITIVE);
        sc.scale[t] = sum;
        log_z += sum.ln();
        for v in &mut sc.alpha[t * l..(t + 1) * l] {
            *v /= sum;
        }
    }
    let zend: f64 = (0..l)
        .map(|y| sc.alpha[(n - 1) * l + y] * eexp[y])
        .sum::<f64>()
        .max(f64::MIN_POSITIVE);
    log_z += zend.ln();
    sc.beta.clear();
    sc.beta.resize(n * l, 0.0);
    sc.beta[(n - 1) * l..].copy_from_slice(&eexp[..l]);
    for t in (0..n - 1).rev() {
        for y in 0..l {
            let mut acc = 0.0;
            for yn in 0..l {
                acc += texp[y * l + yn] * sc.psi[(t + 1) * l + yn] * sc.beta[(t + 1) * l + yn];
            }
            sc.beta[t * l + y] = acc / sc.scale[t + 1];
        }
    }
    sc.marg.clear();
    sc.marg.resize(n * l, 0.0);
    for k in 0..n * l {
        sc.marg[k] = sc.alpha[k] * sc.beta[k] / zend;
    }
    sc.pair.clear();
    sc.pair.resize(l * l, 0.0);
    for t in 1..n {
        let f = 1.0 / (sc.scale[t] * zend);
        for yp in 0..l {
            let a = sc.alpha[(t - 1) * l + yp];
            if a == 0.0 {
                continue;
            }
            for y in 0..l {
                sc.pair[yp * l + y] +=
                    a * texp[yp * l + y] * sc.psi[t * l + y] * sc.beta[t * l + y] * f;
            }
        }
    }
    log_z
}

/// Adds `sign ×` the expected feature counts in `sc` to the gradient.
fn add_expectations(p: &Problem, sent: &Sent, sc: &Scratch, sign: f64, g: &mut [f64]) {
    let l = p.l;
    let n = sent.allowed.len();
    for t in 0..n {
        let marg = &sc.marg[t * l..(t + 1) * l];
        for &a in &sent.attrs[sent.off[t] as usize..sent.off[t + 1] as usize] {
            let mut m = p.attr_mask[a as usize];
            let mut k = p.attr_base[a as usize] as usize;
            while m != 0 {
                let y = m.trailing_zeros() as usize;
                g[k] += sign * marg[y];
                m &= m - 1;
                k += 1;
            }
        }
    }
    let tb = p.n_state;
    for (k, v) in sc.pair.iter().enumerate() {
        g[tb + k] += sign * v;
    }
    let sb = tb + l * l;
    let eb = sb + l;
    for y in 0..l {
        g[sb + y] += sign * sc.marg[y];
        g[eb + y] += sign * sc.marg[(n - 1) * l + y];
    }
}

/// Negative log-likelihood of some sentences and its gradient (added into `g`).
fn objective_chunk(p: &Problem, sents: &[Sent], w: &[f64], g: &mut [f64]) -> f64 {
    let l = p.l;
    let tb = p.n_state;
    let texp: Vec<f64> = w[tb..tb + l * l].iter().map(|v| v.exp()).collect();
    let sexp: Vec<f64> = w[tb + l * l..tb + l * l + l]
        .iter()
        .map(|v| v.exp())
        .collect();
    let eexp: Vec<f64> = w[tb + l * l + l..].iter().map(|v| v.exp()).collect();
    let mut sc = Scratch::default();
    let mut f = 0.0;
    for sent in sents {
        let n = sent.allowed.len();
        if n == 0 {
            continue;
        }
        sc.s.clear();
        sc.s.resize(n * l, 0.0);
        for t in 0..n {
            let row = &mut sc.s[t * l..(t + 1) * l];
            for &a in &sent.attrs[sent.off[t] as usize..sent.off[t + 1] as usize] {
                let mut m = p.attr_mask[a as usize];
                let mut k = p.attr_base[a as usize] as usize;
                while m != 0 {
                    let y = m.trailing_zeros() as usize;
                    row[y] += w[k];
                    m &= m - 1;
                    k += 1;
                }
            }
        }
        let log_z = forward_backward(&mut sc, n, l, None, &texp, &sexp, &eexp);
        add_expectations(p, sent, &sc, 1.0, g);
        f += log_z;
        if let Some(gold) = &sent.gold {
            let mut score =
                w[tb + l * l + gold[0] as usize] + w[tb + l * l + l + gold[n - 1] as usize];
            g[tb + l * l + gold[0] as usize] -= 1.0;
            g[tb + l * l + l + gold[n - 1] as usize] -= 1.0;
            for t in 0..n {
                let y = gold[t] as usize;
                score += sc.s[t * l + y];
                for &a in &sent.attrs[sent.off[t] as usize..sent.off[t + 1] as usize] {
                    if let Some(k) = p.param(a, y) {
                        g[k] -= 1.0;
                    }
                }
                if t > 0 {
                    let k = tb + gold[t - 1] as usize * l + y;
                    score += w[k];
                    g[k] -= 1.0;
                }
            }
            f -= score;
        } else {
            let log_zc = forward_backward(&mut sc, n, l, Some(&sent.allowed), &texp, &sexp, &eexp);
            add_expectations(p, sent, &sc, -1.0, g);
            f -= log_zc;
        }
    }
    f
}

/// The penalised objective over all sentences, split over threads in fixed chunks.
fn objective(
    p: &Problem,
    chunks: &[std::ops::Range<usize>],
    c2: f64,
    w: &[f64],
    g: &mut [f64],
) -> f64 {
    let results: Vec<(f64, Vec<f64>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .iter()
            .map(|r| {
                let r = r.clone();
                scope.spawn(move || {
                    let mut gl = vec![0.0; w.len()];
                    let f = objective_chunk(p, &p.sents[r], w, &mut gl);
                    (f, gl)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    g.iter_mut().for_each(|v| *v = 0.0);
    let mut f = 0.0;
    for (fc, gc) in &results {
        f += fc;
        for (a, b) in g.iter_mut().zip(gc) {
            *a += b;
        }
    }
    for (gi, wi) in g.iter_mut().zip(w) {
        f += c2 * wi * wi;
        *gi += 2.0 * c2 * wi;
    }
    f
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// The pseudo-gradient of `f + c1·‖w‖₁` (OWL-QN): the steepest-descent
/// direction's negation where |w| is not differentiable.
fn pseudo_gradient(w: &[f64], g: &[f64], c1: f64, pg: &mut [f64]) {
    for ((p, &wi), &gi) in pg.iter_mut().zip(w).zip(g) {
        *p = if c1 == 0.0 {
            gi
        } else if wi < 0.0 {
            gi - c1
        } else if wi > 0.0 || gi + c1 < 0.0 {
            gi + c1
        } else if gi - c1 > 0.0 {
            gi - c1
        } else {
            0.0
        };
    }
}

fn l1(w: &[f64]) -> f64 {
    w.iter().map(|v| v.abs()).sum()
}

/// Minimises `f(w) + c1·‖w‖₁` (`f` smooth) with limited-memory BFGS, in its
/// orthant-wise form (OWL-QN) when `c1` > 0, and a backtracking (Armijo) line search.
fn lbfgs(
    w: &mut [f64],
    mut f: impl FnMut(&[f64], &mut [f64]) -> f64,
    c1: f64,
    max_iterations: usize,
    delta: f64,
    log: &mut dyn FnMut(&str),
) {
    const M: usize = 6;
    let n = w.len();
    let mut g = vec![0.0; n];
    let mut fx = f(w, &mut g) + c1 * l1(w);
    let mut pg = vec![0.0; n];
    pseudo_gradient(w, &g, c1, &mut pg);
    let mut hist_s: Vec<Vec<f64>> = Vec::new();
    let mut hist_y: Vec<Vec<f64>> = Vec::new();
    let mut hist_rho: Vec<f64> = Vec::new();
    let mut past = vec![fx];
    let mut d = vec![0.0; n];
    let mut w_new = vec![0.0; n];
    let mut g_new = vec![0.0; n];
    for it in 0..max_iterations {
        // Direction: -H·pg by the two-loop recursion.
        for (di, gi) in d.iter_mut().zip(&pg) {
            *di = -gi;
        }
        let k = hist_s.len();
        let mut alphas = vec![0.0; k];
        for j in (0..k).rev() {
            let a = hist_rho[j] * dot(&hist_s[j], &d);
            alphas[j] = a;
            for (di, yi) in d.iter_mut().zip(&hist_y[j]) {
                *di -= a * yi;
            }
        }
        if k > 0 {
            let gamma = 1.0 / (hist_rho[k - 1] * dot(&hist_y[k - 1], &hist_y[k - 1]));
            d.iter_mut().for_each(|v| *v *= gamma);
        }
        for j in 0..k {
            let b = hist_rho[j] * dot(&hist_y[j], &d);
            for (di, si) in d.iter_mut().zip(&hist_s[j]) {
                *di += si * (alphas[j] - b);
            }
        }
        if c1 > 0.0 {
            // Keep only the components that descend along the pseudo-gradient.
            for (di, &p) in d.iter_mut().zip(&pg) {
                if *di * p >= 0.0 {
                    *di = 0.0;
                }
            }
        }
        let mut slope = dot(&pg, &d);
        if slope >= 0.0 {
            // Not a descent direction: restart from steepest descent.
            hist_s.clear();
            hist_y.clear();
            hist_rho.clear();
            for (di, gi) in d.iter_mut().zip(&pg) {
                *di = -gi;
            }
            slope = dot(&pg, &d);
            if slope >= 0.0 {
                log(&format!("  converged at iteration {it}: zero gradient"));
                break;
            }
        }
        let mut step = if hist_s.is_empty() {
            1.0 / dot(&pg, &pg).sqrt().max(1e-12)
        } else {
            1.0
        };
        let mut f_new;
        let mut tries = 0;
        loop {
            for (((wn, &wi), &di), &p) in w_new.iter_mut().zip(w.iter()).zip(&d).zip(&pg) {
                let v = wi + step * di;
                // Stay in the orthant of w (or of -pg where w is zero).
                let orthant = if wi != 0.0 { wi } else { -p };
                *wn = if c1 > 0.0 && v * orthant <= 0.0 {
                    0.0
                } else {
                    v
                };
            }
            f_new = f(&w_new, &mut g_new) + c1 * l1(&w_new);
            let decrease: f64 = w_new
                .iter()
                .zip(w.iter())
                .zip(&pg)
                .map(|((a, b), p)| (a - b) * p)
                .sum();
            if f_new <= fx + 1e-4 * decrease.min(step * slope) || tries >= 30 {
                break;
            }
            step *= 0.5;
            tries += 1;
        }
        if f_new > fx {
            log(&format!("  L-BFGS: no further progress at iteration {it}"));
            break;
        }
        let s: Vec<f64> = w_new.iter().zip(w.iter()).map(|(a, b)| a - b).collect();
        let y: Vec<f64> = g_new.iter().zip(&g).map(|(a, b)| a - b).collect();
        let ys = dot(&y, &s);
        if ys > 1e-12 {
            if hist_s.len() == M {
                hist_s.remove(0);
                hist_y.remove(0);
                hist_rho.remove(0);
            }
            hist_s.push(s);
            hist_y.push(y);
            hist_rho.push(1.0 / ys);
        }
        w.copy_from_slice(&w_new);
        std::mem::swap(&mut g, &mut g_new);
        pseudo_gradient(w, &g, c1, &mut pg);
        fx = f_new;
        past.push(fx);
        if it % 25 == 0 {
            let nz = w.iter().filter(|v| **v != 0.0).count();
            log(&format!(
                "  iteration {it}: objective {fx:.2}, {nz} non-zero"
            ));
        }
        if past.len() > 10 {
            let old = past[past.len() - 11];
            if (old - fx) / fx.abs().max(1e-12) < delta {
                log(&format!("  converged at iteration {it}: objective {fx:.2}"));
                break;
            }
        }
    }
}

/// Trains a CRF over `labels` on the examples.
#[allow(clippy::too_many_arguments)]
pub(crate) fn train(
    name: &str,
    note: &str,
    labels: &[String],
    helpers: &[String],
    domains: &[String],
    clusters: &HashMap<u64, u32>,
    examples: &[Example],
    opts: &LearnOptions,
    log: &mut dyn FnMut(&str),
) -> Crf {
    let l = labels.len();
    assert!((1..=MAX_LABELS).contains(&l), "1..=16 labels");
    let cl = (!clusters.is_empty()).then_some(clusters);
    // Attribute hashes per token, then counts.
    let mut raw: Vec<(Vec<u32>, Vec<u64>)> = Vec::with_capacity(examples.len());
    let mut counts: HashMap<u64, u32> = HashMap::new();
    for ex in examples {
        let info = sentence_info(&ex.tokens, ex.clusters.as_deref().or(cl));
        let runs = cap_runs(&info);
        let mut off = vec![0u32];
        let mut hs = Vec::new();
        for i in 0..info.len() {
            attributes(&info, &runs, &ex.stack, ex.domain, i, &mut |h| hs.push(h));
            off.push(hs.len() as u32);
        }
        for &h in &hs {
            *counts.entry(h).or_insert(0) += 1;
        }
        raw.push((off, hs));
    }
    let mut ids: HashMap<u64, u32> = HashMap::new();
    let mut id_hash: Vec<u64> = Vec::new();
    let mut attr_mask: Vec<u16> = Vec::new();
    let mut sents = Vec::with_capacity(examples.len());
    for (ex, (off, hs)) in examples.iter().zip(raw) {
        let mut attrs = Vec::with_capacity(hs.len());
        let mut new_off = vec![0u32];
        for t in 0..ex.tokens.len() {
            for &h in &hs[off[t] as usize..off[t + 1] as usize] {
                if counts[&h] < opts.min_count {
                    continue;
                }
                let id = *ids.entry(h).or_insert_with(|| {
                    id_hash.push(h);
                    attr_mask.push(0);
                    (id_hash.len() - 1) as u32
                });
                attr_mask[id as usize] |= ex.allowed[t];
                attrs.push(id);
            }
            new_off.push(attrs.len() as u32);
        }
        let full = ex.allowed.iter().all(|m| m.count_ones() == 1);
        let gold = full.then(|| {
            ex.allowed
                .iter()
                .map(|m| m.trailing_zeros() as u8)
                .collect()
        });
        sents.push(Sent {
            off: new_off,
            attrs,
            allowed: ex.allowed.clone(),
            gold,
        });
    }
    drop(counts);
    let mut attr_base = Vec::with_capacity(attr_mask.len());
    let mut n_state = 0u32;
    for m in &attr_mask {
        attr_base.push(n_state);
        n_state += m.count_ones();
    }
    let problem = Problem {
        l,
        n_state: n_state as usize,
        attr_base,
        attr_mask,
        sents,
    };
    log(&format!(
        "  {name}: {} sentences, {} attributes, {} weights",
        examples.len(),
        id_hash.len(),
        problem.n_params()
    ));
    // Fixed chunks balanced by tokens.
    let threads = opts.threads.max(1);
    let total: usize = problem.sents.iter().map(|s| s.allowed.len()).sum();
    let mut chunks = Vec::new();
    let mut begin = 0;
    let mut acc = 0;
    for (k, s) in problem.sents.iter().enumerate() {
        acc += s.allowed.len();
        if acc * threads >= total * (chunks.len() + 1) && chunks.len() + 1 < threads {
            chunks.push(begin..k + 1);
            begin = k + 1;
        }
    }
    chunks.push(begin..problem.sents.len());
    let mut w = vec![0.0; problem.n_params()];
    lbfgs(
        &mut w,
        |w, g| objective(&problem, &chunks, opts.c2, w, g),
        opts.c1,
        opts.max_iterations,
        opts.delta,
        log,
    );
    let mut weights = Vec::with_capacity(id_hash.len());
    for (a, &h) in id_hash.iter().enumerate() {
        let mut m = problem.attr_mask[a];
        let mut k = problem.attr_base[a] as usize;
        let mut ws = Vec::new();
        while m != 0 {
            let y = m.trailing_zeros() as usize;
            let v = w[k] as f32;
            if v != 0.0 && v.abs() >= opts.prune {
                ws.push((y, v));
            }
            m &= m - 1;
            k += 1;
        }
        if !ws.is_empty() {
            weights.push((h, ws));
        }
    }
    let tb = problem.n_state;
    Crf::from_parts(CrfParts {
        note: note.to_owned(),
        name: name.to_owned(),
        labels: labels.to_vec(),
        helpers: helpers.to_vec(),
        domains: domains.to_vec(),
        clusters: clusters.clone(),
        trans: w[tb..tb + l * l].iter().map(|&v| v as f32).collect(),
        start: w[tb + l * l..tb + l * l + l]
            .iter()
            .map(|&v| v as f32)
            .collect(),
        end: w[tb + l * l + l..].iter().map(|&v| v as f32).collect(),
        weights,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(words: &[&str], tags: &[usize]) -> Example {
        Example {
            tokens: words.iter().map(|s| s.to_string()).collect(),
            allowed: tags.iter().map(|&t| 1u16 << t).collect(),
            stack: Vec::new(),
            domain: 0,
            clusters: None,
        }
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let labels: Vec<String> = ["O", "B", "I"].iter().map(|s| s.to_string()).collect();
        let mut examples = vec![
            ex(&["a", "Bb", "Cc", "d"], &[0, 1, 2, 0]),
            ex(&["Bb", "e"], &[1, 0]),
        ];
        // One partially labelled sentence: the middle token may be O or B.
        examples.push(Example {
            allowed: vec![1, 0b011, 1],
            ..ex(&["a", "Cc", "d"], &[0, 0, 0])
        });
        let mut ids = HashMap::new();
        let mut sents = Vec::new();
        let mut attr_mask: Vec<u16> = Vec::new();
        for e in &examples {
            let info = sentence_info(&e.tokens, None);
            let runs = cap_runs(&info);
            let mut off = vec![0];
            let mut attrs = Vec::new();
            for i in 0..info.len() {
                attributes(&info, &runs, &[], 0, i, &mut |h| {
                    let n = ids.len() as u32;
                    let id = *ids.entry(h).or_insert(n);
                    if id as usize == attr_mask.len() {
                        attr_mask.push(0);
                    }
                    attr_mask[id as usize] |= e.allowed[i];
                    attrs.push(id);
                });
                off.push(attrs.len() as u32);
            }
            let full = e.allowed.iter().all(|m| m.count_ones() == 1);
            sents.push(Sent {
                off,
                attrs,
                allowed: e.allowed.clone(),
                gold: full.then(|| e.allowed.iter().map(|m| m.trailing_zeros() as u8).collect()),
            });
        }
        let mut attr_base = Vec::new();
        let mut n = 0;
        for m in &attr_mask {
            attr_base.push(n);
            n += m.count_ones();
        }
        let p = Problem {
            l: labels.len(),
            n_state: n as usize,
            attr_base,
            attr_mask,
            sents,
        };
        let np = p.n_params();
        let w: Vec<f64> = (0..np)
            .map(|k| ((k * 7919) % 13) as f64 / 13.0 - 0.5)
            .collect();
        let chunks = vec![0..1, 1..3];
        let mut g = vec![0.0; np];
        let f0 = objective(&p, &chunks, 0.05, &w, &mut g);
        assert!(f0.is_finite() && f0 > 0.0);
        for k in [0, 3, np / 2, np - 7, np - 1] {
            let eps = 1e-6;
            let mut wp = w.clone();
            wp[k] += eps;
            let mut wm = w.clone();
            wm[k] -= eps;
            let mut scratch = vec![0.0; np];
            let num = (objective(&p, &chunks, 0.05, &wp, &mut scratch)
                - objective(&p, &chunks, 0.05, &wm, &mut scratch))
                / (2.0 * eps);
            assert!(
                (num - g[k]).abs() < 1e-5,
                "param {k}: numeric {num} vs analytic {}",
                g[k]
            );
        }
        // Single-threaded gives the same objective.
        let mut g1 = vec![0.0; np];
        let whole = vec![std::ops::Range { start: 0, end: 3 }];
        let f1 = objective(&p, &whole, 0.05, &w, &mut g1);
        assert!((f0 - f1).abs() < 1e-9);
    }

    #[test]
    fn learns_a_tiny_tagging_task() {
        let labels: Vec<String> = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let examples = vec![
            ex(
                &["Presiden", "Budi", "Santoso", "tiba", "di", "Medan", "."],
                &[0, 1, 2, 0, 0, 3, 0],
            ),
            ex(
                &[
                    "Menteri", "Siti", "Aminah", "pergi", "ke", "Bandung", "Barat",
                ],
                &[0, 1, 2, 0, 0, 3, 4],
            ),
            ex(&["Ia", "tinggal", "di", "Surabaya", "."], &[0, 0, 0, 3, 0]),
            ex(
                &["Gubernur", "Andi", "Wijaya", "berkata", "."],
                &[0, 1, 2, 0, 0],
            ),
        ];
        let opts = LearnOptions {
            c2: 0.01,
            threads: 2,
            ..LearnOptions::default()
        };
        let crf = train(
            "tiny",
            "test",
            &labels,
            &[],
            &[],
            &HashMap::new(),
            &examples,
            &opts,
            &mut |_| {},
        );
        for e in &examples {
            let info = crf.token_info(&e.tokens);
            let got = crf.tag(&info, &[], 0, u16::MAX);
            let want: Vec<u8> = e.allowed.iter().map(|m| m.trailing_zeros() as u8).collect();
            assert_eq!(got, want, "{:?}", e.tokens);
        }
        // Same data, same model: training is deterministic.
        let again = train(
            "tiny",
            "test",
            &labels,
            &[],
            &[],
            &HashMap::new(),
            &examples,
            &opts,
            &mut |_| {},
        );
        assert_eq!(crf.to_bytes(), again.to_bytes());
        // And the file round-trips.
        let back = Crf::from_bytes(&crf.to_bytes()).unwrap();
        assert_eq!(back.to_bytes(), crf.to_bytes());
        // With an L1 penalty (OWL-QN) it still fits, with fewer weights.
        let l1 = LearnOptions { c1: 0.05, ..opts };
        let sparse = train(
            "tiny",
            "test",
            &labels,
            &[],
            &[],
            &HashMap::new(),
            &examples,
            &l1,
            &mut |_| {},
        );
        assert!(sparse.n_weights() < crf.n_weights());
        for e in &examples {
            let got = sparse.tag(&sparse.token_info(&e.tokens), &[], 0, u16::MAX);
            let want: Vec<u8> = e.allowed.iter().map(|m| m.trailing_zeros() as u8).collect();
            assert_eq!(got, want, "{:?}", e.tokens);
        }
    }
}

#[cfg(test)]
mod joint_tests {
    use std::sync::Arc;

    use super::*;
    use crate::ner::features::domain_hash;
    use crate::ner::train::SetView;

    /// Two "data sets" that disagree about one word: the per-set feature copies
    /// let one joint model follow each set's convention, within each set's tags.
    #[test]
    fn joint_model_follows_each_sets_convention() {
        let labels: Vec<String> = ["O", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-PER", "I-PER"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let mk = |words: &[&str], tags: &[usize], set: &str| Example {
            tokens: words.iter().map(|s| s.to_string()).collect(),
            allowed: tags.iter().map(|&t| 1u16 << t).collect(),
            stack: Vec::new(),
            domain: domain_hash(set),
            clusters: None,
        };
        let mut examples = Vec::new();
        for _ in 0..3 {
            examples.push(mk(&["di", "Garuda", "itu"], &[0, 1, 0], "nergrit"));
            examples.push(mk(&["di", "Garuda", "itu"], &[0, 3, 0], "idner2k"));
            examples.push(mk(&["Budi", "pergi"], &[5, 0], "nergrit"));
            examples.push(mk(&["Budi", "pergi"], &[5, 0], "idner2k"));
        }
        let opts = LearnOptions {
            c2: 0.01,
            ..LearnOptions::default()
        };
        let domains = vec!["nergrit".to_owned(), "idner2k".to_owned()];
        let crf = Arc::new(train(
            "joint",
            "test",
            &labels,
            &[],
            &domains,
            &HashMap::new(),
            &examples,
            &opts,
            &mut |_| {},
        ));
        let toks = ["di", "Garuda", "itu"];
        assert_eq!(
            SetView::new(Arc::clone(&crf), "nergrit").tag(&toks),
            ["O", "B-PLACE", "O"]
        );
        assert_eq!(
            SetView::new(Arc::clone(&crf), "idner2k").tag(&toks),
            ["O", "B-ORG", "O"]
        );
        // NERP's view has no organisations, so it can never say ORG.
        let nerp = SetView::new(crf, "nerp");
        assert!(nerp.tag(&toks).iter().all(|t| !t.contains("ORG")));
        assert_eq!(nerp.tag(&["Budi", "pergi"]), ["B-PPL", "O"]);
    }
}
