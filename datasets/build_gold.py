#!/usr/bin/env python3
"""Build the newsevents gold set from its hand-written markup.

Reads datasets/gold/source/{dev,test}.txt (format: datasets/README.md), validates every
record, and writes datasets/gold/dev.jsonl and datasets/gold/test.jsonl.

    python3 datasets/build_gold.py            # rebuild both splits (deterministic)
    python3 datasets/build_gold.py --check    # validate only, write nothing
    python3 datasets/build_gold.py --plover-table PATH   # also cross-check PLOVER codes

Python 3 standard library only. Any inconsistency is an error: the script prints every
problem it found (file, line, record id) and exits with status 1 without writing output.
Offsets are Unicode code point offsets (Python string indices), end exclusive.
"""

import argparse
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.path.join(HERE, "gold", "source")
OUT_DIR = os.path.join(HERE, "gold")
SPLITS = ("dev", "test")
# Seen from the project root (see ../shared/corpora/README.md); used only for a cross-check.
DEFAULT_PLOVER_TABLE = os.path.join(
    HERE, "..", "..", "shared", "corpora", "plover", "CAMEO2PLOVER-2021.txt"
)

ENTITY_LABELS = ("PER", "ORG", "LOC", "MISC")
PHENOMENA = (
    "active",
    "passive",
    "nominal",
    "coordination",
    "statement-cue",
    "negation",
    "modality",
    "direct-quote",
    "quote-next-sentence",
    "indirect-quote",
    "pronoun-source",
    "description-source",
    "agent-actor",
    "non-ascii",
    "complement-target",
    "possessive",
    "pronoun-actor",
    "title-apposition",
)
MODALITIES = ("threat", "possible", "intent", "demand")
MIN_COVERAGE = {"dev": 4, "test": 2}
MIN_RECORDS = {"dev": 40, "test": 20}

# CAMEO event codes used by the gold set, with their PLOVER category from
# CAMEO2PLOVER-2021.txt (PLOVER manual draft 0.8). CAMEO roots 01 (public statement) and
# 02 (appeal) have no PLOVER category: PLOVER does not code commentary or appeals, so their
# "plover" is null. Add a code here (with its table entry) before using it in the markup.
CAMEO = {
    # 01 MAKE PUBLIC STATEMENT and 02 APPEAL: no PLOVER category
    "015": (None, "Acknowledge or claim responsibility"),
    "016": (None, "Deny responsibility (deny an accusation, a report or a claim)"),
    "020": (None, "Make an appeal or request"),
    "0234": (None, "Appeal for military protection or peacekeeping"),
    "0242": (None, "Appeal for policy change"),
    "0253": (None, "Appeal for release of persons or property"),
    "0255": (None, "Appeal for target to allow international involvement (non-mediation)"),
    "0256": (None, "Appeal for de-escalation of military engagement"),
    "026": (None, "Appeal to others to meet or negotiate"),
    # 03 EXPRESS INTENT TO COOPERATE
    "0312": ("AGREE", "Express intent to cooperate militarily"),
    "0332": ("AGREE", "Express intent to provide military aid"),
    "0333": ("AGREE", "Express intent to provide humanitarian aid"),
    "0334": ("AGREE", "Express intent to provide military protection or peacekeeping"),
    "0354": ("AGREE", "Express intent to ease economic sanctions, boycott, embargo"),
    "0355": ("AGREE", "Express intent to allow international involvement (non-mediation)"),
    "036": ("AGREE", "Express intent to meet or negotiate"),
    "039": ("AGREE", "Express intent to mediate"),
    "040": ("CONSULT", "Consult"),
    # 04 CONSULT
    "042": ("CONSULT", "Make a visit"),
    "044": ("CONSULT", "Meet at a 'third' location"),
    "045": ("CONSULT", "Engage in mediation"),
    "046": ("CONSULT", "Engage in negotiation"),
    # 05 ENGAGE IN DIPLOMATIC COOPERATION
    "051": ("SUPPORT", "Praise or endorse"),
    "057": ("SUPPORT", "Sign formal agreement"),
    # 06 ENGAGE IN MATERIAL COOPERATION
    "062": ("COOPERATE", "Cooperate militarily"),
    # 07 PROVIDE AID
    "072": ("AID", "Provide military aid"),
    "073": ("AID", "Provide humanitarian aid"),
    "074": ("AID", "Provide military protection or peacekeeping"),
    "075": ("AID", "Grant asylum"),
    # 08 YIELD
    "0832": ("CONCEDE", "Accede to demands for change in policy"),
    "0841": ("RETREAT", "Return, release person(s)"),
    "086": ("RETREAT", "Allow international involvement"),
    "0863": ("RETREAT", "Allow delivery of humanitarian aid"),
    "087": ("RETREAT", "De-escalate military engagement"),
    "0871": ("RETREAT", "Declare truce, ceasefire"),
    "0873": ("RETREAT", "Demobilize armed forces"),
    "0874": ("RETREAT", "Retreat or surrender militarily"),
    # 09 INVESTIGATE (PLOVER puts 090 under ACCUSE)
    "090": ("ACCUSE", "Investigate"),
    # 10 DEMAND
    "100": ("REQUEST", "Demand"),
    "1041": ("REQUEST", "Demand change in leadership"),
    "1042": ("REQUEST", "Demand policy change"),
    "1053": ("REQUEST", "Demand release of persons or property"),
    "1056": ("REQUEST", "Demand de-escalation of military engagement"),
    # 11 DISAPPROVE
    "111": ("ACCUSE", "Criticize or denounce"),
    "112": ("ACCUSE", "Accuse"),
    "1121": ("ACCUSE", "Accuse of crime, corruption"),
    "1122": ("ACCUSE", "Accuse of human rights abuses"),
    "1123": ("ACCUSE", "Accuse of aggression"),
    "1124": ("ACCUSE", "Accuse of war crimes"),
    "1125": ("ACCUSE", "Accuse of espionage, treason"),
    # 12 REJECT
    "120": ("REJECT", "Reject"),
    "1224": ("REJECT", "Reject demand for military protection or peacekeeping"),
    "1232": ("REJECT", "Reject demand for policy change"),
    "1243": ("REJECT", "Decline to release persons or property"),
    "1246": ("REJECT", "Decline to de-escalate military engagement"),
    "125": ("REJECT", "Reject proposal to meet, discuss, negotiate"),
    "127": ("REJECT", "Reject plan, agreement to settle dispute"),
    "129": ("REJECT", "Veto"),
    # 13 THREATEN
    "130": ("THREATEN", "Threaten"),
    "1312": ("THREATEN", "Threaten to boycott, embargo, or sanction"),
    "1313": ("THREATEN", "Threaten to reduce or break relations"),
    "138": ("THREATEN", "Threaten with military force"),
    "1384": ("THREATEN", "Threaten conventional attack"),
    # 14 PROTEST
    "141": ("PROTEST", "Demonstrate or rally"),
    "144": ("PROTEST", "Obstruct passage, block"),
    # 15 EXHIBIT FORCE POSTURE
    "152": ("MOBILIZE", "Increase military alert status"),
    "154": ("MOBILIZE", "Mobilize or increase armed forces"),
    "160": ("SANCTION", "Reduce relations"),
    # 16 REDUCE RELATIONS
    "161": ("SANCTION", "Reduce or break diplomatic relations"),
    "162": ("SANCTION", "Reduce or stop aid"),
    "1623": ("SANCTION", "Reduce or stop humanitarian assistance"),
    "163": ("COERCE", "Impose embargo, boycott, or sanctions"),
    "164": ("SANCTION", "Halt negotiations"),
    "166": ("SANCTION", "Expel or withdraw"),
    "1662": ("SANCTION", "Expel or withdraw inspectors, observers"),
    # 17 COERCE (and 191/192, which PLOVER puts under COERCE)
    "171": ("COERCE", "Seize or damage property"),
    "1712": ("ASSAULT", "Destroy property"),
    "1721": ("COERCE", "Impose restrictions on freedoms of speech and expression"),
    "173": ("COERCE", "Arrest, detain, or charge with legal action"),
    "174": ("COERCE", "Expel or deport individuals"),
    "175": ("ASSAULT", "Use tactics of violent repression"),
    # 18 ASSAULT
    "181": ("ASSAULT", "Abduct, hijack, or take hostage"),
    "182": ("ASSAULT", "Physically assault"),
    "1823": ("ASSAULT", "Kill by physical assault"),
    "1832": ("ASSAULT", "Carry out car bombing"),
    # 19 FIGHT
    "190": ("ASSAULT", "Use conventional military force"),
    "191": ("COERCE", "Impose blockade, restrict movement"),
    "192": ("COERCE", "Occupy territory"),
    "193": ("ASSAULT", "Fight with small arms and light weapons"),
    "194": ("ASSAULT", "Fight with artillery and tanks"),
    "195": ("ASSAULT", "Employ aerial weapons"),
    # 20 USE UNCONVENTIONAL MASS VIOLENCE
    "2041": ("ASSAULT", "Use chemical, biological, or radiological weapons"),
}

# CAMEO actor codes used by the gold set: a country code (ISO 3166 alpha-3, as in
# Phoenix.Countries.actors.txt) or an IGO/NGO/IMG prefix, followed by agent codes from
# Phoenix.agents.txt (GOV MIL COP JUD LEG REB UAF CRM OPP CVL MED EDU AGR BUS NGO SPY).
# Dictionary entries are used where the actor is listed (Pentagon -> USAMIL, Hamas ->
# PSEREBHMS, Islamic State -> IMGMUSISI, Arab League -> IGOMEAARL); otherwise the code is the
# country plus the agent for the actor's role in the text. Add a code here before using it.
ACTOR_CODES = {
    # countries: as actors (including capitals used for governments) and as places
    "ARM": "Armenia", "AZE": "Azerbaijan", "BFA": "Burkina Faso", "CAN": "Canada",
    "CHN": "China", "COD": "DR Congo", "DEU": "Germany", "DZA": "Algeria", "ETH": "Ethiopia",
    "FRA": "France", "GBR": "United Kingdom", "HTI": "Haiti", "IRN": "Iran", "IRQ": "Iraq",
    "ISR": "Israel", "JAM": "Jamaica", "KEN": "Kenya", "LBN": "Lebanon", "MMR": "Myanmar",
    "NER": "Niger", "NGA": "Nigeria", "PRK": "North Korea", "PSE": "Palestinian territories",
    "QAT": "Qatar", "RUS": "Russia", "RWA": "Rwanda", "SDN": "Sudan", "SLV": "El Salvador",
    "SYR": "Syria", "TUR": "Turkey", "UKR": "Ukraine", "USA": "United States",
    "VEN": "Venezuela",
    "COL": "Colombia",
    "MLI": "Mali",
    "OMN": "Oman",
    "SAU": "Saudi Arabia",
    "THA": "Thailand",
    "BEN": "Benin",
    "BGD": "Bangladesh",
    "GEO": "Georgia",
    "ERI": "Eritrea",
    "TZA": "Tanzania",
    "UGA": "Uganda",
    "YEM": "Yemen",
    "ARE": "United Arab Emirates",
    "DOM": "Dominican Republic",
    "BDI": "Burundi",
    "SSD": "South Sudan",
    # government, security forces, courts, legislature
    "AFGGOV": "Taliban administration (the 2014 dictionary's AFGREB predates its rule)",
    "ARMMIL": "Armenian armed forces", "AZEMIL": "Azerbaijani armed forces",
    "BGDCOP": "Bangladeshi police", "BGDGOV": "Bangladeshi government",
    "BLRCOP": "Belarusian police", "BLRGOV": "Belarusian officials",
    "CODMIL": "Congolese army", "COLGOV": "Colombian government", "COLMIL": "Colombian soldiers",
    "EGYGOV": "Egyptian Foreign Ministry", "ETHGOV": "Ethiopian government",
    "ETHMIL": "Ethiopian army", "FRAGOV": "French government", "FRAMIL": "French troops",
    "GEOCOP": "Georgian police", "HTICOP": "Haitian police", "HTIGOV": "Haitian state (prison)",
    "IRNGOV": "Iranian government", "IRNJUD": "Iranian judges and prosecutors",
    "IRNMIL": "Iranian Revolutionary Guards",
    "IRQGOV": "Iraqi government, Kurdistan Regional Government", "IRQMIL": "Iraqi army",
    "ISRCOP": "Israeli police", "ISRGOV": "Israeli authorities", "ISRMIL": "Israeli military",
    "KENCOP": "Kenyan police", "KENGOV": "Kenyan government",
    "KENJUD": "Law Society of Kenya (lawyers)", "KORMIL": "South Korean military",
    "MDAGOV": "Moldovan ruling party", "MLIGOV": "Malian junta", "MLIMIL": "Malian soldiers",
    "MMRGOV": "Myanmar military government", "MMRMIL": "Myanmar military",
    "NERGOV": "Niger junta", "NGAMIL": "Nigerian military",
    "RUSCOP": "Russian police", "RUSGOV": "Russian government (Kremlin)",
    "RUSGOVMIL": "Russian defence ministry (DEFENCE_MINIST -> GOVMIL)",
    "RUSMIL": "Russian military", "RWAMIL": "Rwandan troops", "SDNMIL": "Sudanese army",
    "SOMCOP": "Somali police", "SOMMIL": "Somali troops", "SRBCOP": "Serbian police",
    "SRBGOV": "Serbian government", "SYRGOV": "Syrian government", "SYRMIL": "Syrian military",
    "TURCOP": "Turkish police", "TURGOV": "Turkish officials (mayor)",
    "TURMIL": "Turkish military", "UKRGOV": "Ukrainian officials", "UKRMIL": "Ukrainian military",
    "USALEG": "US Congress", "USAMIL": "US military (Pentagon)",
    "VENGOV": "Venezuelan state bodies", "VENSPY": "Venezuelan military intelligence",
    "ARMGOV": "Armenian government",
    "COLCOP": "Colombian police",
    "VENJUD": "Venezuelan judiciary",
    "YEMGOV": "Yemeni government",
    "AZEGOV": "Azerbaijani government",
    "BDIMIL": "Burundian armed forces",
    "ECUGOV": "Ecuadorian government",
    "KENSPY": "Kenyan security agents",
    "SRBLEG": "Serbian legislature",
    "GEOGOV": "Georgian government",
    "THAGOV": "Thai government",
    "ITAMIL": "Italian navy",
    "SDNGOV": "Sudanese government",
    "UGAMIL": "Ugandan armed forces",
    "ARMCOP": "Armenian police",
    "BFAGOV": "Burkinabe government",
    "GEOJUD": "Georgian judiciary",
    # non-state actors
    "BGDEDU": "Bangladeshi students", "BGDOPP": "Bangladeshi protesters",
    "BLRMED": "Belarusian journalists", "BLROPP": "Belarusian protesters",
    "CHNBUS": "Chinese banks", "CODREB": "M23", "CODUAF": "pro-government militias (DR Congo)",
    "COLREB": "ELN", "ETHREB": "Fano", "FRAAGR": "French farmers",
    "FRACVL": "French nationals", "FRAMED": "French media", "GBRNGO": "British aid workers",
    "GEOOPP": "Georgian protesters", "HTICRM": "Haitian gangs",
    "IRNOPP": "Iranian protesters", "IRQCVL": "Iraqi civilians",
    "IRQUAF": "militias in Iraq", "ISROPP": "Israeli protesters",
    "KENOPP": "Kenyan protesters", "LBNREB": "Hezbollah", "MDAOPP": "Moldovan opposition",
    "MLICVL": "Malian civilians", "MMRCVL": "Myanmar civilians",
    "MMRREB": "Myanmar armed resistance", "NGACRM": "bandits (Nigeria)",
    "NGACVL": "Nigerian civilians", "NGAREB": "Boko Haram", "PSECVL": "Palestinian civilians",
    "PSEREBHMS": "Hamas", "RUSOPP": "Russian opposition", "SDNCVL": "Sudanese civilians",
    "SDNREB": "Rapid Support Forces", "SOMCVL": "Somali civilians", "SOMREB": "al-Shabaab",
    "SRBAGR": "Serbian farmers", "SRBEDU": "Serbian students", "SRBOPP": "Serbian protesters",
    "SYRCVL": "Syrian civilians", "SYRREB": "Syrian rebels", "TUREDU": "Turkish students",
    "TUROPP": "Turkish protesters", "TURREB": "PKK", "UKRMED": "Ukrainian journalists",
    "VENOPP": "Venezuelan opposition", "YEMREB": "Houthis",
    "ARMAGR": "Armenian farmers",
    "BFAREB": "Burkinabe rebels",
    "COLCRM": "Colombian criminal gangs",
    "COLCVL": "Colombian civilians",
    "BGDBUS": "Bangladeshi businesses",
    "BGDLAB": "Bangladeshi workers",
    "MLIREB": "Malian rebels",
    "VENMED": "Venezuelan journalists",
    "CANCVL": "Canadian civilians",
    "CODCVL": "Congolese civilians",
    "ETHCVL": "Ethiopian civilians",
    "HTICVL": "Haitian civilians",
    "UGAOPP": "Ugandan opposition and protesters",
    "GRCBUS": "Greek shipowners",
    "CANBUS": "Canadian businesses",
    "MMRMED": "Myanmar journalists",
    "THACVL": "Thai civilians",
    "YEMCVL": "Yemeni civilians",
    "GEONGO": "Georgian NGOs (lawyers' association)",
    "BDIREB": "Burundian rebels",
    "ETHUAF": "Ethiopian militias",
    "UGAREB": "Ugandan rebels",
    "YEMUAF": "Yemeni militias",
    "GEOMED": "Georgian journalists",
    "MMRREF": "Rohingya refugees",
    "SDNNGO": "aid workers in Sudan",
    "GEOEDU": "Georgian students",
    # international and transnational actors
    "IGOAFRAFU": "African Union", "IGOEUREEC": "European Union",
    "IGOMEAARL": "Arab League", "IGOUNO": "United Nations", "IGOUNOIAE": "IAEA",
    "IGOUNOREFHCR": "UNHCR", "IGOUNOWFP": "World Food Programme",
    "IGOWAFBUSWAS": "ECOWAS", "IMGMUSISI": "Islamic State",
    "NGOHLHIRC": "International Committee of the Red Cross", "NGOHRI": "Human Rights Watch",
    "NGOHRIAMN": "Amnesty International",
    "NGOHLH": "humanitarian NGO (Norwegian Refugee Council)",
}

PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "him", "her", "them", "us",
            "each other", "anyone", "everyone", "those"}
OPEN_QUOTES = "“‘\"'«"
CLOSE_QUOTES = "”’\"'»"

HEADER_RE = re.compile(r"^=== ((dev|test)-\d{3})\s*$")
HANDLE_RE = re.compile(r"^[a-z][a-z0-9_]*$")
ROLE_RE = re.compile(
    r"^(?P<handle>[a-z][a-z0-9_]*)\[(?P<code>[A-Z]+|-)\](?:=(?P<entity>[a-z][a-z0-9_]*))?$"
)
ACTION_RE = re.compile(r"^(?P<handle>[a-z][a-z0-9_]*)\((?P<cameo>\d{3,4})\)$")
SOURCE_RE = re.compile(r"^(?P<handle>[a-z][a-z0-9_]*)(?:=(?P<entity>[a-z][a-z0-9_]*))?$")


class GoldError(Exception):
    pass


class Problems:
    """Collects every error so one run reports all of them."""

    def __init__(self):
        self.items = []

    def add(self, where, message):
        self.items.append(f"{where}: {message}")


# ---------------------------------------------------------------- inline markup


def parse_inline(marked, where):
    """Turn `[span]{TAGS}` markup into (plain text, spans).

    Each span is a dict with start, end, labels (entity labels) and handles. Spans nest;
    `\\[ \\] \\{ \\} \\\\` are literal characters.
    """
    out = []
    spans = []
    stack = []
    i = 0
    n = len(marked)
    while i < n:
        c = marked[i]
        if c == "\\":
            if i + 1 < n and marked[i + 1] in "[]{}\\":
                out.append(marked[i + 1])
                i += 2
                continue
            raise GoldError(f"{where}: stray backslash at markup position {i}")
        if c == "[":
            stack.append(len(out))
            i += 1
            continue
        if c == "]":
            if not stack:
                raise GoldError(f"{where}: ']' without '[' at markup position {i}")
            if i + 1 >= n or marked[i + 1] != "{":
                raise GoldError(
                    f"{where}: ']' must be followed by '{{tags}}' at markup position {i}"
                    f" (context: {marked[max(0, i - 30):i + 5]!r})"
                )
            close = marked.find("}", i + 2)
            if close < 0:
                raise GoldError(f"{where}: unclosed '{{' at markup position {i + 1}")
            tags = marked[i + 2:close].split()
            start = stack.pop()
            end = len(out)
            labels, handles = [], []
            for tag in tags:
                if tag in ENTITY_LABELS:
                    labels.append(tag)
                elif HANDLE_RE.match(tag):
                    handles.append(tag)
                else:
                    raise GoldError(f"{where}: unknown tag {tag!r} on span {''.join(out[start:end])!r}")
            if not tags:
                raise GoldError(f"{where}: empty tag list on span {''.join(out[start:end])!r}")
            if len(labels) > 1:
                raise GoldError(f"{where}: two entity labels on one span: {labels}")
            spans.append({"start": start, "end": end, "labels": labels, "handles": handles})
            i = close + 1
            continue
        if c in "{}":
            raise GoldError(
                f"{where}: unescaped {c!r} at markup position {i}"
                f" (context: {marked[max(0, i - 30):i + 5]!r})"
            )
        out.append(c)
        i += 1
    if stack:
        raise GoldError(f"{where}: {len(stack)} '[' never closed")
    return "".join(out), spans


# ---------------------------------------------------------------- source files


def read_source(path, split):
    """Yield raw records: dict(id, line, phenomena, text_lines, ann_lines)."""
    records = []
    cur = None
    state = None
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for lineno, raw in enumerate(lines, 1):
        line = raw.rstrip()
        m = HEADER_RE.match(line)
        if m:
            if m.group(2) != split:
                raise GoldError(f"{path}:{lineno}: id {m.group(1)} in the {split} file")
            cur = {"id": m.group(1), "line": lineno, "phenomena": None,
                   "text_lines": [], "ann_lines": []}
            records.append(cur)
            state = "phenomena"
            continue
        if line.startswith("=== "):
            raise GoldError(f"{path}:{lineno}: malformed header {line!r}")
        if cur is None:
            if line and not line.startswith("#"):
                raise GoldError(f"{path}:{lineno}: text before the first record header")
            continue
        if state == "phenomena":
            if not line or line.startswith("#"):
                continue
            if not line.startswith("phenomena:"):
                raise GoldError(f"{path}:{lineno}: expected 'phenomena:' after the header")
            cur["phenomena"] = [p.strip() for p in line[len("phenomena:"):].split(",") if p.strip()]
            state = "text"
            continue
        if state == "text":
            if line == "---":
                state = "ann"
                continue
            cur["text_lines"].append((lineno, line))
            continue
        if state == "ann":
            if not line or line.startswith("#"):
                continue
            cur["ann_lines"].append((lineno, line))
    for r in records:
        if r["phenomena"] is None:
            raise GoldError(f"{path}:{r['line']}: {r['id']} has no phenomena line")
    return records


def build_record(raw, path, problems):
    rid = raw["id"]
    where = f"{path}:{raw['line']} [{rid}]"
    tl = list(raw["text_lines"])
    while tl and not tl[0][1].strip():
        tl.pop(0)
    while tl and not tl[-1][1].strip():
        tl.pop()
    if not tl:
        raise GoldError(f"{where}: empty text")
    for lineno, line in tl:
        if not line.strip():
            raise GoldError(f"{path}:{lineno} [{rid}]: blank line inside the text block")
        if line != line.strip():
            raise GoldError(f"{path}:{lineno} [{rid}]: text line has surrounding whitespace")
    text, spans = parse_inline("\n".join(line for _, line in tl), where)

    # handles -> span
    by_handle = {}
    for sp in spans:
        for h in sp["handles"]:
            if h in by_handle:
                raise GoldError(f"{where}: handle {h!r} defined twice")
            by_handle[h] = sp

    def span_obj(sp):
        return {"start": sp["start"], "end": sp["end"], "text": text[sp["start"]:sp["end"]]}

    # entities, sorted by position
    ent_spans = sorted((sp for sp in spans if sp["labels"]), key=lambda s: (s["start"], s["end"]))
    entities = []
    ent_index = {}
    for idx, sp in enumerate(ent_spans):
        e = span_obj(sp)
        e["label"] = sp["labels"][0]
        entities.append(e)
        ent_index[id(sp)] = idx
    for a, b in zip(ent_spans, ent_spans[1:]):
        if b["start"] < a["end"]:
            problems.add(where, f"overlapping entities {text[a['start']:a['end']]!r} / {text[b['start']:b['end']]!r}")

    def lookup(h, lineno, what):
        if h not in by_handle:
            raise GoldError(f"{path}:{lineno} [{rid}]: unknown handle {h!r} ({what})")
        return by_handle[h]

    def resolve_entity(sp, ent_handle, lineno, what):
        """Entity index of a role span: itself if it is an entity, else the `=handle` one."""
        own = ent_index.get(id(sp))
        if ent_handle is not None:
            target = lookup(ent_handle, lineno, what + " entity")
            if id(target) not in ent_index:
                raise GoldError(f"{path}:{lineno} [{rid}]: {what} entity {ent_handle!r} is not an entity span")
            if own is not None and own != ent_index[id(target)]:
                raise GoldError(f"{path}:{lineno} [{rid}]: {what} is itself an entity; '=' must not point elsewhere")
            return ent_index[id(target)]
        return own

    quotes = []
    events = []
    for lineno, line in raw["ann_lines"]:
        toks = line.split()
        kind = toks[0]
        if kind == "Q":
            if len(toks) != 5 or toks[4] not in ("direct", "indirect"):
                raise GoldError(f"{path}:{lineno} [{rid}]: quote line must be 'Q content source cue direct|indirect'")
            content = lookup(toks[1], lineno, "quote content")
            if toks[2] == "-":
                source = None
            else:
                m = SOURCE_RE.match(toks[2])
                if not m:
                    raise GoldError(f"{path}:{lineno} [{rid}]: bad quote source {toks[2]!r}")
                ssp = lookup(m.group("handle"), lineno, "quote source")
                source = span_obj(ssp)
                source["entity"] = resolve_entity(ssp, m.group("entity"), lineno, "quote source")
                source["_span"] = ssp
            if toks[3] == "-":
                cue = None
            else:
                cue = span_obj(lookup(toks[3], lineno, "quote cue"))
            q = {"content": span_obj(content), "source": source, "cue": cue,
                 "direct": toks[4] == "direct", "_line": lineno}
            quotes.append(q)
        elif kind == "E":
            rest = toks[1:]
            if len(rest) < 3:
                raise GoldError(f"{path}:{lineno} [{rid}]: event line must be 'E actor action target [flags]'")
            roles = {}
            for name, tok in (("actor", rest[0]), ("target", rest[2])):
                if tok == "-":
                    roles[name] = None
                    continue
                m = ROLE_RE.match(tok)
                if not m:
                    raise GoldError(f"{path}:{lineno} [{rid}]: bad {name} {tok!r} (want handle[CODE] or handle[-], optional =entity)")
                rsp = lookup(m.group("handle"), lineno, name)
                obj = span_obj(rsp)
                code = m.group("code")
                if code != "-" and code not in ACTOR_CODES:
                    problems.add(f"{path}:{lineno} [{rid}]", f"{name} code {code!r} is not in ACTOR_CODES")
                obj["code"] = None if code == "-" else code
                obj["entity"] = resolve_entity(rsp, m.group("entity"), lineno, name)
                roles[name] = obj
            m = ACTION_RE.match(rest[1])
            if not m:
                raise GoldError(f"{path}:{lineno} [{rid}]: bad action {rest[1]!r} (want handle(CAMEO))")
            cameo = m.group("cameo")
            if cameo not in CAMEO:
                raise GoldError(f"{path}:{lineno} [{rid}]: CAMEO code {cameo} is not in the CAMEO table")
            action = span_obj(lookup(m.group("handle"), lineno, "action"))
            action.update({"cameo": cameo, "root": cameo[:2], "plover": CAMEO[cameo][0]})
            negated = False
            modality = None
            for flag in rest[3:]:
                if flag == "not":
                    negated = True
                elif flag in MODALITIES:
                    if modality is not None:
                        raise GoldError(f"{path}:{lineno} [{rid}]: two modalities")
                    modality = flag
                else:
                    raise GoldError(f"{path}:{lineno} [{rid}]: unknown event flag {flag!r}")
            if roles["actor"] is None and roles["target"] is None:
                problems.add(f"{path}:{lineno} [{rid}]", "event with neither actor nor target")
            events.append({"actor": roles["actor"], "action": action, "target": roles["target"],
                           "negated": negated, "modality": modality, "quote": None,
                           "_line": lineno})
        else:
            raise GoldError(f"{path}:{lineno} [{rid}]: annotation lines start with 'Q' or 'E'")

    # deterministic order: quotes by content position, events by action then roles
    def pos(o):
        return (o["start"], o["end"]) if o else (-1, -1)

    quotes.sort(key=lambda q: (pos(q["content"]), pos(q["source"]), pos(q["cue"])))
    events.sort(key=lambda e: (pos(e["action"]), pos(e["actor"]), pos(e["target"])))

    # statement events: an event whose action span is a quote's cue and whose actor span is
    # that quote's source is that quote's event (coordinated speakers give one quote each)
    for e in events:
        cue_hits = [qi for qi, q in enumerate(quotes) if q["cue"] and pos(q["cue"]) == pos(e["action"])]
        if not cue_hits:
            continue
        linked = [qi for qi in cue_hits
                  if quotes[qi]["source"] and e["actor"] and pos(quotes[qi]["source"]) == pos(e["actor"])]
        if len(linked) != 1:
            problems.add(f"{path}:{e['_line']} [{rid}]",
                         f"event action is a quote cue but {len(linked)} of those quotes have its actor as source")
            continue
        e["quote"] = linked[0]
    for qi, q in enumerate(quotes):
        if q["cue"] is None or q["source"] is None:
            continue
        # a cue that is itself a CAMEO action (accuse, deny, urge ...) must have its event
        cue_is_action = any(pos(e["action"]) == pos(q["cue"]) for e in events)
        if cue_is_action and not any(e["quote"] == qi for e in events):
            problems.add(f"{path}:{q['_line']} [{rid}]", "quote cue is an event action but no event has this quote's source as actor")
    for e in events:
        if e["quote"] is not None and e["modality"] is not None:
            problems.add(f"{path}:{e['_line']} [{rid}]", "a statement event carries no modality")

    record = {"id": rid, "text": text, "phenomena": [], "entities": entities,
              "quotes": quotes, "events": events}
    check_record(record, raw, path, problems)
    for q in quotes:
        q.pop("_line", None)
        if q["source"]:
            q["source"].pop("_span", None)
    for e in events:
        e.pop("_line", None)
    return record


# ---------------------------------------------------------------- validation


def is_word_char(c):
    return c.isalnum() or c == "_"


def check_span(text, obj, where, what, problems):
    s, e = obj["start"], obj["end"]
    if not (0 <= s < e <= len(text)):
        problems.add(where, f"{what} offsets {s}:{e} out of range or empty")
        return
    if text[s:e] != obj["text"]:
        problems.add(where, f"{what} text mismatch: text[{s}:{e}]={text[s:e]!r} != {obj['text']!r}")
    if obj["text"] != obj["text"].strip():
        problems.add(where, f"{what} {obj['text']!r} has leading or trailing whitespace")
    if s > 0 and is_word_char(text[s]) and is_word_char(text[s - 1]):
        problems.add(where, f"{what} {obj['text']!r} starts inside a word")
    if e < len(text) and is_word_char(text[e - 1]) and is_word_char(text[e]):
        problems.add(where, f"{what} {obj['text']!r} ends inside a word")


def check_record(rec, raw, path, problems):
    rid = rec["id"]
    where = f"{path}:{raw['line']} [{rid}]"
    text = rec["text"]
    ents = rec["entities"]

    # phenomena vocabulary and canonical order
    ph = raw["phenomena"]
    for p in ph:
        if p not in PHENOMENA:
            problems.add(where, f"unknown phenomenon {p!r}")
    if len(set(ph)) != len(ph):
        problems.add(where, "phenomenon listed twice")
    rec["phenomena"] = sorted(set(p for p in ph if p in PHENOMENA), key=PHENOMENA.index)

    # every span is text[start:end]
    for i, e in enumerate(ents):
        check_span(text, e, where, f"entity {i}", problems)
        if e["label"] not in ENTITY_LABELS:
            problems.add(where, f"entity {i} label {e['label']!r}")
        if e["text"].lower().startswith("the "):
            problems.add(where, f"entity {e['text']!r} starts with a determiner")
        if e["text"].endswith(("’s", "'s")):
            problems.add(where, f"entity {e['text']!r} includes a possessive")
    for qi, q in enumerate(rec["quotes"]):
        for role in ("content", "source", "cue"):
            if q[role] is not None:
                check_span(text, q[role], where, f"quote {qi} {role}", problems)
        if q["source"] is not None:
            ent = q["source"]["entity"]
            if ent is not None and not (0 <= ent < len(ents)):
                problems.add(where, f"quote {qi} source entity index {ent} out of range")
        c = q["content"]
        before = text[c["start"] - 1] if c["start"] > 0 else ""
        after = text[c["end"]] if c["end"] < len(text) else ""
        if q["direct"]:
            if before not in OPEN_QUOTES or after not in CLOSE_QUOTES:
                problems.add(where, f"direct quote {qi} content is not enclosed in quotation marks")
        else:
            if before in OPEN_QUOTES and after in CLOSE_QUOTES:
                problems.add(where, f"indirect quote {qi} content is enclosed in quotation marks")
            if c["text"].startswith(("that ", "That ")):
                problems.add(where, f"indirect quote {qi} content starts with the complementizer")
            if c["text"].endswith("."):
                problems.add(where, f"indirect quote {qi} content ends with the sentence period")
        if c["text"][0] in OPEN_QUOTES + CLOSE_QUOTES and c["text"][-1] in OPEN_QUOTES + CLOSE_QUOTES:
            problems.add(where, f"quote {qi} content includes its quotation marks")
        for role in ("source", "cue"):
            r = q[role]
            if r is not None and c["start"] <= r["start"] and r["end"] <= c["end"]:
                problems.add(where, f"quote {qi} {role} lies inside its own content")
        src = q["source"]
        if src is not None and src["entity"] is not None and 0 <= src["entity"] < len(ents):
            check_entity_link(src, ents, where, f"quote {qi} source", problems)
        if src is not None and src["text"].lower() in PRONOUNS:
            if src["entity"] is None:
                problems.add(where, f"quote {qi} pronoun source {src['text']!r} is not resolved")
            elif ents[src["entity"]]["start"] >= src["start"]:
                problems.add(where, f"quote {qi} pronoun source resolves to a later entity")
    for ei, ev in enumerate(rec["events"]):
        check_span(text, ev["action"], where, f"event {ei} action", problems)
        for role in ("actor", "target"):
            r = ev[role]
            if r is None:
                continue
            check_span(text, r, where, f"event {ei} {role}", problems)
            if r["text"].lower().startswith(("the ", "a ", "an ")):
                problems.add(where, f"event {ei} {role} {r['text']!r} starts with a determiner")
            if r["entity"] is not None and not (0 <= r["entity"] < len(ents)):
                problems.add(where, f"event {ei} {role} entity index out of range")
            else:
                check_entity_link(r, ents, where, f"event {ei} {role}", problems)
        if ev["actor"] and ev["target"] and (ev["actor"]["start"], ev["actor"]["end"]) == (ev["target"]["start"], ev["target"]["end"]):
            problems.add(where, f"event {ei} actor and target are the same span")
        if ev["action"]["cameo"][:2] != ev["action"]["root"]:
            problems.add(where, f"event {ei} root mismatch")
    for qi, q in enumerate(rec["quotes"]):
        if q["source"] is not None:
            s = q["source"]
            if s["text"].lower().startswith(("the ", "a ", "an ")):
                problems.add(where, f"quote {qi} source {s['text']!r} starts with a determiner")

    # phenomena that can be decided from the annotation must agree with it
    quotes, events = rec["quotes"], rec["events"]
    decided = {
        "non-ascii": any(ord(ch) > 127 for ch in text),
        "negation": any(e["negated"] for e in events),
        "modality": any(e["modality"] for e in events),
        "statement-cue": any(e["quote"] is not None for e in events),
        "direct-quote": any(q["direct"] for q in quotes),
        "indirect-quote": any(not q["direct"] for q in quotes),
        "pronoun-source": any(
            q["source"] and q["source"]["text"].lower() in PRONOUNS and q["source"]["entity"] is not None
            for q in quotes),
        "description-source": any(
            q["source"] and q["source"]["text"].lower() not in PRONOUNS
            and q["source"]["entity"] is not None
            and (q["source"]["start"], q["source"]["end"]) != (ents[q["source"]["entity"]]["start"], ents[q["source"]["entity"]]["end"])
            for q in quotes),
        "coordination": has_coordination(events),
        "agent-actor": any(is_agent_role(e[r], ents) for e in events for r in ("actor", "target")),
        "pronoun-actor": any(e[r] is not None and e[r]["text"].lower() in PRONOUNS
                             for e in events for r in ("actor", "target")),
    }
    for name, present in decided.items():
        listed = name in rec["phenomena"]
        if present and not listed:
            problems.add(where, f"annotation shows {name!r} but phenomena does not list it")
        if listed and not present:
            problems.add(where, f"phenomena lists {name!r} but the annotation has none")
    # the others are the annotator's call; require the minimum evidence
    if "quote-next-sentence" in rec["phenomena"]:
        if not any(q["source"] and q["source"]["start"] > q["content"]["end"]
                   and re.search(r"[.?!…][”’\"']?\s", text[q["content"]["start"]:q["source"]["start"]])
                   for q in quotes):
            problems.add(where, "quote-next-sentence listed but no quote has its source after a sentence end")
    # a possessive actor or target must be listed; the tag may also stand on possessives the
    # script cannot see (*her arrest*, *the assets of six judges*)
    if any(is_possessive_role(e[r], text, ents) for e in events for r in ("actor", "target")):
        if "possessive" not in rec["phenomena"]:
            problems.add(where, "annotation shows 'possessive' but phenomena does not list it")
    for name in ("active", "passive", "nominal"):
        if name in rec["phenomena"] and not events:
            problems.add(where, f"{name!r} listed but the record has no events")


def same_span(a, b):
    return (a["start"], a["end"]) == (b["start"], b["end"])


def check_entity_link(role, ents, where, what, problems):
    """A description (not a name, not a pronoun) links only to a PER or ORG it stands for."""
    if role["entity"] is None:
        return
    ent = ents[role["entity"]]
    if same_span(role, ent) or role["text"].lower() in PRONOUNS:
        return
    if ent["label"] not in ("PER", "ORG"):
        problems.add(where, f"{what} {role['text']!r} is a description linked to {ent['label']} {ent['text']!r}; "
                            "descriptions link only to PER or ORG entities")


def is_agent_role(role, ents):
    """An unnamed group or institution coded with an agent: 'Syrian army', 'protesters'."""
    if role is None or role["code"] is None or len(role["code"]) <= 3:
        return False
    if role["text"].lower() in PRONOUNS:
        return False
    return not any(same_span(role, e) for e in ents)


POSSESSIVE_RE = re.compile(r"\w(’s|'s|s’|s')(?!\w)")


def is_possessive_role(role, text, ents):
    """An actor or target in a possessive: *Armenia’s foreign ministry*, *gangs’ leader*
    (the span keeps its possessor), *Peru*’s bid (the span is the possessor) or *Iran*’s
    *Revolutionary Guards* (the span is the name after its possessor). A possessive inside
    a name (*Sudan People’s Liberation Movement-North*) does not count."""
    if role is None:
        return False
    s, e = role["start"], role["end"]
    for m in POSSESSIVE_RE.finditer(text, s, e):
        ms, me = m.start() + 1, m.end()
        if not any(ent["start"] <= ms and me <= ent["end"] for ent in ents):
            return True
    if re.match(r"(’s|'s)(?!\w)", text[e:e + 2]) or (text[e - 1:e] == "s" and re.match(r"[’'](?!\w)", text[e:e + 1])):
        return True
    return bool(re.search(r"\w(’s|'s|s’) $", text[max(0, s - 30):s]))


def has_coordination(events):
    """Two events share an action span and differ in one role: coordinated actors or targets."""
    for i, a in enumerate(events):
        for b in events[i + 1:]:
            if (a["action"]["start"], a["action"]["end"]) == (b["action"]["start"], b["action"]["end"]):
                return True
    return False


def check_plover_table(path, problems):
    table = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^(\d{3,4}):\s*([A-Z]+)", line)
            if m:
                table.setdefault(m.group(1), m.group(2))
    for code, (plover, _desc) in sorted(CAMEO.items()):
        if code[:2] in ("01", "02"):
            if code in table:
                problems.add(path, f"{code} has a PLOVER entry {table[code]} but the gold table says none")
        elif table.get(code) != plover:
            problems.add(path, f"CAMEO {code}: gold table says {plover}, {os.path.basename(path)} says {table.get(code)}")


def verify_jsonl(path):
    """Independent check of a written file: every span is text[start:end], every index valid."""
    errors = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            rec = json.loads(line)
            text, ents, quotes = rec["text"], rec["entities"], rec["quotes"]

            def span(obj, what):
                if obj is None:
                    return
                if text[obj["start"]:obj["end"]] != obj["text"] or obj["start"] >= obj["end"]:
                    errors.append(f"{path}:{lineno} [{rec['id']}]: {what} {obj!r} is not text[start:end]")
                if "entity" in obj and obj["entity"] is not None and not 0 <= obj["entity"] < len(ents):
                    errors.append(f"{path}:{lineno} [{rec['id']}]: {what} entity index out of range")

            for i, e in enumerate(ents):
                span(e, f"entity {i}")
            for i, q in enumerate(quotes):
                for role in ("content", "source", "cue"):
                    span(q[role], f"quote {i} {role}")
            for i, ev in enumerate(rec["events"]):
                for role in ("actor", "action", "target"):
                    span(ev[role], f"event {i} {role}")
                if ev["quote"] is not None and not 0 <= ev["quote"] < len(quotes):
                    errors.append(f"{path}:{lineno} [{rec['id']}]: event {i} quote index out of range")
    return errors


# ---------------------------------------------------------------- main


def dumps(rec):
    return json.dumps(rec, ensure_ascii=False)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="validate only; write nothing")
    ap.add_argument("--plover-table", default=None,
                    help="CAMEO2PLOVER-2021.txt to cross-check the CAMEO table against "
                         "(default: ../shared/corpora/plover/ seen from the project root, if present)")
    args = ap.parse_args(argv)

    problems = Problems()
    out = {}
    try:
        for split in SPLITS:
            path = os.path.join(SOURCE_DIR, f"{split}.txt")
            rel = os.path.relpath(path, os.path.join(HERE, ".."))
            raws = read_source(path, split)
            recs = [build_record(r, rel, problems) for r in raws]
            ids = [r["id"] for r in recs]
            expected = [f"{split}-{i:03d}" for i in range(1, len(recs) + 1)]
            if ids != expected:
                problems.add(rel, f"ids must run {expected[0]}..{expected[-1]} in order")
            if len(recs) < MIN_RECORDS[split]:
                problems.add(rel, f"{len(recs)} records, need at least {MIN_RECORDS[split]}")
            out[split] = recs
    except GoldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        print("nothing written", file=sys.stderr)
        return 1

    # the splits must not share texts
    dev_texts = {r["text"] for r in out["dev"]}
    for r in out["test"]:
        if r["text"] in dev_texts:
            problems.add(r["id"], "text also appears in dev")
    all_texts = [r["text"] for s in SPLITS for r in out[s]]
    if len(set(all_texts)) != len(all_texts):
        problems.add("gold", "duplicate paragraph text")

    # coverage
    counts = {s: {p: sum(p in r["phenomena"] for r in out[s]) for p in PHENOMENA} for s in SPLITS}
    for s in SPLITS:
        for p in PHENOMENA:
            if counts[s][p] < MIN_COVERAGE[s]:
                problems.add(s, f"phenomenon {p!r} in {counts[s][p]} records, need {MIN_COVERAGE[s]}")

    table = args.plover_table or (DEFAULT_PLOVER_TABLE if os.path.exists(DEFAULT_PLOVER_TABLE) else None)
    if table:
        check_plover_table(table, problems)

    if problems.items:
        for p in problems.items:
            print(f"error: {p}", file=sys.stderr)
        print(f"{len(problems.items)} problem(s); nothing written", file=sys.stderr)
        return 1

    # report
    print(f"{'phenomenon':<22}" + "".join(f"{s:>7}" for s in SPLITS))
    for p in PHENOMENA:
        print(f"{p:<22}" + "".join(f"{counts[s][p]:>7}" for s in SPLITS))
    for key in ("records", "entities", "quotes", "events"):
        vals = [len(out[s]) if key == "records" else sum(len(r[key]) for r in out[s]) for s in SPLITS]
        print(f"{key:<22}" + "".join(f"{v:>7}" for v in vals))
    dev_names = {e["text"] for r in out["dev"] for e in r["entities"]}
    shared = sorted({e["text"] for r in out["test"] for e in r["entities"]} & dev_names)
    print(f"entity strings in both splits ({len(shared)}): {', '.join(shared)}")
    print(f"PLOVER table cross-check: {'done against ' + os.path.normpath(table) if table else 'skipped (table not found)'}")

    if args.check:
        return 0
    for s in SPLITS:
        path = os.path.join(OUT_DIR, f"{s}.jsonl")
        tmp = path + ".tmp"
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            for r in out[s]:
                f.write(dumps(r) + "\n")
        # re-read and re-validate what was written: offsets must survive the round trip
        with open(tmp, encoding="utf-8") as f:
            for line, r in zip(f, out[s]):
                back = json.loads(line)
                if back != r:
                    print(f"error: {s} {r['id']} changed in the JSON round trip", file=sys.stderr)
                    return 1
        bad = verify_jsonl(tmp)
        if bad:
            for b in bad:
                print(f"error: {b}", file=sys.stderr)
            os.remove(tmp)
            return 1
        os.replace(tmp, path)
        print(f"wrote {os.path.relpath(path, os.path.join(HERE, '..'))} ({len(out[s])} records)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
