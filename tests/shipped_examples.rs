//! The articles in `examples/` (the README's first command reads one) are non-empty UTF-8 text.

use std::path::Path;

#[test]
fn every_example_article_is_non_empty_utf8() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let text = String::from_utf8(bytes)
            .unwrap_or_else(|e| panic!("{}: not UTF-8: {e}", path.display()));
        assert!(!text.trim().is_empty(), "{}: empty", path.display());
        seen += 1;
    }
    assert!(seen > 0, "no example articles in {}", dir.display());
}
