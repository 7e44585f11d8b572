//! CAMEO event codes to PLOVER event types (OEDA's CAMEO2PLOVER table, CC BY-SA 4.0).

use std::collections::HashMap;
use std::sync::OnceLock;

/// One row of the CAMEO-to-PLOVER table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PloverMapping {
    /// The CAMEO code of the row, e.g. "195".
    pub cameo: &'static str,
    /// PLOVER event type, e.g. "ASSAULT".
    pub event: &'static str,
    /// PLOVER mode, e.g. "heavy-weapons"; empty when none.
    pub mode: &'static str,
    /// PLOVER context, e.g. "military"; empty when none.
    pub context: &'static str,
    /// The CAMEO description, e.g. "Employ aerial weapons".
    pub description: &'static str,
}

fn table() -> &'static HashMap<&'static str, PloverMapping> {
    static TABLE: OnceLock<HashMap<&'static str, PloverMapping>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut rows = HashMap::new();
        for line in include_str!("data/plover.txt").lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let mut cells = line.split('\t').map(str::trim);
            let (Some(cameo), Some(event)) = (cells.next(), cells.next()) else {
                continue;
            };
            if cameo.is_empty() || event.is_empty() {
                continue;
            }
            let mapping = PloverMapping {
                cameo,
                event,
                mode: cells.next().unwrap_or(""),
                context: cells.next().unwrap_or(""),
                description: cells.next().unwrap_or(""),
            };
            // The table lists a few codes twice (175, and root 08 as CONCEDE then
            // RETREAT); the first row is the one the table's order puts in front.
            rows.entry(cameo).or_insert(mapping);
        }
        rows
    })
}

/// The table row for a CAMEO code, falling back to its parent codes ("0874" ->
/// "087" -> "08"). Paired codes ("042:043") use their first part. CAMEO 01x and
/// 02x (statements, appeals) have no PLOVER counterpart and give `None`.
pub fn plover_mapping(cameo: &str) -> Option<&'static PloverMapping> {
    let code = cameo
        .trim()
        .split(':')
        .next()
        .unwrap_or("")
        .trim_end_matches('!');
    if code.is_empty() || !code.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let rows = table();
    let mut length = code.len();
    while length >= 2 {
        if let Some(row) = code.get(..length).and_then(|prefix| rows.get(prefix)) {
            return Some(row);
        }
        length -= 1;
    }
    None
}

/// The PLOVER event type of a CAMEO code: `plover("195") == Some("ASSAULT")`.
pub fn plover(cameo: &str) -> Option<&'static str> {
    plover_mapping(cameo).map(|row| row.event)
}

/// The CAMEO root (cue category) of a code: its first two characters, "0234" -> "02".
/// Codes shorter than that are returned as they are.
pub fn cameo_root(code: &str) -> &str {
    let code = code.trim();
    match code.char_indices().nth(2) {
        Some((end, _)) => &code[..end],
        None => code,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_exact_parent_and_root_codes() {
        assert_eq!(plover("195"), Some("ASSAULT"));
        assert_eq!(plover("0874"), Some("RETREAT"));
        assert_eq!(plover("1823"), Some("ASSAULT"));
        assert_eq!(plover("176"), Some("COERCE"));
        assert_eq!(plover("042:043"), Some("CONSULT"));
        assert_eq!(plover("112"), Some("ACCUSE"));
        assert_eq!(plover("010"), None);
        assert_eq!(plover("---"), None);
        assert_eq!(plover(""), None);
        let row = plover_mapping("195").unwrap();
        assert_eq!((row.mode, row.context), ("heavy-weapons", "military"));
        assert_eq!(row.description, "Employ aerial weapons");
    }

    #[test]
    fn roots_are_two_characters() {
        assert_eq!(cameo_root("0234"), "02");
        assert_eq!(cameo_root("195"), "19");
        assert_eq!(cameo_root("1"), "1");
        assert_eq!(cameo_root("é9x"), "é9");
    }
}
