//! The linker end to end: one test per phenomenon on short sentences with hand-given entity
//! spans, floors on the gold dev set, PETRARCH scoring on inline records, the HTML page.

use newsevents::document::Document;
use newsevents::eval::gold::{link_gold, read_gold, score_linker_on_gold};
use newsevents::eval::score_petrarch;
use newsevents::io::petrarch::parse_records;
use newsevents::linking::{LinkError, Linker, QuoteSpans};
use newsevents::pipeline::Reading;
use newsevents::record::{Entity, Event, Quote};
use newsevents::tagging::LabeledSpan;
use newsevents::text::{split_sentences, split_words, WindowPlan};
use std::path::Path;

fn doc(text: &str) -> Document {
    let words = split_words(text);
    let sentences = split_sentences(text, &words);
    Document {
        text: text.to_string(),
        words,
        sentences,
        subwords: Vec::new(),
        plan: WindowPlan::new(&[], 1, 1),
        sentence_plan: WindowPlan::new(&[], 1, 1),
    }
}

/// Entities at the first occurrence of each name (after the previous one's start).
fn entities(text: &str, names: &[(&str, &str)]) -> Vec<Entity> {
    let mut from = 0;
    names
        .iter()
        .map(|(name, label)| {
            let byte = from
                + text[from..]
                    .find(name)
                    .unwrap_or_else(|| panic!("{name} not in text"));
            from = byte;
            let start = text[..byte].chars().count();
            Entity {
                span: newsevents::TextSpan::new(start, start + name.chars().count(), *name),
                label: label.to_string(),
                score: 1.0,
            }
        })
        .collect()
}

/// The words of `part` at byte `byte`, as a head span with `label`.
fn span_at(d: &Document, byte: usize, part: &str, label: &str) -> LabeledSpan {
    let first = d.words.iter().position(|w| w.bytes.start >= byte).unwrap();
    let last = d
        .words
        .iter()
        .rposition(|w| w.bytes.end <= byte + part.len())
        .unwrap();
    LabeledSpan {
        words: first..last + 1,
        label: label.to_string(),
        score: 1.0,
    }
}

/// A quote's parts as the head would mark them: the content at its first occurrence, the
/// source and cue at their last occurrence before it (else their first after it).
fn quote_spans(d: &Document, quotes: &[(&str, &str, &str)]) -> QuoteSpans {
    let mut spans = QuoteSpans::default();
    for (content, source, cue) in quotes {
        let at = d
            .text
            .find(content)
            .unwrap_or_else(|| panic!("{content} not in text"));
        spans.contents.push(span_at(d, at, content, "CONTENT"));
        for (part, label) in [(source, "SOURCE"), (cue, "CUE")] {
            if part.is_empty() {
                continue;
            }
            let byte = d.text[..at]
                .rfind(part)
                .or_else(|| {
                    d.text[at + content.len()..]
                        .find(part)
                        .map(|b| b + at + content.len())
                })
                .unwrap_or_else(|| panic!("{part} not in text"));
            let span = span_at(d, byte, part, label);
            if label == "SOURCE" {
                spans.sources.push(span)
            } else {
                spans.cues.push(span)
            }
        }
    }
    spans
}

fn link(
    text: &str,
    names: &[(&str, &str)],
    quotes: &[(&str, &str, &str)],
) -> (Vec<Entity>, Vec<Quote>, Vec<Event>) {
    let d = doc(text);
    let ents = entities(text, names);
    let spans = quote_spans(&d, quotes);
    let (q, e) = Linker::default().link(&d, &ents, &spans, None);
    (ents, q, e)
}

/// The event whose action text is `action`.
fn event<'a>(events: &'a [Event], action: &str) -> &'a Event {
    events
        .iter()
        .find(|e| e.action.span.text == action)
        .unwrap_or_else(|| panic!("no event {action} in {events:#?}"))
}

fn actor(e: &Event) -> (&str, Option<&str>) {
    let a = e.actor.as_ref().expect("actor");
    (a.span.text.as_str(), a.code.as_deref())
}

fn target(e: &Event) -> (&str, Option<&str>) {
    let t = e.target.as_ref().expect("target");
    (t.span.text.as_str(), t.code.as_deref())
}

#[test]
fn active_voice_event_with_codes() {
    let (_, _, events) = link(
        "Russia fired cruise missiles at Syrian targets on Monday.",
        &[("Russia", "LOC"), ("Syrian", "MISC")],
        &[],
    );
    let fired = event(&events, "fired");
    assert_eq!(actor(fired), ("Russia", Some("RUS")));
    assert_eq!(target(fired), ("Syrian targets", Some("SYR")));
    assert_eq!(fired.action.root, "19");
    assert_eq!(fired.action.plover.as_deref(), Some("ASSAULT"));
    assert_eq!(fired.actor.as_ref().unwrap().entity, Some(0));
    assert!(!fired.negated && fired.modality.is_none());
}

#[test]
fn passive_voice_takes_the_by_phrase_as_actor() {
    let text = "Several villages north of Aleppo were seized by Islamic State fighters overnight.";
    let (_, _, events) = link(text, &[("Aleppo", "LOC"), ("Islamic State", "ORG")], &[]);
    let seized = event(&events, "seized");
    assert_eq!(actor(seized).0, "Islamic State fighters");
    assert_eq!(seized.actor.as_ref().unwrap().entity, Some(1));
    assert!(target(seized).0.starts_with("villages"));
}

#[test]
fn nominal_events_with_premodifier_by_and_on_phrases() {
    let text = "A wave of Russian airstrikes on Idlib and an offensive by the Syrian army against rebels followed.";
    let (_, _, events) = link(
        text,
        &[("Russian", "MISC"), ("Idlib", "LOC"), ("Syrian", "MISC")],
        &[],
    );
    let strikes = event(&events, "airstrikes");
    assert_eq!(actor(strikes), ("Russian", Some("RUS")));
    assert_eq!(target(strikes).0, "Idlib");
    assert_eq!(strikes.action.cameo, "195");
    let offensive = event(&events, "offensive");
    assert_eq!(actor(offensive), ("Syrian army", Some("SYRMIL")));
    assert_eq!(target(offensive).0, "rebels");
}

#[test]
fn light_verbs_hand_the_event_to_their_noun() {
    let text =
        "The United States and Britain carried out airstrikes against weapons depots in Iraq.";
    let (_, _, events) = link(
        text,
        &[
            ("United States", "LOC"),
            ("Britain", "LOC"),
            ("Iraq", "LOC"),
        ],
        &[],
    );
    let strikes: Vec<&Event> = events
        .iter()
        .filter(|e| e.action.span.text == "airstrikes")
        .collect();
    let actors: Vec<&str> = strikes.iter().map(|e| actor(e).0).collect();
    assert_eq!(actors, vec!["United States", "Britain"]);
    assert!(strikes.iter().all(|e| target(e).0 == "weapons depots"));
    assert!(!events.iter().any(|e| e.action.span.text == "carried"));
}

#[test]
fn coordinated_actors_give_one_event_each() {
    let text = "Russia and Iran supplied drones to the Syrian government last year.";
    let (_, _, events) = link(
        text,
        &[("Russia", "LOC"), ("Iran", "LOC"), ("Syrian", "MISC")],
        &[],
    );
    let supplied: Vec<&Event> = events
        .iter()
        .filter(|e| e.action.span.text == "supplied")
        .collect();
    assert_eq!(
        supplied.iter().map(|e| actor(e).0).collect::<Vec<_>>(),
        vec!["Russia", "Iran"]
    );
    assert!(supplied
        .iter()
        .all(|e| target(e) == ("Syrian government", Some("SYRGOV"))));
}

#[test]
fn reciprocal_targets_pair_the_actors() {
    let text = "Russia and Ukraine blamed each other for the attack.";
    let (_, _, events) = link(text, &[("Russia", "LOC"), ("Ukraine", "LOC")], &[]);
    let blamed: Vec<(&str, Option<&str>)> = events
        .iter()
        .filter(|e| e.action.span.text == "blamed")
        .map(|e| (actor(e).0, target(e).1))
        .collect();
    assert_eq!(
        blamed,
        vec![("Russia", Some("UKR")), ("Ukraine", Some("RUS"))]
    );
}

#[test]
fn statement_cues_are_events_of_the_speaker_linked_to_the_quote() {
    let text = "The panel accused Turkey of shelling Kurdish villages near Kobani.";
    let (_, quotes, events) = link(
        text,
        &[("Turkey", "LOC"), ("Kurdish", "MISC"), ("Kobani", "LOC")],
        &[("shelling Kurdish villages near Kobani", "panel", "accused")],
    );
    assert_eq!(quotes.len(), 1);
    let accused = event(&events, "accused");
    assert_eq!(accused.quote, Some(0));
    assert_eq!(actor(accused).0, "panel");
    assert_eq!(target(accused), ("Turkey", Some("TUR")));
    assert_eq!(accused.action.root, "11");
    // The accused act is an event of its own, with the accused as actor.
    assert_eq!(actor(event(&events, "shelling")).0, "Turkey");
}

#[test]
fn negation_is_marked_not_dropped() {
    let (_, _, events) = link(
        "Israel did not strike targets in Lebanon overnight.",
        &[("Israel", "LOC"), ("Lebanon", "LOC")],
        &[],
    );
    let strike = event(&events, "strike");
    assert!(strike.negated);
    assert_eq!(target(strike), ("targets", Some("LBN")));
}

#[test]
fn modality_from_modals_threats_and_demands() {
    let (_, _, events) = link(
        "Israel may strike Iranian nuclear facilities.",
        &[("Israel", "LOC"), ("Iranian", "MISC")],
        &[],
    );
    assert_eq!(
        event(&events, "strike").modality.as_deref(),
        Some("possible")
    );
    let text = "North Korea threatened on Friday to shoot down any US reconnaissance aircraft.";
    let (_, _, events) = link(text, &[("North Korea", "LOC"), ("US", "LOC")], &[]);
    let shoot = event(&events, "shoot down");
    assert_eq!(
        (actor(shoot).0, shoot.modality.as_deref()),
        ("North Korea", Some("threat"))
    );
    assert!(event(&events, "threatened").modality.is_none());
    let (_, _, events) = link(
        "He urged Washington to resume talks with Moscow.",
        &[("Washington", "LOC"), ("Moscow", "LOC")],
        &[],
    );
    let talks = event(&events, "talks");
    assert_eq!(
        (actor(talks).0, target(talks).0, talks.modality.as_deref()),
        ("Washington", "Moscow", Some("demand"))
    );
    let (_, _, events) = link("Iran has said it would retaliate.", &[("Iran", "LOC")], &[]);
    assert_eq!(
        event(&events, "retaliate").modality.as_deref(),
        Some("intent")
    );
}

#[test]
fn agent_phrases_are_participants_without_any_entity() {
    let (_, _, events) = link(
        "Anti-government rebels attacked the Syrian army near Hama.",
        &[],
        &[],
    );
    let attacked = event(&events, "attacked");
    // An agent without a country gets the article's: these rebels fight in Syria.
    assert_eq!(actor(attacked), ("Anti-government rebels", Some("SYRREB")));
    assert_eq!(target(attacked), ("Syrian army", Some("SYRMIL")));
}

#[test]
fn direct_quotes_are_found_by_their_marks_with_an_inverted_cue() {
    let text = "“We will not give up our positions,” said Taras Melnyk, a spokesman for the army.";
    let (_, quotes, _) = link(text, &[("Taras Melnyk", "PER")], &[]);
    assert_eq!(quotes.len(), 1);
    let q = &quotes[0];
    // The content keeps its quotation marks, as PolNeAR's annotators mark it.
    assert_eq!(q.content.text, "“We will not give up our positions,”");
    assert!(q.direct);
    assert_eq!(q.cue.as_ref().map(|c| c.text.as_str()), Some("said"));
    assert_eq!(
        q.source.as_ref().map(|s| (s.span.text.as_str(), s.entity)),
        Some(("Taras Melnyk", Some(0)))
    );
}

#[test]
fn straight_nested_and_continued_quotes_are_direct() {
    let text =
        "\"The soldiers told us, 'Leave before sunset or you will die,' and we left,\" she said.";
    let (_, quotes, _) = link(text, &[], &[]);
    let contents: Vec<(&str, bool)> = quotes
        .iter()
        .map(|q| (q.content.text.as_str(), q.direct))
        .collect();
    assert_eq!(
        contents,
        vec![
            (
                "\"The soldiers told us, 'Leave before sunset or you will die,' and we left,\"",
                true
            ),
            ("'Leave before sunset or you will die,'", true)
        ]
    );
    assert_eq!(
        quotes[1].cue.as_ref().map(|c| c.text.as_str()),
        Some("told us")
    );
    let text = "“Our air defences held,” said Taras Melnyk. “Russia hit Kharkiv again.\n“We need more systems.”";
    let names = [
        ("Taras Melnyk", "PER"),
        ("Russia", "LOC"),
        ("Kharkiv", "LOC"),
    ];
    let (_, quotes, _) = link(text, &names, &[]);
    // Interrupted by its own cue and continued in the next paragraph: one quote, one speaker.
    assert_eq!(quotes.len(), 1);
    assert!(quotes[0]
        .content
        .text
        .starts_with("“Our air defences held,” said Taras Melnyk. “Russia"));
    assert!(quotes[0].content.text.ends_with("We need more systems.”"));
    assert_eq!(quotes[0].source.as_ref().map(|s| s.entity), Some(Some(0)));
    // A new paragraph that reopens the quote keeps the speaker of the one before.
    let text = "“Our air defences held,” said Taras Melnyk.\n\n“Russia hit Kharkiv again.”";
    let (_, quotes, _) = link(text, &names, &[]);
    assert_eq!(quotes.len(), 2);
    assert_eq!(
        quotes[1].source.as_ref().map(|s| s.entity),
        Some(Some(0)),
        "the continuation keeps the speaker"
    );
}

#[test]
fn quotes_interrupted_by_their_cue_are_one_content_and_unsure_unattributed_ones_are_dropped() {
    let text = "Prices rose in May. “Here comes Big Daddy,” she said, clapping. “The Donald.”";
    let d = doc(text);
    // The head marks, unsure, a content nobody attributes ("Prices rose in May").
    let mut spans = quote_spans(&d, &[]);
    let at = text.find("Prices").unwrap();
    let mut unsure = span_at(&d, at, "Prices rose in May", "CONTENT");
    unsure.score = 0.6;
    spans.contents.push(unsure.clone());
    let (quotes, _) = Linker::default().link(&d, &[], &spans, None);
    let contents: Vec<&str> = quotes.iter().map(|q| q.content.text.as_str()).collect();
    assert_eq!(
        contents,
        ["“Here comes Big Daddy,” she said, clapping. “The Donald.”"]
    );
    assert_eq!(
        quotes[0].cue.as_ref().map(|c| c.text.as_str()),
        Some("said")
    );
    assert_eq!(
        quotes[0].source.as_ref().map(|s| s.span.text.as_str()),
        Some("she")
    );
    // The same content, marked with confidence, is kept without a speaker.
    let mut spans = quote_spans(&d, &[]);
    spans.contents.push(LabeledSpan {
        score: 0.95,
        ..unsure
    });
    let (quotes, _) = Linker::default().link(&d, &[], &spans, None);
    assert_eq!(quotes.len(), 2);
    assert_eq!(quotes[0].content.text, "Prices rose in May");
    assert!(quotes[0].source.is_none() && quotes[0].cue.is_none());
    // A question the cue answers, and a cue that ends its sentence, still interrupt one
    // quotation (as PolNeAR marks it).
    let text = "“Who would vote for that?” Graham said. “Nobody I know.”";
    let (_, quotes, _) = link(text, &[("Graham", "PER")], &[]);
    let contents: Vec<&str> = quotes.iter().map(|q| q.content.text.as_str()).collect();
    assert_eq!(contents, [text]);
    assert!(quotes[0].direct);
    // A quote that ends its sentence before the cue is a quote of its own.
    let text = "“We won.” She added, “They lost.”";
    let (_, quotes, _) = link(text, &[], &[]);
    assert_eq!(quotes.len(), 2);
}

#[test]
fn a_speaker_in_the_next_sentence_is_attributed() {
    let text = "“We are playing with fire. The fire is getting closer.” Henrik Lindqvist, the head of the agency, warned the council.";
    let (_, quotes, _) = link(
        text,
        &[("Henrik Lindqvist", "PER")],
        &[(
            "We are playing with fire. The fire is getting closer.",
            "Henrik Lindqvist",
            "warned",
        )],
    );
    assert_eq!(quotes[0].source.as_ref().map(|s| s.entity), Some(Some(0)));
    assert_eq!(
        quotes[0].cue.as_ref().map(|c| c.text.as_str()),
        Some("warned")
    );
    // Without head spans the marks and the speech verb find the same attribution.
    let (_, quotes, _) = link(text, &[("Henrik Lindqvist", "PER")], &[]);
    assert_eq!(
        quotes[0].source.as_ref().map(|s| s.span.text.as_str()),
        Some("Henrik Lindqvist")
    );
}

#[test]
fn pronoun_speakers_resolve_to_the_salient_person() {
    let text =
        "Karim Haddad met officials of the Arab League in Cairo. He said the talks had failed.";
    let (_, quotes, _) = link(
        text,
        &[
            ("Karim Haddad", "PER"),
            ("Arab League", "ORG"),
            ("Cairo", "LOC"),
        ],
        &[("the talks had failed", "He", "said")],
    );
    assert_eq!(
        quotes[0]
            .source
            .as_ref()
            .map(|s| (s.span.text.as_str(), s.entity)),
        Some(("He", Some(0)))
    );
}

#[test]
fn descriptions_resolve_to_the_entity_the_article_names() {
    let text = "The Defence Ministry said its forces had captured the village. The ministry also said 12 drones were downed. \
                Kremlin spokesman Ilya Sorokin spoke on Monday. The spokesman said talks were over.";
    let (_, quotes, _) = link(
        text,
        &[
            ("Defence Ministry", "ORG"),
            ("Kremlin", "ORG"),
            ("Ilya Sorokin", "PER"),
        ],
        &[
            (
                "its forces had captured the village",
                "Defence Ministry",
                "said",
            ),
            ("12 drones were downed", "ministry", "also said"),
            ("talks were over", "spokesman", "said"),
        ],
    );
    let entities: Vec<Option<usize>> = quotes
        .iter()
        .map(|q| q.source.as_ref().and_then(|s| s.entity))
        .collect();
    assert_eq!(entities, vec![Some(0), Some(0), Some(2)]);
}

#[test]
fn never_panics_on_odd_documents() {
    let linker = Linker::default();
    let empty = doc("");
    assert_eq!(
        linker.link(&empty, &[], &QuoteSpans::default(), None),
        (Vec::new(), Vec::new())
    );
    let mut no_sentences = doc("Russia fired missiles at “Syrian targets");
    no_sentences.sentences.clear();
    let far = LabeledSpan {
        words: 3..400,
        label: "CONTENT".into(),
        score: 0.5,
    };
    let (from, to) = (5, 2);
    let reversed = LabeledSpan {
        words: from..to,
        label: "SOURCE".into(),
        score: 0.5,
    };
    let spans = QuoteSpans {
        contents: vec![far],
        sources: vec![reversed.clone()],
        cues: vec![reversed],
    };
    let outside = Entity {
        span: newsevents::TextSpan::new(500, 900, "x"),
        label: "PER".into(),
        score: 1.0,
    };
    let _ = linker.link(&no_sentences, &[outside], &spans, None);
    for text in [
        "\"",
        "“",
        "’s ’ ' \" “ ”",
        ",,, . . .",
        "and and and",
        "He said.",
        "Said he, “",
        "a\n\n\n“b",
        "🕯️ 😀 é",
    ] {
        let d = doc(text);
        let _ = linker.link(&d, &[], &QuoteSpans::default(), None);
    }
}

#[test]
fn user_dictionaries_take_precedence_and_errors_name_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let actors = dir.path().join("user.actors.txt");
    std::fs::write(&actors, "GONDOR [GON]\nRUSSIA [XRU]\n").unwrap();
    let agents = dir.path().join("user.agents.txt");
    std::fs::write(&agents, "ORC [~ORC]\n").unwrap();
    let linker = Linker::with_dictionaries(std::slice::from_ref(&actors), &[agents]).unwrap();
    let d = doc("Russia fired missiles at Gondor orcs.");
    let (_, events) = linker.link(&d, &[], &QuoteSpans::default(), None);
    let fired = event(&events, "fired");
    assert_eq!(
        (actor(fired).1, target(fired).1),
        (Some("XRU"), Some("GONORC"))
    );
    let bad = dir.path().join("bad.actors.txt");
    std::fs::write(&bad, "GONDOR [GON]\nMORDOR [MOR\n").unwrap();
    match Linker::with_dictionaries(&[bad], &[]) {
        Err(LinkError::Dictionary { line, path, .. }) => assert_eq!(
            (line, path.file_name().unwrap().to_str()),
            (2, Some("bad.actors.txt"))
        ),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        Linker::with_dictionaries(&[dir.path().join("missing.txt")], &[]),
        Err(LinkError::Read { .. })
    ));
}

fn dev_records() -> Vec<newsevents::eval::GoldRecord> {
    read_gold(&Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/gold/dev.jsonl")).unwrap()
}

#[test]
fn gold_dev_spans_stay_above_floors() {
    let report = score_linker_on_gold(&Linker::default(), &dev_records());
    assert!(report.quotes.found.share >= 0.98, "{:?}", report.quotes);
    assert!(
        report.quotes.right_speaker.share >= 0.95,
        "{:?}",
        report.quotes
    );
    assert!(
        report.quotes.right_entity.share >= 0.95,
        "{:?}",
        report.quotes
    );
    assert!(report.events.right.share >= 0.82, "{:?}", report.events);
    assert!(report.events.precision.share >= 0.70, "{:?}", report.events);
    assert!(
        report.events.right_factuality.share >= 0.95,
        "{:?}",
        report.events
    );
}

const RECORDS: &str = r#"<Sentences>
<Sentence date="20150101" id="T-01" category="DEMO" sentence="true">
<EventCoding sourcecode="ARN" targetcode="GON" eventcode="190"></EventCoding>
<Text>Arnor fired rockets at Gondor on Friday.</Text>
</Sentence>
<Sentence date="20150101" id="T-02" category="DEMO" sentence="true">
<EventCoding sourcecode="GONMIL" targetcode="MOR" eventcode="194"></EventCoding>
<Text>Soldiers from Gondor shelled Mordor overnight.</Text>
</Sentence>
<Sentence date="20150101" id="T-03" category="DEMO" sentence="true">
<EventCoding noevents="True"></EventCoding>
<Text>The weather was mild in the Shire.</Text>
</Sentence>
</Sentences>"#;

#[test]
fn petrarch_scoring_on_inline_records_and_dictionaries() {
    let dir = tempfile::tempdir().unwrap();
    let actors = dir.path().join("t.actors.txt");
    std::fs::write(&actors, "ARNOR [ARN]\nGONDOR [GON]\nMORDOR [MOR]\n").unwrap();
    let agents = dir.path().join("t.agents.txt");
    std::fs::write(&agents, "SOLDIER [~MIL]\n").unwrap();
    let linker = Linker::with_dictionaries(&[actors], &[agents]).unwrap();
    let records = parse_records(RECORDS, "inline.xml").unwrap();
    let scores = score_petrarch(&linker, &|_| Reading::default(), &records);
    assert_eq!(
        (
            scores.records,
            scores.total.gold,
            scores.total.predicted,
            scores.total.correct
        ),
        (3, 2, 2, 2),
        "{scores:?}"
    );
    assert_eq!(scores.total.precision, 1.0);
    let json = serde_json::to_value(&scores).unwrap();
    assert_eq!(json["recall"], 1.0);
    // Entities from a model may be passed in; with none found the scores are the same.
    let again = score_petrarch(
        &linker,
        &|text: &str| Reading {
            entities: entities(text, &[]),
            ..Reading::default()
        },
        &records,
    );
    assert_eq!(again, scores);
}

#[test]
fn html_page_escapes_text_and_marks_every_span() {
    let record = dev_records()
        .into_iter()
        .find(|r| !r.quotes.is_empty() && !r.events.is_empty())
        .unwrap();
    let analysis = link_gold(&Linker::default(), &record);
    let page = newsevents::io::html::render_html(&[(&record.text, &analysis)]);
    assert!(
        page.starts_with("<!DOCTYPE html>")
            && page.contains("<style>")
            && !page.contains("<script")
    );
    for (i, e) in analysis.entities.iter().enumerate() {
        assert!(
            page.contains(&format!("title=\"entity {i} {}\"", e.label)),
            "entity {i}"
        );
    }
    for i in 0..analysis.quotes.len() {
        assert!(
            page.contains(&format!("title=\"quote {i} content\"")),
            "quote {i}"
        );
    }
    for (i, e) in analysis.events.iter().enumerate() {
        assert!(
            page.contains(&format!(
                "title=\"event {i} action CAMEO {}",
                e.action.cameo
            )),
            "event {i}"
        );
    }
    let hostile = newsevents::Analysis {
        id: "<x>".into(),
        ..Default::default()
    };
    let page = newsevents::io::html::render_html(&[("<script>alert('&')</script>", &hostile)]);
    assert!(
        page.contains("&lt;script&gt;alert(&#39;&amp;&#39;)&lt;/script&gt;")
            && !page.contains("<script>")
    );
    assert!(page.contains("<h2>&lt;x&gt;</h2>"));
}

/// Long chains of clauses, lists and marks finish (the clause rules recurse with a bound).
#[test]
fn long_chains_of_clauses_finish() {
    let chains = [
        "Officials said that ".repeat(150) + "Russia fired missiles.",
        "Russia fired missiles and ".repeat(200) + "left.",
        "rebels, ".repeat(300)
            + "and soldiers attacked, killing, wounding, "
                .repeat(50)
                .as_str()
            + "villagers.",
        "to urge them to ask them to ".repeat(100) + "fight.",
        "“".repeat(200) + &"”".repeat(200),
    ];
    for text in chains {
        let d = doc(&text);
        let (_, events) = Linker::default().link(&d, &[], &QuoteSpans::default(), None);
        assert!(events.len() <= d.words.len() * 4);
    }
}

#[test]
fn a_quotation_without_a_cue_takes_the_source_the_head_marked_just_before_it() {
    // Readers' reactions listed by name: no speech verb anywhere.
    let text = "Martha Aguilar, Phoenix:\n\n“Tonight showed him for who he really is.”";
    let content = "Tonight showed him for who he really is.";
    let (_, quotes, _) = link(
        text,
        &[("Martha Aguilar", "PER")],
        &[(content, "Martha Aguilar", "")],
    );
    assert_eq!(quotes.len(), 1, "{quotes:?}");
    assert!(quotes[0].cue.is_none());
    assert_eq!(
        quotes[0].source.as_ref().map(|s| s.span.text.as_str()),
        Some("Martha Aguilar")
    );
    // A source the head marked after the quotation is no speaker of it.
    let text = "“Tonight showed him for who he really is.” Martha Aguilar left early.";
    let (_, quotes, _) = link(
        text,
        &[("Martha Aguilar", "PER")],
        &[(content, "Martha Aguilar", "")],
    );
    assert!(quotes[0].source.is_none(), "{quotes:?}");
}
