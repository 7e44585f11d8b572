//! Tests of verb lexicon reading and lookup on small inline files and the built-in data.

use super::*;

const SAMPLE: &str = "\
&AUXVERB1_
+WAS
+WERE
&WEAPON
+ROCKET
+MORTAR
&ARMS
+&WEAPON
+GUN_
--- EXPLOSIVE_DESTRUCTION [190] ---
FIRE  # BERT 11/20/97
BOMB
DYNAMITE [193]
+BLOW_UP {+BLOWS_UP +BLEW_UP +BLOWN_UP} # phrasal
- * &WEAPON AT + [194]  # FIRE
- &AUXVERB1 * ON [---]
- * STATEMENT [111]
--- OPEN [---] ---
OPEN
- * FIRE ON + [193]
--- BLAME [112] ---
ACCUSE [112]
CONDEMN [111]
- * + OF VIOLAT HUMANITARIAN LAW [1122]
--- VISIT [042:043] ---
VISIT
--- APPREHEND [171] ---
SEIZE
CATCH {CATCHES CATCHING CAUGHT}
";

fn lexicon() -> VerbLexicon {
    VerbLexicon::parse(SAMPLE, "sample.verbs").unwrap()
}

fn code(lexicon: &VerbLexicon, sentence: &str, head: usize) -> Option<String> {
    let words: Vec<&str> = sentence.split_whitespace().collect();
    lexicon.lookup(&words, head).map(|m| m.code)
}

#[test]
fn codes_verbs_in_any_inflection() {
    let l = lexicon();
    for (sentence, head) in [
        ("Russia fired missiles", 1),
        ("Russia fires missiles", 1),
        ("Russia is firing missiles", 2),
        ("Russia fire missiles", 1),
    ] {
        assert_eq!(
            code(&l, sentence, head).as_deref(),
            Some("190"),
            "{sentence}"
        );
    }
    assert_eq!(
        code(&l, "rebels dynamited the bridge", 1).as_deref(),
        Some("193")
    );
    assert_eq!(code(&l, "police caught him", 1).as_deref(), Some("171"));
    assert_eq!(code(&l, "police seized weapons", 1).as_deref(), Some("171"));
    assert_eq!(code(&l, "Iran accused Israel", 1).as_deref(), Some("112"));
    assert_eq!(code(&l, "Iran slept", 1), None);
    assert_eq!(code(&l, "Iran fired", 7), None);
}

#[test]
fn prefers_the_longest_pattern_after_the_verb() {
    let l = lexicon();
    let words = ["troops", "opened", "fire", "on", "protesters"];
    let found = l.lookup(&words, 1).unwrap();
    assert_eq!(found.code, "193");
    assert!(found.phrase);
    assert_eq!(found.range, WordRange::new(1, 4));
    assert_eq!(found.pattern.as_deref(), Some("* FIRE ON +"));
    assert_eq!(l.lookup(&["they", "opened", "the", "door"], 1), None);

    let words = [
        "Turkey",
        "accused",
        "Syria",
        "of",
        "violating",
        "humanitarian",
        "law",
    ];
    let found = l.lookup(&words, 1).unwrap();
    assert_eq!(
        (found.code.as_str(), found.range),
        ("1122", WordRange::new(1, 7))
    );

    let rockets = ["militants", "fired", "rockets", "at", "Sderot"];
    assert_eq!(l.lookup(&rockets, 1).unwrap().code, "194");
    let null = ["shots", "were", "fired", "on", "Monday"];
    assert_eq!(
        l.lookup(&null, 2),
        None,
        "a null pattern suppresses the event"
    );
    assert_eq!(code(&l, "he fired a statement", 1).as_deref(), Some("111"));
}

#[test]
fn multiword_verbs_and_paired_codes() {
    let l = lexicon();
    let found = l
        .lookup(&["rebels", "blew", "up", "a", "bridge"], 1)
        .unwrap();
    assert_eq!(
        (found.verb.as_str(), found.range),
        ("BLOW UP", WordRange::new(1, 3))
    );
    let visit = l.lookup(&["Putin", "visited", "Ankara"], 1).unwrap();
    assert_eq!(
        (visit.code.as_str(), visit.reverse_code.as_deref()),
        ("042", Some("043"))
    );
    assert!(l.is_verb("visiting"));
    assert!(!l.is_verb("Ankara"));
}

#[test]
fn nested_synsets_resolve() {
    let text = format!("{SAMPLE}--- ARM [070] ---\nARM\n- * &ARMS [072]\n");
    let l = VerbLexicon::parse(&text, "nested").unwrap();
    assert_eq!(
        code(&l, "Iran armed Hezbollah with rockets", 1).as_deref(),
        Some("072")
    );
    assert_eq!(
        code(&l, "Iran armed Hezbollah with gun", 1).as_deref(),
        Some("072")
    );
}

#[test]
fn malformed_lines_name_their_line() {
    let cases: [(&str, usize); 7] = [
        ("FIRE\n", 1),
        ("- * X [190]\n", 1),
        ("--- A [190] ---\nA\n- * X\n", 3),
        ("--- A [190] ---\nA\n- TIVILIAN [202]\n", 3),
        ("--- A [190] ---\nA\n- * X * Y [190]\n", 3),
        ("--- A [190] ---\nA\n- * &NOWHERE [190]\n", 3),
        ("--- A [19 0] ---\n", 1),
    ];
    for (text, line) in cases {
        let error = VerbLexicon::parse(text, "bad.verbs").unwrap_err();
        assert_eq!(
            (error.origin(), error.line()),
            ("bad.verbs", line),
            "{text:?}: {error}"
        );
    }
    let cycle = "&A\n+&B\n&B\n+&A\n--- X [1] ---\nX\n- * &A [2]\n";
    assert!(matches!(
        VerbLexicon::parse(cycle, "c").unwrap_err(),
        LexiconError::SynsetCycle { .. }
    ));
    let report = VerbLexicon::parse_lenient("--- A [190] ---\nA\n- * X\n- * Y [191]\n", "l");
    assert_eq!(report.skipped.len(), 1);
    assert_eq!(report.dictionary.len(), 1);
}

#[test]
fn never_panics_on_odd_input() {
    let odd = [
        "",
        "---",
        "&",
        "+",
        "-",
        "- *",
        "--- [] ---",
        "--- X ---\n+\n{",
        "--- X ---\nA {B\n",
        "--- X ---\n_+_ {+}\n- * + + + + $ $ [1]\n",
        "\u{feff}<!-- x",
        "--- X [1:2:3] ---\n",
    ];
    for text in odd {
        let _ = VerbLexicon::parse(text, "odd");
        let report = VerbLexicon::parse_lenient(text, "odd");
        let l = report.dictionary;
        let _ = l.lookup(&["", "_", "+", "*", "."], 1);
    }
    let long = format!("--- X [1] ---\nX\n- * {} [2]\n", "+ ".repeat(200));
    assert!(VerbLexicon::parse(&long, "long").is_err());
}

#[test]
fn builtin_lexicon_codes_examples() {
    let report = VerbLexicon::parse_lenient(include_str!("../data/verbs.txt"), "verbs.txt");
    assert!(report.skipped.is_empty(), "{:?}", report.skipped.first());
    let l = VerbLexicon::builtin();
    let fired = l.lookup(&["Russia", "fired", "missiles"], 1).unwrap();
    assert!(fired.code.starts_with("19"), "{fired:?}");
    assert_eq!(code(l, "Iran accused Israel", 1).as_deref(), Some("112"));
    // APPREHEND [171]: alone "seized" is 171; the block's "$ * +" and "POLICE * +"
    // patterns make a seizure with both actors an arrest (173).
    assert_eq!(code(l, "seized", 0).as_deref(), Some("171"));
    let police = l
        .lookup(&["police", "seized", "the", "building"], 1)
        .unwrap();
    assert_eq!(
        (police.code.as_str(), police.range),
        ("173", WordRange::new(0, 2))
    );
    let accused = l
        .lookup(&["Iran", "accused", "Israel", "of", "the", "attack"], 1)
        .unwrap();
    assert_eq!(
        (accused.code.as_str(), accused.range),
        ("1123", WordRange::new(1, 6))
    );
    let opened = l
        .lookup(&["soldiers", "opened", "fire", "on", "protesters"], 1)
        .unwrap();
    assert_eq!((opened.code.as_str(), opened.phrase), ("193", true));
    assert_eq!(l.lookup_noun("airstrikes").as_deref(), Some("195"));
    assert_eq!(l.lookup_noun("invasion").as_deref(), Some("192"));
}
