//! Huge articles are analysed in segments: where to cut the text, and how to put each
//! segment's records back onto the whole text.
//!
//! Everything kept per word (words, subwords, label probabilities, the linker's parse) grows
//! with the article; cutting a 20 MB article into pieces of a few hundred KB bounds it.

use crate::record::Analysis;
use std::ops::Range;

/// Articles longer than this many bytes are analysed in segments of at most this size.
pub const SEGMENT_BYTES: usize = 200 * 1024;

/// One piece of an article's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// Byte range in the article text; the ranges of one article tile it in order.
    pub bytes: Range<usize>,
    /// Code point offset of the segment's first character in the article text.
    pub chars: usize,
}

/// Cuts `text` into segments of at most `max_bytes` bytes (one segment if it fits, even when
/// empty). A cut goes after a paragraph break where the second half of a segment has one,
/// else after a line break, a sentence end, or any whitespace; only a run of `max_bytes / 2`
/// bytes without whitespace is cut between two characters (never inside one), preferring a
/// place where a letter or digit does not touch the cut.
pub fn cut(text: &str, max_bytes: usize) -> Vec<Segment> {
    let max_bytes = max_bytes.max(8);
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = 0;
    loop {
        let end = if text.len() - start <= max_bytes {
            text.len()
        } else {
            start + cut_point(&text[start..], max_bytes)
        };
        out.push(Segment {
            bytes: start..end,
            chars,
        });
        if end == text.len() {
            return out;
        }
        chars += text[start..end].chars().count();
        start = end;
    }
}

/// Where to end the first segment of `text` (longer than `max_bytes`): a byte offset in
/// `(0, max_bytes]` on a char boundary.
fn cut_point(text: &str, max_bytes: usize) -> usize {
    let mut limit = max_bytes;
    while !text.is_char_boundary(limit) {
        limit -= 1;
    }
    let window = &text[..limit];
    // Only look in the second half so that segments stay large.
    let mut floor = limit / 2;
    while !text.is_char_boundary(floor) {
        floor -= 1;
    }
    let tail = &window[floor..];
    let after = |i: Option<usize>, len: usize| i.map(|i| floor + i + len);
    let sentence_end = || {
        tail.rmatch_indices(['.', '!', '?'])
            .find(|(i, m)| tail[i + m.len()..].starts_with(char::is_whitespace))
            .map(|(i, m)| floor + i + m.len())
    };
    let whitespace = || {
        tail.char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map(|(i, c)| floor + i + c.len_utf8())
    };
    after(tail.rfind("\n\n"), 2)
        .or_else(|| after(tail.rfind('\n'), 1))
        .or_else(sentence_end)
        .or_else(whitespace)
        .or_else(|| quiet_boundary(text, floor, limit))
        .unwrap_or(limit)
}

/// The last char boundary in `(floor, limit]` with neither a letter, digit nor combining mark
/// on either side, so no word is split; `None` if the run has none.
fn quiet_boundary(text: &str, floor: usize, limit: usize) -> Option<usize> {
    let loud = |c: char| c.is_alphanumeric() || is_mark(c);
    text[floor..limit]
        .char_indices()
        .rev()
        .map(|(i, c)| (floor + i + c.len_utf8(), c))
        .filter(|&(_, c)| !loud(c))
        .find(|&(at, _)| !text[at..].chars().next().is_some_and(loud))
        .map(|(at, _)| at)
}

/// Combining marks and joiners that belong to the character before them.
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x20D0..=0x20FF | 0xFE00..=0xFE2F | 0x200C | 0x200D)
}

/// Appends the records of `part`, found in `segment` of the article, to `whole`: code point
/// offsets move by the segment's start, entity and quote indices by what `whole` already holds.
pub fn append(whole: &mut Analysis, part: Analysis, segment: &Segment) {
    let at = segment.chars;
    let entity_base = whole.entities.len();
    let quote_base = whole.quotes.len();
    whole
        .entities
        .extend(part.entities.into_iter().map(|mut e| {
            e.span.start += at;
            e.span.end += at;
            e
        }));
    whole.quotes.extend(part.quotes.into_iter().map(|mut q| {
        q.content.start += at;
        q.content.end += at;
        if let Some(s) = q.source.as_mut() {
            s.span.start += at;
            s.span.end += at;
            s.entity = s.entity.map(|i| i + entity_base);
        }
        if let Some(c) = q.cue.as_mut() {
            c.start += at;
            c.end += at;
        }
        q
    }));
    whole.events.extend(part.events.into_iter().map(|mut e| {
        for p in [e.actor.as_mut(), e.target.as_mut()].into_iter().flatten() {
            p.span.start += at;
            p.span.end += at;
            p.entity = p.entity.map(|i| i + entity_base);
        }
        e.action.span.start += at;
        e.action.span.end += at;
        e.sentence.start += at;
        e.sentence.end += at;
        e.quote = e.quote.map(|i| i + quote_base);
        e
    }));
    if let Some(sentences) = part.sentences {
        whole
            .sentences
            .get_or_insert_with(Vec::new)
            .extend(sentences.into_iter().map(|mut s| {
                s.start += at;
                s.end += at;
                for t in &mut s.tokens {
                    t.span.start += at;
                    t.span.end += at;
                }
                s
            }));
    }
    whole.errors.extend(part.errors);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Entity;

    fn pieces(text: &str, max: usize) -> Vec<&str> {
        cut(text, max)
            .iter()
            .map(|s| &text[s.bytes.clone()])
            .collect()
    }

    fn check_tiling(text: &str, max: usize) {
        let segments = cut(text, max);
        let mut next = 0;
        for s in &segments {
            assert_eq!(s.bytes.start, next);
            assert!(s.bytes.len() <= max.max(8) || segments.len() == 1);
            assert_eq!(s.chars, text[..s.bytes.start].chars().count());
            next = s.bytes.end;
        }
        assert_eq!(next, text.len());
    }

    #[test]
    fn short_text_is_one_segment() {
        assert_eq!(
            cut("", 100),
            vec![Segment {
                bytes: 0..0,
                chars: 0
            }]
        );
        assert_eq!(pieces("Iran said.", 100), vec!["Iran said."]);
    }

    #[test]
    fn cuts_prefer_paragraphs_then_sentences_then_spaces() {
        let text = "Aaaa bbb. Cc dd.\n\nEe ff. Gg hh ii jj.";
        assert_eq!(pieces(text, 24)[0], "Aaaa bbb. Cc dd.\n\n");
        let text = "Aaaa bbbbbbbbbb. Cc dd ee ff.";
        assert_eq!(pieces(text, 20)[0], "Aaaa bbbbbbbbbb.");
        let text = "Aaaa bbbb cccc dddd eeee ffff";
        assert_eq!(pieces(text, 12)[0], "Aaaa bbbb ");
        check_tiling(text, 12);
    }

    #[test]
    fn never_cuts_inside_a_char_or_a_word_when_it_can_help_it() {
        let text = "ü😀".repeat(1000);
        check_tiling(&text, 101);
        let text = "abc,,def".repeat(100);
        for p in pieces(&text, 50).iter().take(5) {
            assert!(p.ends_with(','), "{p}");
        }
        check_tiling(&"x".repeat(1000), 64);
    }

    #[test]
    fn append_shifts_offsets_and_indices() {
        let mut whole = Analysis::default();
        let entity = |s, e| Entity {
            span: crate::record::TextSpan::new(s, e, String::new()),
            label: "LOC".into(),
            score: 1.0,
        };
        whole.entities.push(entity(0, 4));
        let mut part = Analysis::default();
        part.entities.push(entity(1, 3));
        part.errors.push("x".into());
        append(
            &mut whole,
            part,
            &Segment {
                bytes: 10..20,
                chars: 7,
            },
        );
        assert_eq!(whole.entities[1].span.start, 8);
        assert_eq!(whole.entities[1].span.end, 10);
        assert_eq!(whole.errors, vec!["x"]);
    }
}
