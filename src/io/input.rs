//! Streams articles from `.txt` files, directories, `.jsonl` / `.jsonl.gz` files and stdin.
//! A bad record never stops the stream: it comes out as a `BadRecord` saying where and why.

use super::Article;
use flate2::read::MultiGzDecoder;
use std::collections::VecDeque;
use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// Where a record came from: a file and, for JSONL, a 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub line: Option<usize>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}", self.file, line),
            None => write!(f, "{}", self.file),
        }
    }
}

/// A record that could not be read, with its id when one could be recovered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRecord {
    pub location: Location,
    pub id: Option<String>,
    pub reason: String,
}

impl fmt::Display for BadRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.reason)?;
        if let Some(id) = &self.id {
            write!(f, " (id {id})")?;
        }
        Ok(())
    }
}

/// One item of the input stream.
#[derive(Debug, Clone, PartialEq)]
pub enum InputItem {
    /// A readable article and where it came from, so that later problems (an empty text) can
    /// still be reported as `FILE:LINE`.
    Article(Article, Location),
    Bad(BadRecord),
}

/// Streams every article of `inputs` (paths, or `-` for stdin) in order. Directories are walked
/// recursively in name order, taking `.txt`, `.jsonl` and `.jsonl.gz` files.
///
/// ```no_run
/// use newsevents::{read_inputs, InputItem};
/// for item in read_inputs(&["news/".into()]) {
///     match item {
///         InputItem::Article(article, place) => println!("{place}: {}", article.id),
///         InputItem::Bad(record) => eprintln!("{record}"),
///     }
/// }
/// ```
pub fn read_inputs(inputs: &[PathBuf]) -> impl Iterator<Item = InputItem> {
    let mut queue: VecDeque<PathBuf> = inputs.iter().cloned().collect();
    let mut current: Option<Box<dyn Iterator<Item = InputItem>>> = None;
    std::iter::from_fn(move || loop {
        if let Some(items) = current.as_mut() {
            if let Some(item) = items.next() {
                return Some(item);
            }
            current = None;
        }
        let path = queue.pop_front()?;
        if path.as_os_str() == "-" {
            current = Some(Box::new(read_stdin()));
        } else if path.is_dir() {
            match list_dir(&path) {
                Ok(files) => {
                    for f in files.into_iter().rev() {
                        queue.push_front(f);
                    }
                }
                Err(item) => return Some(*item),
            }
        } else if is_jsonl(&path) {
            current = Some(Box::new(read_jsonl_file(path)));
        } else {
            return Some(read_text_file(&path));
        }
    })
}

fn is_jsonl(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    name.ends_with(".jsonl") || name.ends_with(".jsonl.gz") || name.ends_with(".ndjson")
}

fn is_gz(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"))
}

fn location(file: &Path, line: Option<usize>) -> Location {
    Location {
        file: file.display().to_string(),
        line,
    }
}

fn bad(
    file: &Path,
    line: Option<usize>,
    id: Option<String>,
    reason: impl Into<String>,
) -> InputItem {
    InputItem::Bad(BadRecord {
        location: location(file, line),
        id,
        reason: reason.into(),
    })
}

fn list_dir(dir: &Path) -> Result<Vec<PathBuf>, Box<InputItem>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d)
            .map_err(|e| Box::new(bad(&d, None, None, format!("cannot read directory: {e}"))))?;
        for entry in entries.flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if is_jsonl(&p) || p.extension().is_some_and(|e| e.eq_ignore_ascii_case("txt")) {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

fn file_id(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn read_text_file(path: &Path) -> InputItem {
    let id = file_id(path);
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return bad(path, None, Some(id), format!("cannot read: {e}")),
    };
    match String::from_utf8(bytes) {
        Ok(text) => InputItem::Article(Article::new(id, text), location(path, None)),
        Err(e) => bad(path, None, Some(id), utf8_reason(e.utf8_error())),
    }
}

fn utf8_reason(e: std::str::Utf8Error) -> String {
    format!("invalid UTF-8 at byte {}", e.valid_up_to())
}

fn read_stdin() -> impl Iterator<Item = InputItem> {
    let mut reader = BufReader::new(std::io::stdin());
    // JSONL when the first non-blank byte opens an object; otherwise one plain-text article.
    let first = reader
        .fill_buf()
        .ok()
        .and_then(|b| b.iter().find(|c| !c.is_ascii_whitespace()).copied());
    let stdin = PathBuf::from("<stdin>");
    if first == Some(b'{') {
        Box::new(JsonlLines::new(stdin, Box::new(reader))) as Box<dyn Iterator<Item = InputItem>>
    } else {
        let mut bytes = Vec::new();
        let item = match reader.read_to_end(&mut bytes) {
            Err(e) => bad(
                &stdin,
                None,
                Some("stdin".into()),
                format!("cannot read: {e}"),
            ),
            Ok(_) => match String::from_utf8(bytes) {
                Ok(text) => InputItem::Article(Article::new("stdin", text), location(&stdin, None)),
                Err(e) => bad(
                    &stdin,
                    None,
                    Some("stdin".into()),
                    utf8_reason(e.utf8_error()),
                ),
            },
        };
        Box::new(std::iter::once(item))
    }
}

fn read_jsonl_file(path: PathBuf) -> Box<dyn Iterator<Item = InputItem>> {
    let file = match File::open(&path) {
        Ok(f) => f,
        Err(e) => {
            return Box::new(std::iter::once(bad(
                &path,
                None,
                None,
                format!("cannot open: {e}"),
            )))
        }
    };
    let gzip = is_gz(&path);
    Box::new(read_jsonl(path, file, gzip))
}

/// JSONL records from any byte source (`gzip`: the bytes are gzip-compressed), located as
/// lines of `name`. Files are read through this; so are the fuzzer's bytes.
pub fn read_jsonl(
    name: impl Into<PathBuf>,
    source: impl Read + 'static,
    gzip: bool,
) -> impl Iterator<Item = InputItem> {
    let reader: Box<dyn BufRead> = if gzip {
        Box::new(BufReader::new(MultiGzDecoder::new(BufReader::new(source))))
    } else {
        Box::new(BufReader::new(source))
    };
    JsonlLines::new(name.into(), reader)
}

/// JSONL records, one per line; blank lines are skipped.
struct JsonlLines {
    path: PathBuf,
    reader: Box<dyn BufRead>,
    line: usize,
    done: bool,
    buf: Vec<u8>,
}

impl JsonlLines {
    fn new(path: PathBuf, reader: Box<dyn BufRead>) -> Self {
        JsonlLines {
            path,
            reader,
            line: 0,
            done: false,
            buf: Vec::new(),
        }
    }
}

impl Iterator for JsonlLines {
    type Item = InputItem;

    fn next(&mut self) -> Option<InputItem> {
        while !self.done {
            self.buf.clear();
            self.line += 1;
            match self.reader.read_until(b'\n', &mut self.buf) {
                Ok(0) => self.done = true,
                Ok(_) => {
                    if self.buf.iter().all(|b| b.is_ascii_whitespace()) {
                        continue;
                    }
                    return Some(parse_record(&self.path, self.line, &self.buf));
                }
                Err(e) => {
                    // A truncated or corrupt .gz: report it once and stop this file.
                    self.done = true;
                    return Some(bad(
                        &self.path,
                        Some(self.line),
                        None,
                        format!("read error, rest of file skipped: {e}"),
                    ));
                }
            }
        }
        None
    }
}

/// One JSONL record (`bytes`, line `line` of `path`) as an article or a bad record: how every
/// reader of records (files, stdin, the Python package) turns a line into an article.
pub fn parse_record(path: &Path, line: usize, bytes: &[u8]) -> InputItem {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => return bad(path, Some(line), None, utf8_reason(e)),
    };
    let value: serde_json::Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => return bad(path, Some(line), None, format!("malformed JSON: {e}")),
    };
    let serde_json::Value::Object(mut map) = value else {
        return bad(path, Some(line), None, "record is not a JSON object");
    };
    // A record without a usable id is named by its place: `--resume` tells records apart by
    // id, and an empty id could not be told from another.
    let by_place = || format!("{}:{}", file_id(path), line);
    let id = match map.remove("id") {
        Some(serde_json::Value::String(s)) if s.trim().is_empty() => by_place(),
        Some(serde_json::Value::String(s)) => s,
        Some(serde_json::Value::Number(n)) => n.to_string(),
        None | Some(serde_json::Value::Null) => by_place(),
        Some(other) => {
            return bad(
                path,
                Some(line),
                None,
                format!("id must be a string or number, not {other}"),
            )
        }
    };
    match map.remove("text") {
        Some(serde_json::Value::String(text)) => InputItem::Article(
            Article {
                id,
                text,
                extra: map,
            },
            location(path, Some(line)),
        ),
        Some(_) => bad(path, Some(line), Some(id), "\"text\" is not a string"),
        None => bad(path, Some(line), Some(id), "record has no \"text\""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonl_record_variants() {
        let p = Path::new("a.jsonl");
        let InputItem::Article(a, _) =
            parse_record(p, 1, br#"{"id": 7, "text": "x", "src": "ap"}"#)
        else {
            panic!()
        };
        assert_eq!((a.id.as_str(), a.text.as_str()), ("7", "x"));
        assert_eq!(a.extra["src"], "ap");
        let InputItem::Bad(b) = parse_record(p, 3, b"{oops") else {
            panic!()
        };
        assert!(b.to_string().starts_with("a.jsonl:3: malformed JSON"));
        let InputItem::Bad(b) = parse_record(p, 4, br#"{"id": "k"}"#) else {
            panic!()
        };
        assert_eq!(b.id.as_deref(), Some("k"));
        let InputItem::Bad(b) = parse_record(p, 5, b"{\"text\": \"\xff\"}") else {
            panic!()
        };
        assert!(b.reason.contains("invalid UTF-8"));
        let InputItem::Article(a, at) = parse_record(p, 9, br#"{"text": "y"}"#) else {
            panic!()
        };
        assert_eq!(a.id, "a:9");
        assert_eq!(at.to_string(), "a.jsonl:9");
        for blank in ["\"\"", "\" \\t\""] {
            let line = format!(r#"{{"id": {blank}, "text": "y"}}"#);
            let InputItem::Article(a, _) = parse_record(p, 11, line.as_bytes()) else {
                panic!()
            };
            assert_eq!(a.id, "a:11", "a blank id is named by its place");
        }
    }
}
