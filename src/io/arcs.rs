//! A sentence's dependency tree drawn as inline SVG for the HTML page, as displaCy draws it:
//! the words on a line with their UPOS below, an arc from each head to its dependent, the
//! relation on the arc, higher arcs for longer spans.

use super::html::escape;
use crate::record::SentenceSyntax;
use std::fmt::Write;

/// Pixels per character of a word, and between words.
const CHAR_WIDTH: f64 = 8.5;
const GAP: f64 = 22.0;
/// Height of an arc per level (arcs over longer spans stand higher).
const LEVEL: f64 = 26.0;

/// The SVG of one sentence's tree.
pub fn sentence_svg(sentence: &SentenceSyntax) -> String {
    let tokens = &sentence.tokens;
    let mut centres = Vec::with_capacity(tokens.len());
    let mut x = GAP;
    for t in tokens {
        let width = (t.span.text.chars().count().max(t.upos.len()) as f64) * CHAR_WIDTH;
        centres.push(x + width / 2.0);
        x += width + GAP;
    }
    // An arc's level: one above the highest arc it spans, so that arcs nest without crossing.
    let arcs: Vec<(usize, usize)> = tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| t.head >= 0)
        .map(|(i, t)| (t.head as usize, i))
        .collect();
    let mut order: Vec<usize> = (0..arcs.len()).collect();
    order.sort_by_key(|&k| arcs[k].0.abs_diff(arcs[k].1));
    let mut levels = vec![0usize; arcs.len()];
    for (n, &k) in order.iter().enumerate() {
        let (lo, hi) = span(arcs[k]);
        let inner = order[..n]
            .iter()
            .filter(|&&j| {
                let (a, b) = span(arcs[j]);
                lo <= a && b <= hi
            })
            .map(|&j| levels[j])
            .max()
            .unwrap_or(0);
        levels[k] = inner + 1;
    }
    let top = levels.iter().max().copied().unwrap_or(0) as f64 * LEVEL + 20.0;
    let height = top + 50.0;
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg class=\"tree\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{x:.0}\" height=\"{height:.0}\" \
         role=\"img\"><defs><marker id=\"arrow\" viewBox=\"0 0 8 8\" refX=\"4\" refY=\"8\" markerWidth=\"7\" \
         markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L4,8 L8,0 z\" fill=\"#555\"/></marker></defs>"
    );
    for (k, &(head, dep)) in arcs.iter().enumerate() {
        let (x1, x2) = (centres[head], centres[dep]);
        let y = top - levels[k] as f64 * LEVEL;
        let _ = write!(
            out,
            "<path d=\"M{x1:.1},{top:.1} C{x1:.1},{y:.1} {x2:.1},{y:.1} {x2:.1},{top:.1}\" fill=\"none\" \
             stroke=\"#555\" marker-end=\"url(#arrow)\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" \
             font-size=\"11\" fill=\"#6a1b9a\">{}</text>",
            (x1 + x2) / 2.0,
            (y + top) / 2.0 - 2.0,
            escape(&tokens[dep].deprel)
        );
    }
    for (t, &c) in tokens.iter().zip(&centres) {
        let _ = write!(
            out,
            "<text x=\"{c:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"14\"><title>{}</title>{}</text>\
             <text x=\"{c:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"10\" fill=\"#777\">{}</text>",
            top + 20.0,
            escape(&t.lemma),
            escape(&t.span.text),
            top + 36.0,
            escape(&t.upos)
        );
    }
    out.push_str("</svg>");
    out
}

fn span((a, b): (usize, usize)) -> (usize, usize) {
    (a.min(b), a.max(b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Token;

    #[test]
    fn one_arc_per_dependent_and_every_word_drawn() {
        let token = |text: &str, head, deprel: &str| Token {
            span: crate::record::TextSpan::new(0, 0, text),
            upos: "X".into(),
            lemma: text.into(),
            head,
            deprel: deprel.into(),
        };
        let sentence = SentenceSyntax {
            start: 0,
            end: 0,
            tokens: vec![
                token("Rebels", 1, "nsubj"),
                token("fled", -1, "root"),
                token("<home>", 1, "obl"),
            ],
        };
        let svg = sentence_svg(&sentence);
        assert_eq!(svg.matches("<path d=\"M").count(), 3, "{svg}"); // 2 arcs + the arrow head
        assert!(svg.contains(">nsubj<") && svg.contains(">obl<"));
        assert!(svg.contains("&lt;home&gt;"));
        assert!(!svg.contains(">root<"));
    }
}
