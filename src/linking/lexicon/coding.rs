//! CAMEO actor codes for noun phrases: an actor code combined with an agent code.

use super::actors::{ActorDictionary, ActorMatch};
use super::agents::{AgentDictionary, AgentMatch, AgentPosition};
use super::dates::Date;
use super::words::WordRange;

/// The CAMEO code of a noun phrase, PETRARCH-style: "Russia" -> "RUS",
/// "Russian army" -> "RUSMIL", "Syrian rebels" -> "SYRREB",
/// "anti-government rebels" -> "REB" (an agent alone). `None` if the phrase
/// names neither an actor nor an agent. Uses the actor codes in force now.
pub fn code_phrase(
    actors: &ActorDictionary,
    agents: &AgentDictionary,
    words: &[&str],
) -> Option<String> {
    combine(actors.lookup(words), agents, words)
}

/// As [`code_phrase`], with the actor codes that applied on `date`.
pub fn code_phrase_at(
    actors: &ActorDictionary,
    agents: &AgentDictionary,
    words: &[&str],
    date: Date,
) -> Option<String> {
    combine(actors.lookup_at(words, date), agents, words)
}

fn combine(actor: Option<ActorMatch>, agents: &AgentDictionary, words: &[&str]) -> Option<String> {
    let Some(actor) = actor else {
        return agents.lookup(words).map(|agent| agent.code);
    };
    // Words inside the actor's name ("Afghan National Army") are already coded.
    match agent_outside(agents, words, actor.range) {
        Some(agent) => Some(join(&actor.code, &agent)),
        None => Some(actor.code),
    }
}

/// The longest agent before or after the actor's words.
fn agent_outside(agents: &AgentDictionary, words: &[&str], actor: WordRange) -> Option<AgentMatch> {
    let before = words
        .get(..actor.start)
        .and_then(|part| agents.lookup(part));
    let after = words.get(actor.end..).and_then(|part| {
        agents.lookup(part).map(|mut agent| {
            agent.range =
                WordRange::new(agent.range.start + actor.end, agent.range.end + actor.end);
            agent
        })
    });
    match (before, after) {
        (Some(b), Some(a)) => Some(if a.range.len() >= b.range.len() { a } else { b }),
        (b, a) => a.or(b),
    }
}

/// Adds the agent code on its side of the actor code, unless the actor code
/// already carries it as one of its three-letter parts ("USAMIL" + "MIL").
/// An entry standing for several actors ("FRO/BIL/SAM") gets it on each.
fn join(actor: &str, agent: &AgentMatch) -> String {
    actor
        .split('/')
        .map(|one| join_one(one, agent))
        .collect::<Vec<_>>()
        .join("/")
}

fn join_one(actor: &str, agent: &AgentMatch) -> String {
    let parts: Vec<String> = actor
        .chars()
        .collect::<Vec<_>>()
        .chunks(3)
        .map(|chunk| chunk.iter().collect())
        .collect();
    if agent.code.is_empty() || parts.contains(&agent.code) {
        return actor.to_string();
    }
    match agent.position {
        AgentPosition::AfterActor => format!("{actor}{}", agent.code),
        AgentPosition::BeforeActor => format!("{}{actor}", agent.code),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> (ActorDictionary, AgentDictionary) {
        let actors = ActorDictionary::parse(
            "RUSSIA_ [RUS]\n+RUSSIAN\nSYRIA [SYR]\n+SYRIAN\nPENTAGON [USAMIL]\nAFGHAN_NATIONAL_ARMY [AFGMIL]\n",
            "a",
        )
        .unwrap();
        let agents = AgentDictionary::parse(
            "ARMY [~MIL]\nREBEL [~REB]\nHUMAN_RIGHTS_GROUP [NGO~]\nSOLDIER [~MIL]\n",
            "g",
        )
        .unwrap();
        (actors, agents)
    }

    fn code(words: &[&str]) -> Option<String> {
        let (actors, agents) = sample();
        code_phrase(&actors, &agents, words)
    }

    #[test]
    fn combines_actor_and_agent_codes() {
        assert_eq!(code(&["Russia"]).as_deref(), Some("RUS"));
        assert_eq!(code(&["the", "Russian", "army"]).as_deref(), Some("RUSMIL"));
        assert_eq!(code(&["Syrian", "rebels"]).as_deref(), Some("SYRREB"));
        assert_eq!(code(&["anti-government", "rebels"]).as_deref(), Some("REB"));
        assert_eq!(code(&["Pentagon", "soldiers"]).as_deref(), Some("USAMIL"));
        assert_eq!(
            code(&["the", "Afghan", "National", "Army"]).as_deref(),
            Some("AFGMIL")
        );
        assert_eq!(
            code(&["a", "Syrian", "human", "rights", "group"]).as_deref(),
            Some("NGOSYR")
        );
        assert_eq!(code(&["the", "weather"]), None);
        let (actors, _) = sample();
        let shire = ActorDictionary::parse("THE_SHIRE [FRO/BIL]\n", "s").unwrap();
        let agents = AgentDictionary::parse("ARMY [~MIL]\n", "g").unwrap();
        assert_eq!(
            code_phrase(&shire, &agents, &["the", "Shire", "army"]).as_deref(),
            Some("FROMIL/BILMIL")
        );
        assert!(!actors.is_empty());
    }

    #[test]
    fn builtin_dictionaries_code_phrases() {
        let actors = ActorDictionary::builtin();
        let agents = AgentDictionary::builtin();
        let code = |words: &[&str]| code_phrase(actors, agents, words);
        assert_eq!(code(&["Russia"]).as_deref(), Some("RUS"));
        assert_eq!(code(&["Russian", "army"]).as_deref(), Some("RUSMIL"));
        assert_eq!(code(&["Syrian", "army"]).as_deref(), Some("SYRMIL"));
        assert_eq!(code(&["Syrian", "rebels"]).as_deref(), Some("SYRREB"));
        assert_eq!(code(&["anti-government", "rebels"]).as_deref(), Some("REB"));
        assert_eq!(code(&["Iranian", "police"]).as_deref(), Some("IRNCOP"));
        assert_eq!(code(&["Turkish", "soldiers"]).as_deref(), Some("TURMIL"));
        assert_eq!(code(&["the", "Pentagon"]).as_deref(), Some("USAMIL"));
    }
}
