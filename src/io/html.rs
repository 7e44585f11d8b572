//! One self-contained HTML page for people who would rather look than read: each article with
//! its entities, quote parts and event roles highlighted, and tables of its events and quotes.

use std::fmt::Write;

use crate::record::{Analysis, Event, Participant};

/// A highlighted stretch of the text and what it is.
struct Mark {
    start: usize,
    end: usize,
    class: String,
    title: String,
}

const STYLE: &str = r#"
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 72rem; color: #1d1d1f; padding: 0 1rem; }
h1 { font-size: 1.4rem; }
h2 { font-size: 1.1rem; margin-top: 2.5rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
.text { line-height: 2.3; padding: .8rem 1rem; background: #fafafa; border: 1px solid #eee; border-radius: 6px; }
.legend span { margin-right: .8rem; padding: 0 .3rem; }
.ent-PER { background: #ffe0b2; } .ent-ORG { background: #d1c4e9; } .ent-LOC { background: #c8e6c9; } .ent-MISC { background: #e0e0e0; }
.ent-other { background: #f8bbd0; }
.content { color: #0d47a1; font-style: italic; }
.source { border-top: 1.5px solid #6a1b9a; border-bottom: 1.5px solid #6a1b9a; }
.cue { border-bottom: 3px double #6a1b9a; }
.actor { text-decoration: underline 2px #c62828; text-underline-offset: 3px; }
.action { font-weight: 700; color: #b71c1c; }
.target { text-decoration: underline 2px #1565c0; text-underline-offset: 6px; text-decoration-style: dashed; }
.label { font-size: .65rem; vertical-align: super; color: #555; margin-left: 1px; font-style: normal; font-weight: 400; }
table { border-collapse: collapse; margin-top: .8rem; font-size: .85rem; width: 100%; }
th, td { border: 1px solid #ddd; padding: .25rem .45rem; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
td.code { font-family: ui-monospace, "SFMono-Regular", Menlo, monospace; }
caption { text-align: left; font-weight: 600; margin-top: 1rem; }
.errors { color: #b71c1c; }
.sentences { margin-top: 1rem; font-size: .9rem; }
.sentences .caption { font-weight: 600; }
details summary { cursor: pointer; padding: .1rem 0; }
div.tree { overflow-x: auto; padding: .3rem 0 .8rem; }
"#;

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn participant_marks(marks: &mut Vec<Mark>, p: &Option<Participant>, class: &str, event: usize) {
    if let Some(p) = p {
        let code = p.code.as_deref().unwrap_or("no code");
        marks.push(Mark {
            start: p.span.start,
            end: p.span.end,
            class: class.into(),
            title: format!("event {event} {class} ({code})"),
        });
    }
}

fn event_marks(marks: &mut Vec<Mark>, i: usize, e: &Event) {
    participant_marks(marks, &e.actor, "actor", i);
    let a = &e.action;
    let plover = a.plover.as_deref().unwrap_or("no PLOVER");
    marks.push(Mark {
        start: a.span.start,
        end: a.span.end,
        class: "action".into(),
        title: format!("event {i} action CAMEO {} ({plover})", a.cameo),
    });
    participant_marks(marks, &e.target, "target", i);
}

/// All highlighted stretches of one analysis.
fn marks_of(analysis: &Analysis) -> Vec<Mark> {
    let mut marks = Vec::new();
    for (i, q) in analysis.quotes.iter().enumerate() {
        marks.push(Mark {
            start: q.content.start,
            end: q.content.end,
            class: "content".into(),
            title: format!("quote {i} content"),
        });
        if let Some(s) = &q.source {
            marks.push(Mark {
                start: s.span.start,
                end: s.span.end,
                class: "source".into(),
                title: format!("quote {i} source"),
            });
        }
        if let Some(c) = &q.cue {
            marks.push(Mark {
                start: c.start,
                end: c.end,
                class: "cue".into(),
                title: format!("quote {i} cue"),
            });
        }
    }
    for (i, e) in analysis.events.iter().enumerate() {
        event_marks(&mut marks, i, e);
    }
    for (i, e) in analysis.entities.iter().enumerate() {
        let class = match e.label.as_str() {
            "PER" | "ORG" | "LOC" | "MISC" => format!("ent-{}", e.label),
            _ => "ent-other".to_string(),
        };
        marks.push(Mark {
            start: e.span.start,
            end: e.span.end,
            class,
            title: format!("entity {i} {}", e.label),
        });
    }
    marks
}

/// The text with every mark as a span. Overlapping and nested marks are rendered by cutting
/// the text at every mark boundary: each piece is wrapped in the spans of all marks covering it.
fn highlighted(text: &str, marks: &[Mark], entity_labels: &[(usize, String)]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    let marks: Vec<&Mark> = marks
        .iter()
        .filter(|m| m.start < m.end && m.start < n)
        .collect();
    let mut cuts: Vec<usize> = vec![0, n];
    for m in &marks {
        cuts.push(m.start);
        cuts.push(m.end.min(n));
    }
    for (end, _) in entity_labels {
        cuts.push((*end).min(n));
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = String::new();
    for pair in cuts.windows(2) {
        let (from, to) = (pair[0], pair[1]);
        if from >= to {
            continue;
        }
        // Outer marks first: those starting earlier, then the longer.
        let mut covering: Vec<&&Mark> = marks
            .iter()
            .filter(|m| m.start <= from && to <= m.end.min(n))
            .collect();
        covering.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
        for m in &covering {
            let _ = write!(
                out,
                "<span class=\"{}\" title=\"{}\">",
                escape(&m.class),
                escape(&m.title)
            );
        }
        let piece: String = chars[from..to].iter().collect();
        out.push_str(&escape(&piece).replace('\n', "<br>\n"));
        for _ in &covering {
            out.push_str("</span>");
        }
        for (end, label) in entity_labels {
            if *end == to {
                let _ = write!(out, "<span class=\"label\">{}</span>", escape(label));
            }
        }
    }
    out
}

fn cell(text: &str) -> String {
    format!("<td>{}</td>", escape(text))
}

fn code_cell(text: Option<&str>) -> String {
    format!("<td class=\"code\">{}</td>", escape(text.unwrap_or("")))
}

fn events_table(analysis: &Analysis) -> String {
    let mut out = String::from(
        "<table class=\"events\"><caption>Events</caption><tr><th>#</th><th>actor</th><th>code</th><th>action</th>\
         <th>CAMEO</th><th>root</th><th>PLOVER</th><th>target</th><th>code</th><th>negated</th><th>modality</th>\
         <th>quote</th></tr>\n",
    );
    for (i, e) in analysis.events.iter().enumerate() {
        let text =
            |p: &Option<Participant>| p.as_ref().map(|p| p.span.text.clone()).unwrap_or_default();
        let code = |p: &Option<Participant>| p.as_ref().and_then(|p| p.code.clone());
        let _ = writeln!(
            out,
            "<tr><td>{i}</td>{}{}{}{}{}{}{}{}{}{}{}</tr>",
            cell(&text(&e.actor)),
            code_cell(code(&e.actor).as_deref()),
            cell(&e.action.span.text),
            code_cell(Some(&e.action.cameo)),
            code_cell(Some(&e.action.root)),
            code_cell(e.action.plover.as_deref()),
            cell(&text(&e.target)),
            code_cell(code(&e.target).as_deref()),
            cell(if e.negated { "yes" } else { "" }),
            cell(e.modality.as_deref().unwrap_or("")),
            cell(&e.quote.map(|q| q.to_string()).unwrap_or_default()),
        );
    }
    out.push_str("</table>\n");
    out
}

fn quotes_table(analysis: &Analysis) -> String {
    let mut out = String::from(
        "<table class=\"quotes\"><caption>Quotes</caption><tr><th>#</th><th>content</th><th>source</th>\
         <th>speaker entity</th><th>cue</th><th>direct</th><th>score</th></tr>\n",
    );
    for (i, q) in analysis.quotes.iter().enumerate() {
        let entity = q
            .source
            .as_ref()
            .and_then(|s| s.entity)
            .and_then(|e| analysis.entities.get(e))
            .map(|e| format!("{} ({})", e.span.text, e.label))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "<tr><td>{i}</td>{}{}{}{}{}{}</tr>",
            cell(&q.content.text),
            cell(
                q.source
                    .as_ref()
                    .map(|s| s.span.text.as_str())
                    .unwrap_or("")
            ),
            cell(&entity),
            cell(q.cue.as_ref().map(|c| c.text.as_str()).unwrap_or("")),
            cell(if q.direct { "yes" } else { "" }),
            cell(&format!("{:.2}", q.score)),
        );
    }
    out.push_str("</table>\n");
    out
}

/// Each sentence as a collapsed line that opens onto its dependency tree.
fn sentence_trees(text: &str, analysis: &Analysis) -> String {
    let Some(sentences) = &analysis.sentences else {
        return String::new();
    };
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::from(
        "<div class=\"sentences\"><p class=\"caption\">Sentences (open one to see its parse)</p>\n",
    );
    for sentence in sentences {
        let words: String = chars[sentence.start.min(chars.len())..sentence.end.min(chars.len())]
            .iter()
            .collect();
        let _ = writeln!(
            out,
            "<details><summary>{}</summary><div class=\"tree\">{}</div></details>",
            escape(&words.split_whitespace().collect::<Vec<_>>().join(" ")),
            super::arcs::sentence_svg(sentence)
        );
    }
    out.push_str("</div>\n");
    out
}

/// One page for all `items` (article text, its analysis), with inline CSS and no scripts.
pub fn render_html(items: &[(&str, &Analysis)]) -> String {
    let mut out = String::from("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>newsevents</title>\n<style>");
    out.push_str(STYLE);
    out.push_str("</style>\n</head>\n<body>\n<h1>newsevents</h1>\n<p class=\"legend\">");
    for (class, name) in [
        ("ent-PER", "PER"),
        ("ent-ORG", "ORG"),
        ("ent-LOC", "LOC"),
        ("ent-MISC", "MISC"),
        ("content", "quote content"),
        ("source", "source"),
        ("cue", "cue"),
        ("actor", "actor"),
        ("action", "action"),
        ("target", "target"),
    ] {
        let _ = write!(out, "<span class=\"{class}\">{name}</span>");
    }
    out.push_str("</p>\n");
    for (text, analysis) in items {
        let title = if analysis.id.is_empty() {
            "article"
        } else {
            analysis.id.as_str()
        };
        let _ = writeln!(
            out,
            "<section class=\"article\">\n<h2>{}</h2>",
            escape(title)
        );
        let labels: Vec<(usize, String)> = analysis
            .entities
            .iter()
            .map(|e| (e.span.end, e.label.clone()))
            .collect();
        let _ = writeln!(
            out,
            "<p class=\"text\">{}</p>",
            highlighted(text, &marks_of(analysis), &labels)
        );
        if !analysis.errors.is_empty() {
            let _ = writeln!(
                out,
                "<p class=\"errors\">{}</p>",
                escape(&analysis.errors.join("; "))
            );
        }
        out.push_str(&events_table(analysis));
        out.push_str(&quotes_table(analysis));
        out.push_str(&sentence_trees(text, analysis));
        out.push_str("</section>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Entity;

    #[test]
    fn escapes_and_cuts_overlapping_marks_at_boundaries() {
        let text = "<b>Russia</b> & \"Iran\"";
        let analysis = Analysis {
            id: "a&b".into(),
            entities: vec![
                Entity {
                    span: crate::record::TextSpan::new(3, 9, "Russia"),
                    label: "LOC".into(),
                    score: 1.0,
                },
                Entity {
                    span: crate::record::TextSpan::new(17, 21, "Iran"),
                    label: "LOC".into(),
                    score: 1.0,
                },
            ],
            ..Default::default()
        };
        let page = render_html(&[(text, &analysis)]);
        assert!(
            page.contains("&lt;b&gt;<span class=\"ent-LOC\" title=\"entity 0 LOC\">Russia</span>")
        );
        assert!(page.contains("&amp; &quot;"));
        assert!(page.contains("<h2>a&amp;b</h2>"));
        assert!(!page.contains("<b>"));
    }
}
