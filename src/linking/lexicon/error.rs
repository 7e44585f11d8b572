//! Errors from reading lexicon files (each naming origin and line), and how
//! parsers either stop at the first one or skip and collect them.

use thiserror::Error;

/// A line of a dictionary file that cannot be read.
///
/// `origin` is whatever the caller passed to `parse` (usually a file name) and
/// `line` counts from 1, so messages read like `actors.txt:12: ...`.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LexiconError {
    #[error("{origin}:{line}: '{open}' without a matching '{close}'")]
    Unbalanced {
        origin: String,
        line: usize,
        open: char,
        close: char,
    },
    #[error("{origin}:{line}: empty code '[]'")]
    EmptyCode { origin: String, line: usize },
    #[error("{origin}:{line}: missing [code]")]
    MissingCode { origin: String, line: usize },
    #[error("{origin}:{line}: invalid code '{code}'")]
    BadCode {
        origin: String,
        line: usize,
        code: String,
    },
    #[error("{origin}:{line}: invalid date restriction '{text}'")]
    BadDate {
        origin: String,
        line: usize,
        text: String,
    },
    #[error("{origin}:{line}: synonym line before any entry")]
    OrphanSynonym { origin: String, line: usize },
    #[error("{origin}:{line}: code line before any entry")]
    OrphanCode { origin: String, line: usize },
    #[error("{origin}:{line}: {what} outside a verb block")]
    OutsideBlock {
        origin: String,
        line: usize,
        what: &'static str,
    },
    #[error("{origin}:{line}: pattern needs exactly one '*' (found {found})")]
    VerbMarker {
        origin: String,
        line: usize,
        found: usize,
    },
    #[error("{origin}:{line}: synset {name} is not defined")]
    UndefinedSynset {
        origin: String,
        line: usize,
        name: String,
    },
    #[error("{origin}:{line}: synset {name} refers to itself")]
    SynsetCycle {
        origin: String,
        line: usize,
        name: String,
    },
    #[error("{origin}:{line}: substitution marker !{marker}! is not defined")]
    UndefinedMarker {
        origin: String,
        line: usize,
        marker: String,
    },
    #[error("{origin}:{line}: malformed line: {detail}")]
    Malformed {
        origin: String,
        line: usize,
        detail: String,
    },
}

impl LexiconError {
    /// The file or other origin the error was found in.
    pub fn origin(&self) -> &str {
        match self {
            Self::Unbalanced { origin, .. }
            | Self::EmptyCode { origin, .. }
            | Self::MissingCode { origin, .. }
            | Self::BadCode { origin, .. }
            | Self::BadDate { origin, .. }
            | Self::OrphanSynonym { origin, .. }
            | Self::OrphanCode { origin, .. }
            | Self::OutsideBlock { origin, .. }
            | Self::VerbMarker { origin, .. }
            | Self::UndefinedSynset { origin, .. }
            | Self::SynsetCycle { origin, .. }
            | Self::UndefinedMarker { origin, .. }
            | Self::Malformed { origin, .. } => origin,
        }
    }

    /// The 1-based line number of the offending line.
    pub fn line(&self) -> usize {
        match self {
            Self::Unbalanced { line, .. }
            | Self::EmptyCode { line, .. }
            | Self::MissingCode { line, .. }
            | Self::BadCode { line, .. }
            | Self::BadDate { line, .. }
            | Self::OrphanSynonym { line, .. }
            | Self::OrphanCode { line, .. }
            | Self::OutsideBlock { line, .. }
            | Self::VerbMarker { line, .. }
            | Self::UndefinedSynset { line, .. }
            | Self::SynsetCycle { line, .. }
            | Self::UndefinedMarker { line, .. }
            | Self::Malformed { line, .. } => *line,
        }
    }
}

/// A dictionary read leniently, with the lines that had to be skipped.
#[derive(Debug, Clone)]
pub struct ParseReport<T> {
    pub dictionary: T,
    pub skipped: Vec<LexiconError>,
}

/// A dictionary reader: reads `text` (called `origin` in messages), telling `problems` of each
/// bad line.
pub(crate) type Reader<D> = fn(&str, &str, &mut Problems) -> Result<D, LexiconError>;

/// Reads with `read`; the first bad line is an error.
pub(crate) fn read_strict<D>(read: Reader<D>, text: &str, origin: &str) -> Result<D, LexiconError> {
    read(text, origin, &mut Problems::strict())
}

/// Reads with `read`, skipping (and reporting) bad lines.
pub(crate) fn read_lenient<D: Default>(
    read: Reader<D>,
    text: &str,
    origin: &str,
) -> ParseReport<D> {
    let mut problems = Problems::lenient();
    let dictionary = read(text, origin, &mut problems).unwrap_or_default();
    ParseReport {
        dictionary,
        skipped: problems.into_skipped(),
    }
}

/// Decides whether a bad line aborts the parse or is skipped and remembered.
pub(crate) struct Problems {
    strict: bool,
    skipped: Vec<LexiconError>,
}

impl Problems {
    pub(crate) fn strict() -> Self {
        Self {
            strict: true,
            skipped: Vec::new(),
        }
    }

    pub(crate) fn lenient() -> Self {
        Self {
            strict: false,
            skipped: Vec::new(),
        }
    }

    /// Returns the error in strict mode; otherwise records it so the caller skips the line.
    pub(crate) fn report(&mut self, error: LexiconError) -> Result<(), LexiconError> {
        if self.strict {
            Err(error)
        } else {
            self.skipped.push(error);
            Ok(())
        }
    }

    pub(crate) fn into_skipped(self) -> Vec<LexiconError> {
        self.skipped
    }
}

/// Where a line came from, to build errors without repeating the origin.
#[derive(Clone, Copy)]
pub(crate) struct At<'a> {
    pub origin: &'a str,
    pub line: usize,
}

impl At<'_> {
    pub(crate) fn malformed(self, detail: impl Into<String>) -> LexiconError {
        LexiconError::Malformed {
            origin: self.origin.to_string(),
            line: self.line,
            detail: detail.into(),
        }
    }

    pub(crate) fn unbalanced(self, open: char, close: char) -> LexiconError {
        LexiconError::Unbalanced {
            origin: self.origin.to_string(),
            line: self.line,
            open,
            close,
        }
    }

    pub(crate) fn missing_code(self) -> LexiconError {
        LexiconError::MissingCode {
            origin: self.origin.to_string(),
            line: self.line,
        }
    }

    pub(crate) fn empty_code(self) -> LexiconError {
        LexiconError::EmptyCode {
            origin: self.origin.to_string(),
            line: self.line,
        }
    }

    pub(crate) fn bad_code(self, code: &str) -> LexiconError {
        LexiconError::BadCode {
            origin: self.origin.to_string(),
            line: self.line,
            code: code.to_string(),
        }
    }
}
