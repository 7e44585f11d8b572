//! Line reading shared by the PETRARCH formats: comments, blank lines, bracket groups.

use super::error::At;
use super::LexiconError;

/// A line with its comments removed and its 1-based number in the file.
pub(crate) struct Line {
    pub number: usize,
    pub text: String,
}

/// The lines that carry content, following PETRARCH's reader: lines starting
/// with `#` or `<!` are skipped, `<!-- ... -->` may span lines, and `#`
/// starts a comment anywhere in a line.
pub(crate) fn content_lines(text: &str) -> Vec<Line> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = Vec::new();
    let mut in_comment = false;
    for (index, raw) in text.lines().enumerate() {
        let number = index + 1;
        let mut rest = raw;
        if in_comment {
            // PETRARCH drops the whole closing line; so do we.
            if rest.contains("-->") {
                in_comment = false;
            }
            continue;
        }
        if rest.starts_with('#') {
            continue;
        }
        if rest.starts_with("<!") {
            if !rest.contains("-->") && rest.starts_with("<!--") {
                in_comment = true;
            }
            continue;
        }
        let mut kept = String::new();
        while let Some(open) = rest.find("<!--") {
            kept.push_str(&rest[..open]);
            match rest[open..].find("-->") {
                Some(close) => rest = &rest[open + close + 3..],
                None => {
                    in_comment = true;
                    rest = "";
                }
            }
        }
        kept.push_str(rest);
        if let Some(hash) = kept.find('#') {
            kept.truncate(hash);
        }
        if !kept.trim().is_empty() {
            lines.push(Line { number, text: kept });
        }
    }
    lines
}

/// Text outside `open ... close` groups, and the contents of the groups.
pub(crate) struct Groups<'a> {
    pub outside: String,
    pub inside: Vec<&'a str>,
}

/// Splits `text` into its bracket groups; nested, unclosed or stray brackets are errors.
pub(crate) fn split_groups<'a>(
    text: &'a str,
    open: char,
    close: char,
    at: At<'_>,
) -> Result<Groups<'a>, LexiconError> {
    let mut outside = String::new();
    let mut inside = Vec::new();
    let mut rest = text;
    loop {
        let next_open = rest.find(open);
        let next_close = rest.find(close);
        match (next_open, next_close) {
            (None, None) => {
                outside.push_str(rest);
                break;
            }
            (Some(o), Some(c)) if o < c => {
                let body = &rest[o + open.len_utf8()..c];
                if body.contains(open) {
                    return Err(at.unbalanced(open, close));
                }
                outside.push_str(&rest[..o]);
                outside.push(' ');
                inside.push(body);
                rest = &rest[c + close.len_utf8()..];
            }
            _ => return Err(at.unbalanced(open, close)),
        }
    }
    Ok(Groups { outside, inside })
}

#[cfg(test)]
mod tests {
    use super::*;

    const AT: At<'static> = At {
        origin: "t",
        line: 1,
    };

    #[test]
    fn skips_comments_and_keeps_line_numbers() {
        let text = "# header\nA [X] # note\n<!-- one\ntwo -->\n\nB <!-- inline --> C\n<!single>\n";
        let lines = content_lines(text);
        let seen: Vec<(usize, &str)> = lines.iter().map(|l| (l.number, l.text.trim())).collect();
        assert_eq!(seen, vec![(2, "A [X]"), (6, "B  C")]);
    }

    #[test]
    fn splits_groups_and_rejects_unbalanced() {
        let groups = split_groups("A {B} [C] [D 1-2]", '[', ']', AT).unwrap();
        assert_eq!(groups.inside, vec!["C", "D 1-2"]);
        assert_eq!(groups.outside.trim(), "A {B}");
        assert!(split_groups("A [C", '[', ']', AT).is_err());
        assert!(split_groups("A C]", '[', ']', AT).is_err());
        assert!(split_groups("A [[C]]", '[', ']', AT).is_err());
    }
}
