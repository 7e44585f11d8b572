//! PolNeAR-style brat folders: `text/<name>.txt` with `attributions/<name>_<annotator>.ann`
//! holding `Source`, `Cue` and `Content` spans tied by `Attribution` events.

use crate::record::Span;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The role of a span in an attribution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Source,
    Cue,
    Content,
}

impl Role {
    pub fn label(self) -> &'static str {
        match self {
            Role::Source => "SOURCE",
            Role::Cue => "CUE",
            Role::Content => "CONTENT",
        }
    }
}

/// One attribution: any role may be missing. Spans are code point offsets into the text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Attribution {
    pub source: Option<Span>,
    pub cue: Option<Span>,
    pub content: Option<Span>,
}

/// An article with its attributions from one annotator.
#[derive(Debug, Clone, PartialEq)]
pub struct AttributedArticle {
    pub name: String,
    pub text: String,
    pub attributions: Vec<Attribution>,
}

#[derive(Debug, thiserror::Error)]
pub enum BratError {
    #[error("cannot read {path}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}:{line}: {reason}")]
    Format {
        path: String,
        line: usize,
        reason: String,
    },
}

fn io(path: &Path, e: std::io::Error) -> BratError {
    BratError::Io {
        path: path.display().to_string(),
        source: e,
    }
}

/// Reads every article of a folder holding `text/` and `attributions/`. Where an article has
/// several annotators' files, the first in name order is used.
pub fn read_brat_folder(dir: &Path) -> Result<Vec<AttributedArticle>, BratError> {
    let text_dir = dir.join("text");
    let ann_dir = dir.join("attributions");
    let mut anns: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut names: Vec<PathBuf> = std::fs::read_dir(&ann_dir)
        .map_err(|e| io(&ann_dir, e))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "ann"))
        .collect();
    names.sort();
    let mut texts: Vec<PathBuf> = std::fs::read_dir(&text_dir)
        .map_err(|e| io(&text_dir, e))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    texts.sort();
    for ann in names {
        let stem = ann
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        // `<name>_<annotator>`: the article is the longest text name that prefixes it.
        let article = stem
            .rsplit_once('_')
            .map(|(a, _)| a.to_string())
            .unwrap_or(stem.clone());
        anns.entry(article).or_insert(ann);
    }
    let mut out = Vec::new();
    for text_path in texts {
        let name = text_path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let Some(ann) = anns.get(&name) else { continue };
        let text = std::fs::read_to_string(&text_path).map_err(|e| io(&text_path, e))?;
        let ann_text = std::fs::read_to_string(ann).map_err(|e| io(ann, e))?;
        let attributions = parse_ann(&ann_text, &ann.display().to_string())?;
        out.push(AttributedArticle {
            name,
            text,
            attributions,
        });
    }
    Ok(out)
}

/// Parses brat standoff: `T` lines give spans, `E` lines tie them into attributions.
pub fn parse_ann(text: &str, origin: &str) -> Result<Vec<Attribution>, BratError> {
    let mut spans: BTreeMap<&str, Span> = BTreeMap::new();
    let mut events = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let bad = |reason: &str| BratError::Format {
            path: origin.to_string(),
            line: i + 1,
            reason: reason.to_string(),
        };
        let mut cols = line.split('\t');
        let Some(id) = cols.next() else { continue };
        // A span's text may run over several lines: only `<letter><number>\t` starts a record.
        let is_record =
            id.len() > 1 && id[1..].bytes().all(|b| b.is_ascii_digit()) && line.contains('\t');
        if !is_record {
            continue;
        }
        if id.starts_with('T') {
            let info = cols
                .next()
                .ok_or_else(|| bad("T line without type and offsets"))?;
            let mut parts = info.split_whitespace();
            let _kind = parts.next();
            // Discontinuous spans (`0 5;9 12`) are taken from their first start to last end.
            let offsets: Vec<usize> = parts
                .flat_map(|p| p.split(';'))
                .map(|n| {
                    n.parse::<usize>()
                        .map_err(|_| bad("offset is not a number"))
                })
                .collect::<Result<_, _>>()?;
            let (Some(&start), Some(&end)) = (offsets.first(), offsets.last()) else {
                return Err(bad("T line without offsets"));
            };
            spans.insert(id, Span::new(start, end.max(start)));
        } else if id.starts_with('E') {
            events.push((i, cols.next().unwrap_or_default()));
        }
    }
    let mut out = Vec::new();
    for (i, args) in events {
        let mut a = Attribution::default();
        for arg in args.split_whitespace() {
            let Some((role, target)) = arg.split_once(':') else {
                continue;
            };
            let span = spans
                .get(target)
                .copied()
                .ok_or_else(|| BratError::Format {
                    path: origin.to_string(),
                    line: i + 1,
                    reason: format!("{role} refers to unknown span {target}"),
                })?;
            match role.trim_end_matches(|c: char| c.is_ascii_digit()) {
                "Source" => a.source = Some(span),
                "Cue" => a.cue = Some(span),
                "Content" => a.content = Some(span),
                _ => {}
            }
        }
        out.push(a);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_attributions() {
        let ann = "T1\tSource 0 2\twe\nT2\tCue 3 9\tmocked\nT3\tContent 10 20\tthe thing\nT4\tAttribution 3 9\tmocked\nE1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\nE2\tAttribution:T4 Cue:T2\n";
        let a = parse_ann(ann, "x.ann").unwrap();
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].source, Some(Span::new(0, 2)));
        assert_eq!(a[0].content, Some(Span::new(10, 20)));
        assert_eq!(a[1].content, None);
        assert!(parse_ann("E1\tAttribution:T9\n", "x.ann")
            .unwrap_err()
            .to_string()
            .contains("x.ann:1"));
    }
}
