//! Reader for PETRARCH's agent format, `PHRASE {PLURALS} [CODE]` with `!MARKER!`
//! substitutions; agents and event nouns share it.

use std::collections::HashMap;

use super::error::{At, Problems};
use super::source::{content_lines, split_groups};
use super::words::regular_plural;
use super::LexiconError;

/// One line of the file: every spelling it stands for, and its raw code.
#[derive(Debug)]
pub(crate) struct PhraseRecord {
    pub line: usize,
    /// The singular first, then plurals or substitution results.
    pub forms: Vec<String>,
    pub code: String,
}

/// Reads all records; bad lines abort in strict mode and are skipped otherwise.
pub(crate) fn read_phrase_file(
    text: &str,
    origin: &str,
    problems: &mut Problems,
) -> Result<Vec<PhraseRecord>, LexiconError> {
    let mut markers: HashMap<String, Vec<String>> = HashMap::new();
    let mut records = Vec::new();
    for line in content_lines(text) {
        let at = At {
            origin,
            line: line.number,
        };
        let result = if is_marker_definition(&line.text) {
            define_marker(&line.text, at).map(|(name, values)| {
                markers.insert(name, values);
            })
        } else {
            read_record(&line.text, &markers, at).map(|record| records.push(record))
        };
        if let Err(error) = result {
            problems.report(error)?;
        }
    }
    Ok(records)
}

fn is_marker_definition(text: &str) -> bool {
    text.trim_start().starts_with('!') && text.contains('=') && !text.contains('[')
}

/// `!PERSON! = MAN, MEN, WOMAN` -> ("PERSON", [MAN, MEN, WOMAN]).
fn define_marker(text: &str, at: At<'_>) -> Result<(String, Vec<String>), LexiconError> {
    let (name_part, values) = text
        .split_once('=')
        .ok_or_else(|| at.malformed("marker definition without '='"))?;
    let name = name_part.trim();
    let name = name
        .strip_prefix('!')
        .and_then(|n| n.strip_suffix('!'))
        .filter(|n| !n.is_empty() && !n.contains('!'))
        .ok_or_else(|| at.malformed(format!("marker name '{name}' is not of the form !NAME!")))?;
    let values: Vec<String> = values
        .split(',')
        .map(|v| v.trim().to_uppercase())
        .filter(|v| !v.is_empty())
        .collect();
    if values.is_empty() {
        return Err(at.malformed(format!("marker !{name}! has no values")));
    }
    Ok((name.to_uppercase(), values))
}

fn read_record(
    text: &str,
    markers: &HashMap<String, Vec<String>>,
    at: At<'_>,
) -> Result<PhraseRecord, LexiconError> {
    let codes = split_groups(text, '[', ']', at)?;
    let code = match codes.inside.as_slice() {
        [] => return Err(at.missing_code()),
        [one] => one.trim(),
        _ => return Err(at.malformed("more than one [code]")),
    };
    if code.is_empty() {
        return Err(at.empty_code());
    }
    let plurals = split_groups(&codes.outside, '{', '}', at)?;
    let phrase = plurals.outside.trim().to_uppercase();
    if phrase.is_empty() {
        return Err(at.malformed("no phrase before the code"));
    }
    let forms = if phrase.contains('!') {
        // Substitutions already list every form; an empty {} says so again.
        if plurals.inside.iter().any(|p| !p.trim().is_empty()) {
            return Err(at.malformed("plurals cannot follow a substitution marker"));
        }
        substitute(&phrase, markers, at)?
    } else {
        let mut forms = vec![phrase.clone()];
        match plurals.inside.as_slice() {
            [] => forms.push(regular_plural(&phrase)),
            [given] => forms.extend(given.split_whitespace().map(str::to_uppercase)),
            _ => return Err(at.malformed("more than one {plural} group")),
        }
        forms
    };
    Ok(PhraseRecord {
        line: at.line,
        forms,
        code: code.to_string(),
    })
}

/// `CONGRESS!PERSON!` -> CONGRESSMAN, CONGRESSMEN, ... (no further plurals, as in PETRARCH).
fn substitute(
    phrase: &str,
    markers: &HashMap<String, Vec<String>>,
    at: At<'_>,
) -> Result<Vec<String>, LexiconError> {
    let mut parts = phrase.splitn(3, '!');
    let (before, name, after) = match (parts.next(), parts.next(), parts.next()) {
        (Some(before), Some(name), Some(after)) => (before, name, after),
        _ => return Err(at.malformed("unterminated substitution marker")),
    };
    let values = markers
        .get(name)
        .ok_or_else(|| LexiconError::UndefinedMarker {
            origin: at.origin.to_string(),
            line: at.line,
            marker: name.to_string(),
        })?;
    Ok(values
        .iter()
        .map(|value| format!("{before}{value}{after}"))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Vec<PhraseRecord>, LexiconError> {
        read_phrase_file(text, "agents.txt", &mut Problems::strict())
    }

    #[test]
    fn reads_plurals_markers_and_codes() {
        let records = read(
            "!PERSON! = MAN, WOMAN\nARMY [~MIL]\nPOLICE {} [ ~COP]\nATTORNEY_GENERAL {ATTORNEYS_GENERAL} [~GOV]\nCONGRESS!PERSON! [~LEG] # note\n",
        )
        .unwrap();
        assert_eq!(records[0].forms, vec!["ARMY", "ARMIES"]);
        assert_eq!(records[1].forms, vec!["POLICE"]);
        assert_eq!(records[1].code, "~COP");
        assert_eq!(
            records[2].forms,
            vec!["ATTORNEY_GENERAL", "ATTORNEYS_GENERAL"]
        );
        assert_eq!(records[3].forms, vec!["CONGRESSMAN", "CONGRESSWOMAN"]);
        assert_eq!(records[3].line, 5);
    }

    #[test]
    fn malformed_lines_name_their_line() {
        let error = read("ARMY [~MIL]\nDEPARMENT_OF_ENVIRONMENT [~ENV}\n").unwrap_err();
        assert_eq!((error.origin(), error.line()), ("agents.txt", 2));
        assert_eq!(read("\n\nISLAMIC_EXTREMIST\n").unwrap_err().line(), 3);
        assert!(matches!(
            read("!MINIST!_OF_MAGIC [~GOV]").unwrap_err(),
            LexiconError::UndefinedMarker { line: 1, .. }
        ));
        assert!(matches!(
            read("ARMY []").unwrap_err(),
            LexiconError::EmptyCode { .. }
        ));
        let mut lenient = Problems::lenient();
        let records = read_phrase_file("X [~A]\nY [~B\nZ [~C]\n", "a", &mut lenient).unwrap();
        assert_eq!(records.len(), 2);
        assert_eq!(lenient.into_skipped()[0].line(), 2);
    }
}
