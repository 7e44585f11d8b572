//! Closed-class English words the linking rules key on: determiners, pronouns, prepositions,
//! auxiliaries, negators, subordinators, adverbs and time words (all given lower-cased).

/// What an auxiliary contributes to the verb group it opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Auxiliary {
    Be,
    Have,
    Do,
    /// A modal verb with the modality it gives the event.
    Modal(Modality),
}

/// The modality vocabulary of datasets/README.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Modality {
    Threat,
    Possible,
    Intent,
    Demand,
}

impl Modality {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Modality::Threat => "threat",
            Modality::Possible => "possible",
            Modality::Intent => "intent",
            Modality::Demand => "demand",
        }
    }
}

/// Which entities a pronoun may stand for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PronounKind {
    /// he, him, she, her: a person.
    Person,
    /// it: an organisation or a country.
    Thing,
    /// they, them: a group, an organisation or a country.
    Group,
    /// we, us, i, me, you: the speaker's side, resolved through the quote's source.
    Speaker,
    /// each other, one another: the coordinated actors of the same clause.
    Reciprocal,
}

pub(crate) fn auxiliary(word: &str) -> Option<Auxiliary> {
    Some(match word {
        "is" | "are" | "was" | "were" | "be" | "been" | "being" | "am" | "'re" | "’re" | "'m"
        | "’m" => Auxiliary::Be,
        "has" | "have" | "had" | "having" | "'ve" | "’ve" => Auxiliary::Have,
        "do" | "does" | "did" => Auxiliary::Do,
        "will" | "would" | "shall" | "'ll" | "’ll" | "wo" | "'d" | "’d" => {
            Auxiliary::Modal(Modality::Intent)
        }
        "may" | "might" | "could" | "can" | "ca" | "cannot" => Auxiliary::Modal(Modality::Possible),
        "should" | "must" => Auxiliary::Modal(Modality::Demand),
        _ => return None,
    })
}

pub(crate) fn is_negator(word: &str) -> bool {
    matches!(
        word,
        "not" | "n't" | "n’t" | "never" | "no" | "neither" | "nor"
    )
}

/// Articles, demonstratives, possessive pronouns and quantifiers: words a noun phrase may
/// start with but that never belong to a participant's span.
pub(crate) fn is_determiner(word: &str) -> bool {
    matches!(
        word,
        "the"
            | "a"
            | "an"
            | "this"
            | "these"
            | "those"
            | "its"
            | "their"
            | "his"
            | "our"
            | "my"
            | "your"
            | "some"
            | "any"
            | "each"
            | "every"
            | "another"
            | "such"
            | "all"
            | "both"
            | "several"
            | "many"
            | "few"
            | "most"
            | "much"
            | "either"
            | "other"
            | "no"
            | "whose"
            | "certain"
            | "various"
    )
}

/// Numbers and quantity words ("two", "40", "thousands", "dozens").
pub(crate) fn is_quantity(word: &str) -> bool {
    if word.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        return true;
    }
    matches!(
        word,
        "one"
            | "two"
            | "three"
            | "four"
            | "five"
            | "six"
            | "seven"
            | "eight"
            | "nine"
            | "ten"
            | "eleven"
            | "twelve"
            | "fifteen"
            | "twenty"
            | "thirty"
            | "forty"
            | "fifty"
            | "hundred"
            | "hundreds"
            | "thousand"
            | "thousands"
            | "million"
            | "millions"
            | "billion"
            | "billions"
            | "dozen"
            | "dozens"
            | "tens"
            | "scores"
            | "half"
            | "least"
            | "more"
            | "than"
            | "nearly"
            | "almost"
            | "over"
            | "about"
            | "around"
            | "some"
            | "at"
            | "numerous"
            | "couple"
            | "handful"
    )
}

/// Quantity words that can stand for a whole noun phrase ("thousands marched").
pub(crate) fn is_quantity_noun(word: &str) -> bool {
    matches!(
        word,
        "hundreds" | "thousands" | "millions" | "dozens" | "tens" | "scores" | "three" | "two"
    )
}

pub(crate) fn pronoun(word: &str) -> Option<PronounKind> {
    Some(match word {
        "he" | "him" | "she" | "himself" | "herself" => PronounKind::Person,
        "it" | "itself" => PronounKind::Thing,
        "they" | "them" | "themselves" => PronounKind::Group,
        "we" | "us" | "i" | "me" | "you" | "ourselves" => PronounKind::Speaker,
        _ => return None,
    })
}

/// Pronouns that can be the subject of a verb (a verb right after one is finite).
pub(crate) fn is_subject_pronoun(word: &str) -> bool {
    matches!(
        word,
        "he" | "she" | "it" | "they" | "we" | "i" | "you" | "who" | "which"
    )
}

pub(crate) fn is_preposition(word: &str) -> bool {
    matches!(
        word,
        "of" | "in"
            | "on"
            | "at"
            | "by"
            | "from"
            | "to"
            | "with"
            | "against"
            | "for"
            | "into"
            | "onto"
            | "over"
            | "under"
            | "near"
            | "after"
            | "before"
            | "during"
            | "since"
            | "until"
            | "towards"
            | "toward"
            | "through"
            | "across"
            | "between"
            | "among"
            | "amid"
            | "around"
            | "about"
            | "despite"
            | "without"
            | "within"
            | "outside"
            | "inside"
            | "along"
            | "behind"
            | "beyond"
            | "per"
            | "via"
            | "upon"
            | "including"
            | "off"
            | "like"
            | "than"
            | "above"
            | "below"
            | "throughout"
            | "alongside"
            | "following"
            | "amongst"
            | "beside"
            | "besides"
    )
}

/// Prepositions that introduce a verb's or an event noun's target ("fired at X",
/// "ties with X", "strikes on X") rather than a modifier of a noun.
pub(crate) fn is_target_preposition(word: &str) -> bool {
    matches!(
        word,
        "at" | "on"
            | "against"
            | "with"
            | "to"
            | "into"
            | "toward"
            | "towards"
            | "upon"
            | "onto"
            | "over"
    )
}

/// Prepositions whose object modifies the noun before it ("police in Minsk", "soldiers from
/// Gondor", "outskirts of Khan Younis"): the object codes the noun, it is no participant.
pub(crate) fn is_attaching_preposition(word: &str) -> bool {
    matches!(
        word,
        "of" | "in" | "from" | "near" | "outside" | "inside" | "across" | "around" | "at"
    )
}

pub(crate) fn is_conjunction(word: &str) -> bool {
    matches!(word, "and" | "or" | "but" | "nor" | "&")
}

/// Words that open a subordinate or relative clause.
pub(crate) fn is_subordinator(word: &str) -> bool {
    matches!(
        word,
        "that"
            | "which"
            | "who"
            | "whom"
            | "when"
            | "where"
            | "while"
            | "as"
            | "if"
            | "because"
            | "although"
            | "though"
            | "whether"
            | "unless"
            | "once"
            | "whereas"
            | "so"
            | "since"
            | "after"
            | "before"
            | "until"
    )
}

/// Words that open a relative clause whose subject is the noun phrase before them.
pub(crate) fn is_relative(word: &str) -> bool {
    matches!(word, "who" | "which" | "that")
}

const ADVERBS: &[&str] = &[
    "also",
    "again",
    "still",
    "already",
    "just",
    "now",
    "then",
    "later",
    "earlier",
    "soon",
    "even",
    "ever",
    "repeatedly",
    "reportedly",
    "allegedly",
    "recently",
    "today",
    "yesterday",
    "tonight",
    "here",
    "there",
    "too",
    "almost",
    "nearly",
    "only",
    "further",
    "immediately",
    "jointly",
    "formally",
    "overnight",
    "very",
    "not",
    "once",
    "first",
    "previously",
    "subsequently",
    "apparently",
    "reportedly",
    "fiercely",
    "heavily",
    "unjustly",
    "strongly",
    "publicly",
    "openly",
    "quickly",
    "briefly",
    "sharply",
    "directly",
    "currently",
    "initially",
    "finally",
    "eventually",
    "unexpectedly",
    "certainly",
    "really",
    "clearly",
    "indeed",
    "however",
    "meanwhile",
    "instead",
    "yet",
    "long",
    "away",
    "back",
    "together",
    "ago",
    "abroad",
    "home",
    "late",
    "early",
    "nearby",
    "largely",
    "mostly",
    "partly",
    "seriously",
    "badly",
    "strangely",
    "oddly",
    "reluctantly",
    "promptly",
    "officially",
    "effectively",
    "last",
];

/// Adverbs: listed ones and lower-case words in -ly that are no nouns.
pub(crate) fn is_adverb(word: &str) -> bool {
    if ADVERBS.contains(&word) {
        return true;
    }
    word.len() > 4
        && word.ends_with("ly")
        && !matches!(
            word,
            "family"
                | "italy"
                | "rally"
                | "ally"
                | "assembly"
                | "supply"
                | "reply"
                | "july"
                | "anomaly"
                | "monopoly"
                | "apply"
                | "rely"
                | "fly"
                | "holy"
                | "daily"
                | "weekly"
                | "monthly"
                | "early"
                | "elderly"
                | "only"
                | "friendly"
                | "deadly"
                | "likely"
                | "unlikely"
                | "ugly"
                | "lonely"
                | "comply"
                | "multiply"
                | "imply"
                | "belly"
                | "jelly"
                | "bully"
                | "folly"
                | "resupply"
        )
}

/// Words that name a time: they make a noun phrase a time expression, never a participant.
pub(crate) fn is_time_word(word: &str) -> bool {
    matches!(
        word,
        "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
            | "january"
            | "february"
            | "march"
            | "april"
            | "may"
            | "june"
            | "july"
            | "august"
            | "september"
            | "october"
            | "november"
            | "december"
            | "today"
            | "yesterday"
            | "tonight"
            | "overnight"
            | "week"
            | "weeks"
            | "month"
            | "months"
            | "year"
            | "years"
            | "day"
            | "days"
            | "night"
            | "nights"
            | "morning"
            | "afternoon"
            | "evening"
            | "weekend"
            | "hour"
            | "hours"
            | "minute"
            | "minutes"
            | "decade"
            | "decades"
            | "spring"
            | "summer"
            | "autumn"
            | "winter"
            | "sunset"
            | "dawn"
            | "dusk"
            | "midnight"
            | "noon"
            | "time"
            | "times"
            | "period"
    )
}

/// Quotation marks, which never belong to a participant.
pub(crate) fn is_quotation_mark(word: &str) -> bool {
    matches!(
        word,
        "\"" | "“" | "”" | "„" | "‘" | "’" | "'" | "«" | "»" | "‹" | "›" | "``" | "''"
    )
}

pub(crate) fn is_possessive_clitic(word: &str) -> bool {
    matches!(word, "'s" | "’s" | "'" | "’")
}

/// Words of a place or facility: such an object is the target itself even when a prepositional
/// phrase after it names a coded place ("struck a training centre at the plant").
pub(crate) fn is_place_noun(word: &str) -> bool {
    let singular = word.strip_suffix('s').unwrap_or(word);
    matches!(
        singular,
        "centre"
            | "center"
            | "base"
            | "plant"
            | "camp"
            | "hospital"
            | "school"
            | "compound"
            | "building"
            | "facility"
            | "facilitie"
            | "position"
            | "outskirt"
            | "village"
            | "town"
            | "city"
            | "farmhouse"
            | "convoy"
            | "post"
            | "depot"
            | "target"
            | "road"
            | "bridge"
            | "port"
            | "airport"
            | "border"
            | "embassy"
            | "headquarter"
            | "office"
            | "station"
            | "home"
            | "house"
            | "market"
            | "mosque"
            | "church"
            | "district"
            | "area"
            | "region"
            | "province"
            | "neighbourhood"
            | "neighborhood"
            | "site"
            | "line"
            | "checkpoint"
            | "vessel"
            | "ship"
            | "aircraft"
            | "drone"
            | "plane"
            | "truck"
            | "infrastructure"
            | "shelter"
            | "warehouse"
            | "field"
            | "airfield"
            | "barrack"
            | "refinery"
    )
}

/// Weapons: as an object they are what is fired, the target follows ("fired a missile at X"),
/// but a weapon can also be the target ("shot down drones").
pub(crate) fn is_weapon_noun(word: &str) -> bool {
    let singular = word.strip_suffix('s').unwrap_or(word);
    matches!(
        singular,
        "missile"
            | "rocket"
            | "shell"
            | "round"
            | "bullet"
            | "gas"
            | "cannon"
            | "bomb"
            | "grenade"
            | "mortar"
            | "artillery"
            | "drone"
            | "weapon"
            | "arm"
            | "explosive"
            | "salvo"
            | "barrage"
            | "munition"
            | "projectile"
    )
}

/// Objects that are instruments or abstractions rather than targets ("fired missiles at X",
/// "restored ties with X"): the target is then in a following prepositional phrase.
pub(crate) fn is_instrument_noun(word: &str) -> bool {
    let singular = word.strip_suffix('s').unwrap_or(word);
    matches!(
        singular,
        "missile"
            | "rocket"
            | "shell"
            | "round"
            | "bullet"
            | "gas"
            | "cannon"
            | "bomb"
            | "grenade"
            | "mortar"
            | "artillery"
            | "fire"
            | "shot"
            | "weapon"
            | "arm"
            | "tie"
            | "relation"
            | "aid"
            | "support"
            | "statement"
            | "effort"
            | "agreement"
            | "accord"
            | "resolution"
            | "deal"
            | "credential"
            | "hope"
            | "treaty"
            | "protocol"
            | "program"
            | "programme"
            | "memo"
            | "assurance"
            | "money"
            | "fund"
            | "responsibility"
            | "troop"
            | "warning"
            | "message"
            | "proposal"
            | "plan"
            | "talk"
            | "meeting"
            | "contact"
            | "cooperation"
            | "dialogue"
            | "negotiation"
            | "measure"
            | "step"
            | "action"
            | "visit"
            | "trip"
            | "role"
            | "interest"
            | "concern"
            | "condolence"
            | "appeal"
            | "demand"
            | "call"
            | "request"
            | "offer"
            | "invitation"
            | "order"
            | "decision"
            | "ban"
            | "embargo"
            | "boycott"
            | "rubber"
            | "water"
            | "tear"
            | "explosive"
            | "salvo"
            | "barrage"
            | "ballistic"
            | "assistance"
            | "loan"
            | "grant"
            | "package"
            | "equipment"
            | "system"
            | "tent"
            | "blanket"
            | "food"
            | "flour"
            | "medicine"
            | "asset"
            | "sanction"
            | "charge"
            | "accusation"
            | "claim"
    )
}
