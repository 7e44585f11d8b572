//! JSONL output that survives a crash: whole lines only, and `--resume` drops a torn last line
//! and skips every id already written.

use crate::record::Analysis;
use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("cannot write {path}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot serialise record {id}")]
    Serialize {
        id: String,
        source: serde_json::Error,
    },
}

/// Writes one JSON record per line to a file or stdout.
pub struct JsonlWriter {
    out: Box<dyn Write>,
    path: String,
}

impl JsonlWriter {
    pub fn stdout() -> Self {
        JsonlWriter {
            out: Box::new(std::io::BufWriter::new(std::io::stdout())),
            path: "<stdout>".into(),
        }
    }

    /// Creates (or truncates) `path`.
    pub fn create(path: &Path) -> Result<Self, OutputError> {
        let file = File::create(path).map_err(|e| io(path, e))?;
        Ok(JsonlWriter {
            out: Box::new(std::io::BufWriter::new(file)),
            path: path.display().to_string(),
        })
    }

    /// Opens `path` to continue an interrupted run: a torn last line is cut off, and the ids
    /// already written are returned so the caller skips them.
    pub fn resume(path: &Path) -> Result<(Self, HashSet<String>), OutputError> {
        if !path.exists() {
            return Ok((Self::create(path)?, HashSet::new()));
        }
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)
            .map_err(|e| io(path, e))?;
        let mut done = HashSet::new();
        let mut good_len = 0u64;
        {
            let mut reader = BufReader::new(&mut file);
            let mut line = Vec::new();
            loop {
                line.clear();
                let n = reader
                    .read_until(b'\n', &mut line)
                    .map_err(|e| io(path, e))?;
                if n == 0 || line.last() != Some(&b'\n') {
                    break;
                }
                if let Ok(v) = serde_json::from_slice::<serde_json::Value>(&line) {
                    if let Some(id) = v.get("id").and_then(|i| i.as_str()) {
                        done.insert(id.to_string());
                    }
                }
                good_len += n as u64;
            }
        }
        file.set_len(good_len).map_err(|e| io(path, e))?;
        file.seek(SeekFrom::End(0)).map_err(|e| io(path, e))?;
        let writer = JsonlWriter {
            out: Box::new(std::io::BufWriter::new(file)),
            path: path.display().to_string(),
        };
        Ok((writer, done))
    }

    /// Writes one record as one line, in a single write so a crash cannot split it.
    pub fn write(&mut self, record: &Analysis) -> Result<(), OutputError> {
        let mut line = serde_json::to_vec(record).map_err(|e| OutputError::Serialize {
            id: record.id.clone(),
            source: e,
        })?;
        line.push(b'\n');
        self.out
            .write_all(&line)
            .map_err(|e| io(&PathBuf::from(&self.path), e))
    }

    pub fn flush(&mut self) -> Result<(), OutputError> {
        self.out
            .flush()
            .map_err(|e| io(&PathBuf::from(&self.path), e))
    }
}

fn io(path: &Path, e: std::io::Error) -> OutputError {
    OutputError::Io {
        path: path.display().to_string(),
        source: e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resume_cuts_a_torn_line_and_reports_done_ids() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.jsonl");
        std::fs::write(&path, "{\"id\":\"a\"}\n{\"id\":\"b\"}\n{\"id\":\"c\",\"ent").unwrap();
        let (mut w, done) = JsonlWriter::resume(&path).unwrap();
        assert_eq!(done, HashSet::from(["a".to_string(), "b".to_string()]));
        w.write(&Analysis {
            id: "c".into(),
            ..Default::default()
        })
        .unwrap();
        w.flush().unwrap();
        drop(w);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().count(), 3);
        assert!(text.lines().last().unwrap().starts_with("{\"id\":\"c\""));
    }

    /// A writer that fails like a full disk.
    struct FullDisk;

    impl Write for FullDisk {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::Error::from_raw_os_error(28))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Err(std::io::Error::from_raw_os_error(28))
        }
    }

    #[test]
    fn a_write_error_chain_prints_each_cause_once() {
        let mut w = JsonlWriter {
            out: Box::new(FullDisk),
            path: "out.jsonl".into(),
        };
        let err = w.write(&Analysis::default()).unwrap_err();
        let cause = std::io::Error::from_raw_os_error(28).to_string();
        let chain = format!("{:#}", anyhow::Error::new(err));
        assert!(chain.starts_with("cannot write out.jsonl: "), "{chain}");
        assert_eq!(chain.matches(&cause).count(), 1, "{chain}");
    }
}
