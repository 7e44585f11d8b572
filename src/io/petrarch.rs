//! Reader for PETRARCH validation records (`PETR.UnitTest.records.xml`): each
//! sentence's text and its expected event codings; parse trees are ignored.

use thiserror::Error;

/// A part of the records file that cannot be read, with its 1-based line.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RecordsError {
    #[error("{origin}:{line}: unterminated {what}")]
    Unterminated {
        origin: String,
        line: usize,
        what: &'static str,
    },
    #[error("{origin}:{line}: malformed tag: {detail}")]
    MalformedTag {
        origin: String,
        line: usize,
        detail: String,
    },
    #[error("{origin}:{line}: <{tag}> lacks attribute '{attribute}'")]
    MissingAttribute {
        origin: String,
        line: usize,
        tag: &'static str,
        attribute: &'static str,
    },
    #[error("{origin}:{line}: <Sentence> has no <Text>")]
    MissingText { origin: String, line: usize },
    #[error("{origin}:{line}: <{tag}> inside another <Sentence>")]
    Nested {
        origin: String,
        line: usize,
        tag: &'static str,
    },
}

/// One expected event: `<EventCoding sourcecode= targetcode= eventcode=>`.
/// Codes are as written; a quoted code such as `"THE MINISTRY OF MAGIC"` is
/// the text PETRARCH should report for an actor missing from the dictionary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventCoding {
    pub source: String,
    pub target: String,
    pub event: String,
}

/// A name="value" pair of a tag, entities decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    pub name: String,
    pub value: String,
}

/// A `<Config option= value=>` setting, e.g. `require_dyad = false`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigOption {
    pub option: String,
    pub value: String,
}

/// One `<Sentence>` of the validation file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PetrarchRecord {
    pub id: String,
    /// The sentence text, entities decoded and white space collapsed.
    pub text: String,
    /// Expected codings; empty when none are expected or an error is.
    pub codings: Vec<EventCoding>,
    /// The `date` attribute as written (YYYYMMDD), empty if missing.
    pub date: String,
    /// The `category` attribute (DEMO, ACTOR, DATE, ...), empty if missing.
    pub category: String,
    /// `sentence="true"`: the text is one sentence rather than a story.
    pub is_sentence: bool,
    /// `<EventCoding noevents="True">`: the sentence must code no event.
    pub expects_no_events: bool,
    /// `<EventCoding error="...">` values, e.g. "dateline" or "sentencediscard".
    pub expected_errors: Vec<String>,
    /// All attributes of the `<Sentence>` tag, for flags not named above.
    pub attributes: Vec<Attribute>,
    /// `<Config>` options in force for this record (set earlier in the file).
    pub options: Vec<ConfigOption>,
    /// Line of the `<Sentence>` tag.
    pub line: usize,
}

/// Reads every `<Sentence>` record of a PETRARCH validation file.
pub fn parse_records(xml: &str, origin: &str) -> Result<Vec<PetrarchRecord>, RecordsError> {
    Reader::new(xml, origin).run()
}

/// Decodes the five XML entities and numeric character references; unknown
/// entities stay as written.
pub fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest.find(';').filter(|&end| end <= 12).and_then(|end| {
            let name = &rest[1..end];
            let ch = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .map(|hex| u32::from_str_radix(hex, 16))
                    .or_else(|| name.strip_prefix('#').map(str::parse::<u32>))
                    .and_then(Result::ok)
                    .and_then(char::from_u32),
            }?;
            Some((ch, end))
        });
        match decoded {
            Some((ch, end)) => {
                out.push(ch);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A tag as read: name, attributes, and whether it closes (`</x>`) or is empty (`<x/>`).
struct Tag {
    name: String,
    attributes: Vec<Attribute>,
    closing: bool,
    self_closing: bool,
}

impl Tag {
    fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|a| a.name.eq_ignore_ascii_case(name))
            .map(|a| a.value.as_str())
    }
}

/// A record being read, before its `</Sentence>`.
struct Open {
    record: PetrarchRecord,
    text: Option<String>,
}

struct Reader<'a> {
    xml: &'a str,
    origin: &'a str,
    position: usize,
    line_starts: Vec<usize>,
    records: Vec<PetrarchRecord>,
    options: Vec<ConfigOption>,
    open: Option<Open>,
    in_text: bool,
}

impl<'a> Reader<'a> {
    fn new(xml: &'a str, origin: &'a str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(xml.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self {
            xml,
            origin,
            position: 0,
            line_starts,
            records: Vec::new(),
            options: Vec::new(),
            open: None,
            in_text: false,
        }
    }

    fn line_of(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(index) => index + 1,
            Err(index) => index,
        }
    }

    fn unterminated(&self, offset: usize, what: &'static str) -> RecordsError {
        RecordsError::Unterminated {
            origin: self.origin.to_string(),
            line: self.line_of(offset),
            what,
        }
    }

    fn run(mut self) -> Result<Vec<PetrarchRecord>, RecordsError> {
        while let Some(found) = self
            .xml
            .get(self.position..)
            .and_then(|rest| rest.find('<'))
        {
            let start = self.position + found;
            self.text(self.position, start);
            let rest = self.xml.get(start..).unwrap_or("");
            if rest.starts_with("<!--") {
                self.position = self.skip_past(start, "-->", "comment")?;
            } else if let Some(cdata) = rest.strip_prefix("<![CDATA[") {
                let end = cdata
                    .find("]]>")
                    .ok_or_else(|| self.unterminated(start, "CDATA section"))?;
                if self.in_text {
                    if let Some(open) = self.open.as_mut() {
                        open.text
                            .get_or_insert_with(String::new)
                            .push_str(&cdata[..end]);
                    }
                }
                self.position = start + "<![CDATA[".len() + end + 3;
            } else if rest.starts_with("<?") {
                self.position = self.skip_past(start, "?>", "processing instruction")?;
            } else if rest.starts_with("<!") {
                self.position = self.skip_past(start, ">", "declaration")?;
            } else {
                let (tag, end) = self.tag(start)?;
                self.position = end;
                self.handle(tag, start)?;
            }
        }
        if let Some(open) = &self.open {
            return Err(RecordsError::Unterminated {
                origin: self.origin.to_string(),
                line: open.record.line,
                what: "<Sentence>",
            });
        }
        Ok(self.records)
    }

    fn skip_past(
        &self,
        start: usize,
        terminator: &str,
        what: &'static str,
    ) -> Result<usize, RecordsError> {
        self.xml
            .get(start..)
            .and_then(|rest| rest.find(terminator))
            .map(|end| start + end + terminator.len())
            .ok_or_else(|| self.unterminated(start, what))
    }

    /// Character data between tags: kept only inside `<Text>`.
    fn text(&mut self, from: usize, to: usize) {
        if !self.in_text {
            return;
        }
        if let (Some(open), Some(chunk)) = (self.open.as_mut(), self.xml.get(from..to)) {
            open.text.get_or_insert_with(String::new).push_str(chunk);
        }
    }

    /// Reads the tag starting at `start`, honouring quotes so `>` may appear in values.
    fn tag(&self, start: usize) -> Result<(Tag, usize), RecordsError> {
        let body_start = start + 1;
        let rest = self.xml.get(body_start..).unwrap_or("");
        let mut quote: Option<char> = None;
        let mut end = None;
        for (index, ch) in rest.char_indices() {
            match (quote, ch) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(ch),
                (None, '>') => {
                    end = Some(index);
                    break;
                }
                _ => {}
            }
        }
        let end = end.ok_or_else(|| self.unterminated(start, "tag"))?;
        let body = &rest[..end];
        let tag = self.parse_tag(body, start)?;
        Ok((tag, body_start + end + 1))
    }

    fn parse_tag(&self, body: &str, start: usize) -> Result<Tag, RecordsError> {
        let malformed = |detail: String| RecordsError::MalformedTag {
            origin: self.origin.to_string(),
            line: self.line_of(start),
            detail,
        };
        let (closing, body) = match body.strip_prefix('/') {
            Some(rest) => (true, rest),
            None => (false, body),
        };
        let (self_closing, body) = match body.trim_end().strip_suffix('/') {
            Some(rest) => (true, rest),
            None => (false, body),
        };
        let body = body.trim();
        let name_end = body.find(char::is_whitespace).unwrap_or(body.len());
        let name = &body[..name_end];
        if name.is_empty() {
            return Err(malformed("tag without a name".to_string()));
        }
        let mut attributes = Vec::new();
        let mut rest = body[name_end..].trim_start();
        while !rest.is_empty() {
            let eq = rest
                .find('=')
                .ok_or_else(|| malformed(format!("attribute without '=' in <{name}>")))?;
            let attribute = rest[..eq].trim();
            if attribute.is_empty() || attribute.contains(char::is_whitespace) {
                return Err(malformed(format!(
                    "bad attribute name '{attribute}' in <{name}>"
                )));
            }
            let after = rest[eq + 1..].trim_start();
            let (value, remaining) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let inner = &after[1..];
                    let close = inner
                        .find(q)
                        .ok_or_else(|| malformed(format!("unclosed quote in <{name}>")))?;
                    (&inner[..close], &inner[close + 1..])
                }
                // PETRARCH's reader tolerates unquoted values; so do we.
                Some(_) => {
                    let stop = after.find(char::is_whitespace).unwrap_or(after.len());
                    (&after[..stop], &after[stop..])
                }
                None => {
                    return Err(malformed(format!(
                        "attribute '{attribute}' without a value"
                    )))
                }
            };
            attributes.push(Attribute {
                name: attribute.to_string(),
                value: unescape(value),
            });
            rest = remaining.trim_start();
        }
        Ok(Tag {
            name: name.to_string(),
            attributes,
            closing,
            self_closing,
        })
    }

    fn handle(&mut self, tag: Tag, start: usize) -> Result<(), RecordsError> {
        let line = self.line_of(start);
        match (tag.name.as_str(), tag.closing) {
            ("Sentence", false) => self.open_sentence(&tag, line),
            ("Sentence", true) => self.close_sentence(line),
            ("Text", false) if self.open.is_some() => {
                self.in_text = !tag.self_closing;
                if let Some(open) = self.open.as_mut() {
                    open.text.get_or_insert_with(String::new);
                }
                Ok(())
            }
            ("Text", true) => {
                self.in_text = false;
                Ok(())
            }
            ("EventCoding", false) => self.coding(&tag, line),
            ("Config", false) => {
                if let (Some(option), Some(value)) =
                    (tag.attribute("option"), tag.attribute("value"))
                {
                    let setting = ConfigOption {
                        option: option.to_string(),
                        value: value.to_string(),
                    };
                    match self.options.iter_mut().find(|o| o.option == setting.option) {
                        Some(existing) => *existing = setting,
                        None => self.options.push(setting),
                    }
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    fn open_sentence(&mut self, tag: &Tag, line: usize) -> Result<(), RecordsError> {
        if self.open.is_some() {
            return Err(RecordsError::Nested {
                origin: self.origin.to_string(),
                line,
                tag: "Sentence",
            });
        }
        let id = tag
            .attribute("id")
            .ok_or_else(|| RecordsError::MissingAttribute {
                origin: self.origin.to_string(),
                line,
                tag: "Sentence",
                attribute: "id",
            })?;
        let record = PetrarchRecord {
            id: id.trim().to_string(),
            text: String::new(),
            codings: Vec::new(),
            date: tag.attribute("date").unwrap_or("").trim().to_string(),
            category: tag.attribute("category").unwrap_or("").trim().to_string(),
            is_sentence: tag
                .attribute("sentence")
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("true")),
            expects_no_events: false,
            expected_errors: Vec::new(),
            attributes: tag.attributes.clone(),
            options: self.options.clone(),
            line,
        };
        self.open = Some(Open { record, text: None });
        if tag.self_closing {
            self.close_sentence(line)?;
        }
        Ok(())
    }

    fn close_sentence(&mut self, line: usize) -> Result<(), RecordsError> {
        self.in_text = false;
        let Some(open) = self.open.take() else {
            return Err(RecordsError::MalformedTag {
                origin: self.origin.to_string(),
                line,
                detail: "</Sentence> without <Sentence>".to_string(),
            });
        };
        let mut record = open.record;
        let text = open.text.ok_or(RecordsError::MissingText {
            origin: self.origin.to_string(),
            line: record.line,
        })?;
        record.text = unescape(&text)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        self.records.push(record);
        Ok(())
    }

    fn coding(&mut self, tag: &Tag, line: usize) -> Result<(), RecordsError> {
        let origin = self.origin.to_string();
        let Some(open) = self.open.as_mut() else {
            return Ok(());
        };
        let record = &mut open.record;
        if tag
            .attribute("noevents")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
        {
            record.expects_no_events = true;
        }
        if let Some(error) = tag.attribute("error") {
            record.expected_errors.push(error.trim().to_string());
        }
        let fields = ["sourcecode", "targetcode", "eventcode"].map(|name| tag.attribute(name));
        match fields {
            [None, None, None] => Ok(()),
            [Some(source), Some(target), Some(event)] => {
                record.codings.push(EventCoding {
                    source: source.trim().to_string(),
                    target: target.trim().to_string(),
                    event: event.trim().to_string(),
                });
                Ok(())
            }
            _ => {
                let missing = ["sourcecode", "targetcode", "eventcode"]
                    .into_iter()
                    .zip(fields)
                    .find_map(|(name, value)| value.is_none().then_some(name))
                    .unwrap_or("eventcode");
                Err(RecordsError::MissingAttribute {
                    origin,
                    line,
                    tag: "EventCoding",
                    attribute: missing,
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"<Validation>
<!-- header with <tags> and & signs -->
<Environment><Verbfile>PETR.Validate.verbs.txt</Verbfile></Environment>
<Sentences>
<Sentence date="19950101" id="DEMO-00" category="DEMO" sentence="true">
<!-- comment -->
<EventCoding sourcecode="ARN" targetcode="GON" eventcode="064"></EventCoding>
<Text>
Arnor will restore full &amp;TIETYPE ties with
Gondor &#8212; &lt;soon&gt;.
</Text>
<Parse>
(ROOT (S (NP (NNP Arnor)) (CC &amp;)))
</Parse>
</Sentence>
<Config option="require_dyad" value="false"></Config>
<Sentence date = "20080801" id ="AFP-2" category="PARSING"  sentence="true" skip="yes">
<EventCoding sourcecode='"THE MINISTRY OF MAGIC"' targetcode="GON" eventcode="032"/>
<EventCoding noevents = "True"></EventCoding>
<EventCoding error="dateline"></EventCoding>
<Text>Second record</Text>
</Sentence>
</Sentences>
</Validation>
"#;

    #[test]
    fn reads_records_codings_flags_and_options() {
        let records = parse_records(SAMPLE, "sample.xml").unwrap();
        assert_eq!(records.len(), 2);
        let first = &records[0];
        assert_eq!(first.id, "DEMO-00");
        assert_eq!(
            first.text,
            "Arnor will restore full &TIETYPE ties with Gondor \u{2014} <soon>."
        );
        assert_eq!(
            first.codings,
            vec![EventCoding {
                source: "ARN".into(),
                target: "GON".into(),
                event: "064".into()
            }]
        );
        assert_eq!(
            (first.date.as_str(), first.category.as_str()),
            ("19950101", "DEMO")
        );
        assert!(first.is_sentence && first.options.is_empty());
        assert_eq!(first.line, 5);
        let second = &records[1];
        assert_eq!(second.id, "AFP-2");
        assert_eq!(second.codings[0].source, "\"THE MINISTRY OF MAGIC\"");
        assert!(second.expects_no_events);
        assert_eq!(second.expected_errors, vec!["dateline".to_string()]);
        assert_eq!(second.options[0].value, "false");
        assert!(second
            .attributes
            .iter()
            .any(|a| a.name == "skip" && a.value == "yes"));
    }

    #[test]
    fn errors_name_their_line() {
        let cases = [
            ("<Sentence id=\"a\">\n<Text>x</Text>\n", 1),
            ("<Sentence date=\"1\">\n<Text>x</Text></Sentence>", 1),
            ("<Sentence id=\"a\">\n\n</Sentence>", 1),
            ("<Sentence id=\"a\"><Text>x</Text>\n<EventCoding sourcecode=\"A\"></EventCoding></Sentence>", 2),
            ("\n\n<!-- never closed", 3),
            ("<Sentence id=\"a\" date=\"1></Sentence>", 1),
            ("<Sentence id=\"a\"><Sentence id=\"b\">", 1),
        ];
        for (xml, line) in cases {
            let error = parse_records(xml, "bad.xml").unwrap_err();
            let text = error.to_string();
            assert!(
                text.starts_with(&format!("bad.xml:{line}:")),
                "{xml:?}: {text}"
            );
        }
    }

    #[test]
    fn unescapes_entities() {
        assert_eq!(
            unescape("a &amp; b &#65;&#x42; &bogus; &"),
            "a & b AB &bogus; &"
        );
    }

    #[test]
    fn never_panics_on_odd_input() {
        for xml in [
            "<",
            "<>",
            "</>",
            "<a b>",
            "<a b=>",
            "<Text>",
            "&#xFFFFFFFF;",
            "<![CDATA[",
            "<Sentence id='é'><Text>é&",
        ] {
            let _ = parse_records(xml, "odd");
            let _ = unescape(xml);
        }
    }
}
