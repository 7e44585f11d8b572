//! BIO tag sets: parsing `B-PER` / `I-PER` / `O` and which transitions are legal.

/// One tag of a BIO scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BioLabel {
    Outside,
    Begin(String),
    Inside(String),
}

impl BioLabel {
    /// Parses `B-X`, `I-X`, `O`; IOBES `S-`/`E-` read as `B-`/`I-`, and a bare `X` as `B-X`.
    pub fn parse(label: &str) -> BioLabel {
        if label == "O" || label.is_empty() {
            return BioLabel::Outside;
        }
        match label.split_once(['-', '_']) {
            Some(("B" | "S", t)) => BioLabel::Begin(t.to_string()),
            Some(("I" | "E", t)) => BioLabel::Inside(t.to_string()),
            _ => BioLabel::Begin(label.to_string()),
        }
    }

    pub fn kind(&self) -> Option<&str> {
        match self {
            BioLabel::Outside => None,
            BioLabel::Begin(t) | BioLabel::Inside(t) => Some(t),
        }
    }
}

/// The labels of one head, parsed once.
#[derive(Debug, Clone)]
pub struct LabelSet {
    pub names: Vec<String>,
    pub tags: Vec<BioLabel>,
}

impl LabelSet {
    pub fn new(names: &[String]) -> LabelSet {
        LabelSet {
            names: names.to_vec(),
            tags: names.iter().map(|n| BioLabel::parse(n)).collect(),
        }
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    pub fn id(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    /// The id of `O`, if the set has one.
    pub fn outside(&self) -> Option<usize> {
        self.tags.iter().position(|t| *t == BioLabel::Outside)
    }

    /// Whether tag `to` may follow tag `from` (`None` = start of text): `I-X` only after `B-X`
    /// or `I-X`.
    pub fn allowed(&self, from: Option<usize>, to: usize) -> bool {
        match &self.tags[to] {
            BioLabel::Inside(t) => match from.map(|f| &self.tags[f]) {
                Some(BioLabel::Begin(p) | BioLabel::Inside(p)) => p == t,
                _ => false,
            },
            _ => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_schemes() {
        assert_eq!(BioLabel::parse("B-PER"), BioLabel::Begin("PER".into()));
        assert_eq!(BioLabel::parse("I-ORG"), BioLabel::Inside("ORG".into()));
        assert_eq!(BioLabel::parse("O"), BioLabel::Outside);
        assert_eq!(BioLabel::parse("LOC"), BioLabel::Begin("LOC".into()));
    }

    #[test]
    fn inside_needs_its_begin() {
        let set = LabelSet::new(&["O".into(), "B-PER".into(), "I-PER".into(), "I-LOC".into()]);
        assert!(!set.allowed(None, 2));
        assert!(set.allowed(Some(1), 2));
        assert!(set.allowed(Some(2), 2));
        assert!(!set.allowed(Some(1), 3));
        assert!(!set.allowed(Some(0), 2));
    }
}
