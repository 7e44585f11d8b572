//! English verb inflection: regular forms of a base, and bases an inflected word may have.

fn is_vowel(c: char) -> bool {
    matches!(c, 'A' | 'E' | 'I' | 'O' | 'U')
}

/// The -S, -ED and -ING forms PETRARCH generates for a verb without `{...}`,
/// with consonant+Y -> IES/IED and IE -> YING added.
pub(super) fn regular_forms(base: &str) -> Vec<String> {
    let chars: Vec<char> = base.chars().collect();
    let last = chars.last().copied();
    let before_last = chars
        .len()
        .checked_sub(2)
        .and_then(|i| chars.get(i))
        .copied();
    let stem_without_last: String = chars.iter().take(chars.len().saturating_sub(1)).collect();
    let consonant_y = last == Some('Y') && !before_last.is_some_and(is_vowel);

    let third = if consonant_y {
        format!("{stem_without_last}IES")
    } else if ["S", "X", "Z", "CH", "SH"]
        .iter()
        .any(|end| base.ends_with(end))
    {
        format!("{base}ES")
    } else {
        format!("{base}S")
    };
    let past = if consonant_y {
        format!("{stem_without_last}IED")
    } else if last == Some('E') {
        format!("{base}D")
    } else {
        format!("{base}ED")
    };
    let gerund = if base.ends_with("IE") {
        let stem: String = chars.iter().take(chars.len().saturating_sub(2)).collect();
        format!("{stem}YING")
    } else if last == Some('E') && !before_last.is_some_and(is_vowel) {
        format!("{stem_without_last}ING")
    } else {
        format!("{base}ING")
    };
    vec![third, past, gerund]
}

/// Bases an inflected word could come from, most likely first: "FIRED" -> FIRE
/// (and FIR), "STOPPED" -> STOP, "CARRIED" -> CARRY, "DYING" -> DIE.
pub(super) fn base_candidates(word: &str) -> Vec<String> {
    let mut bases: Vec<String> = Vec::new();
    let mut push = |base: String| {
        if base.chars().count() >= 2 && !bases.contains(&base) {
            bases.push(base);
        }
    };
    if let Some(stem) = word
        .strip_suffix("IED")
        .or_else(|| word.strip_suffix("IES"))
    {
        push(format!("{stem}Y"));
    }
    if let Some(stem) = word.strip_suffix("ED") {
        push(format!("{stem}E"));
        push(stem.to_string());
        if let Some(single) = undouble(stem) {
            push(single);
        }
    }
    if let Some(stem) = word.strip_suffix("YING") {
        push(format!("{stem}IE"));
    }
    if let Some(stem) = word.strip_suffix("ING") {
        push(stem.to_string());
        push(format!("{stem}E"));
        if let Some(single) = undouble(stem) {
            push(single);
        }
    }
    if let Some(stem) = word.strip_suffix("ES") {
        push(stem.to_string());
    }
    if !word.ends_with("SS") {
        if let Some(stem) = word.strip_suffix('S') {
            push(stem.to_string());
        }
    }
    bases
}

/// "STOPP" -> "STOP": past and gerund forms double a final consonant.
fn undouble(stem: &str) -> Option<String> {
    let chars: Vec<char> = stem.chars().collect();
    match chars.as_slice() {
        [.., a, b] if a == b && !is_vowel(*a) => Some(chars.iter().take(chars.len() - 1).collect()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generates_regular_forms() {
        assert_eq!(regular_forms("FIRE"), vec!["FIRES", "FIRED", "FIRING"]);
        assert_eq!(
            regular_forms("ATTACK"),
            vec!["ATTACKS", "ATTACKED", "ATTACKING"]
        );
        assert_eq!(
            regular_forms("CARRY"),
            vec!["CARRIES", "CARRIED", "CARRYING"]
        );
        assert_eq!(
            regular_forms("PRESS"),
            vec!["PRESSES", "PRESSED", "PRESSING"]
        );
        assert_eq!(regular_forms("AGREE"), vec!["AGREES", "AGREED", "AGREEING"]);
        assert_eq!(regular_forms("DIE"), vec!["DIES", "DIED", "DYING"]);
        assert_eq!(regular_forms("PLAY"), vec!["PLAYS", "PLAYED", "PLAYING"]);
    }

    #[test]
    fn finds_candidate_bases() {
        assert!(base_candidates("FIRED").contains(&"FIRE".to_string()));
        assert!(base_candidates("STOPPED").contains(&"STOP".to_string()));
        assert!(base_candidates("CARRIED").contains(&"CARRY".to_string()));
        assert!(base_candidates("SHELLING").contains(&"SHELL".to_string()));
        assert!(base_candidates("DYING").contains(&"DIE".to_string()));
        assert!(base_candidates("SEIZES").contains(&"SEIZE".to_string()));
        assert!(base_candidates("A").is_empty());
    }
}
