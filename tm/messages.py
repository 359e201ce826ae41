"""The message catalogue: every text tm shows a user that has a stable key, in English and
French (QA and glossary findings, score penalties, the analysis report's categories, the
service's errors and validation messages).

A key names a message for good; its texts are templates (`str.format` fields). A field
written `{kind!w}` is itself a key's value looked up under `word/…` (`{kind!w}` with
`kind="date"` is "date", in French "date"; `percentage` is "pourcentage"). English is the
language of the API, the CLI and the logs; the web page asks for French (`Accept-Language`).

>>> say("flagged-pair", "fr", why="misaligned")
'le contrôle de qualité doute de cette paire (mal alignée) : vérifiez l’anglais avant de l’utiliser'
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from functools import cache
from typing import Any

LANGUAGES = ("en", "fr")
"""The catalogue's languages, the first the default."""

CATALOGUE: dict[str, tuple[str, str]] = {
    # ---- QA findings (tm.quality.qa); a key's part before "/" is the finding's code
    "empty-target": ("the translation is empty", "la traduction est vide"),
    "untranslated/copy": (
        "the English is a copy of the French",
        "l’anglais est une copie du français",
    ),
    "untranslated/french": ("the English looks like French", "l’anglais ressemble à du français"),
    "partly-untranslated": (
        "French words left in the English: “{text}”",
        "mots français restés dans l’anglais : « {text} »",
    ),
    "partly-untranslated/name": (
        "French words left in the English: “{text}” (a name?)",
        "mots français restés dans l’anglais : « {text} » (un nom ?)",
    ),
    "placeable-mismatch": (
        "{kind!w} “{text}” is “{other}” in the English",
        "{kind!w} « {text} » devient « {other} » dans l’anglais",
    ),
    "placeable-missing": (
        "{kind!w} “{text}” is missing from the English",
        "{kind!w} « {text} » manque dans l’anglais",
    ),
    "placeable-extra": (
        "{kind!w} “{text}” is not in the French",
        "{kind!w} « {text} » n’est pas dans le français",
    ),
    "paragraph-number/both": (
        "paragraph number “{text}” is “{other}” in the English",
        "le numéro de paragraphe « {text} » devient « {other} » dans l’anglais",
    ),
    "paragraph-number/french": (
        "paragraph number “{text}” is not in the English",
        "le numéro de paragraphe « {text} » n’est pas dans l’anglais",
    ),
    "paragraph-number/english": (
        "paragraph number “{text}” is not in the French",
        "le numéro de paragraphe « {text} » n’est pas dans le français",
    ),
    "length-ratio/short": (
        "the English is {ratio}× the length of the French (expected {low}–{high}): "
        "truncated or incomplete?",
        "l’anglais fait {ratio} fois la longueur du français (attendu : {low} à {high}) : "
        "tronqué ou incomplet ?",
    ),
    "length-ratio/long": (
        "the English is {ratio}× the length of the French (expected {low}–{high}): "
        "additions or another segment?",
        "l’anglais fait {ratio} fois la longueur du français (attendu : {low} à {high}) : "
        "ajouts ou autre segment ?",
    ),
    "french-spacing": (
        "space before “{mark}” (French typography)",
        "espace avant « {mark} » (typographie française)",
    ),
    "french-quotes": ("French quotation mark “{mark}”", "guillemet français « {mark} »"),
    "doubled-word": ("“{word}” twice in a row", "« {word} » deux fois de suite"),
    "tag-missing": (
        "inline tag {tag} is missing from the English",
        "la balise {tag} manque dans l’anglais",
    ),
    "tag-missing/many": (
        "inline tag {tag} is missing from the English ({count}×)",
        "la balise {tag} manque dans l’anglais ({count} fois)",
    ),
    "tag-extra": (
        "inline tag {tag} is not in the French",
        "la balise {tag} n’est pas dans le français",
    ),
    "tag-order": (
        "inline tags are not properly nested in the English",
        "les balises sont mal imbriquées dans l’anglais",
    ),
    # ---- suggested fixes
    "fix/translate": ("translate the segment", "traduisez le segment"),
    "fix/translate-part": ("translate this part", "traduisez ce passage"),
    "fix/add": ("add {value}", "ajoutez {value}"),
    "fix/check-value": (
        "check the value against the French",
        "vérifiez la valeur dans le français",
    ),
    "fix/number-both": (
        "number the paragraph on both sides, or neither",
        "numérotez le paragraphe des deux côtés, ou d’aucun",
    ),
    "fix/compare": (
        "compare with the French sentence by sentence",
        "comparez avec le français phrase par phrase",
    ),
    "fix/insert": ("insert {tag}", "insérez {tag}"),
    "fix/remove": ("remove it", "supprimez-la"),
    "fix/review": (
        "a maintainer can reject it (never suggested again) or confirm it",
        "un terminologue peut la rejeter (elle ne sera plus proposée) ou la confirmer",
    ),
    # ---- glossary compliance (glossaries.compliance) and the doubt on a pair
    "glossary-source-deprecated": (
        'the source uses the {status!w} French term "{term}"',
        "la source emploie le terme français {status!w} « {term} »",
    ),
    "glossary-source-deprecated/better": (
        'the source uses the {status!w} French term "{term}"; preferred: "{better}"',
        "la source emploie le terme français {status!w} « {term} » ; terme privilégié : "
        "« {better} »",
    ),
    "glossary-term-forbidden": (
        '"{rendering}" is a deprecated rendering of "{term}"; use "{english}"',
        "« {rendering} » est une traduction déconseillée de « {term} » ; employez « {english} »",
    ),
    "glossary-term-case": (
        '"{rendering}" for "{term}": the glossary writes "{phrase}"',
        "« {rendering} » pour « {term} » : le glossaire écrit « {phrase} »",
    ),
    "glossary-term-missing": (
        '"{term}" should be translated "{english}"',
        "« {term} » doit être traduit par « {english} »",
    ),
    "glossary-term-missing/others": (
        '"{term}" should be translated "{english}" (or {others})',
        "« {term} » doit être traduit par « {english} » (ou {others})",
    ),
    "flagged-pair": (
        "the quality check doubts this pair ({why}): check the English before using it",
        "le contrôle de qualité doute de cette paire ({why!w}) : vérifiez l’anglais avant de "
        "l’utiliser",
    ),
    # ---- notes on a suggestion (tm.retrieval.matching, adaptation, units): plain strings on a
    # Match, told apart by their English form (`recognised`)
    "note/context": (
        "context match: the neighbouring segment is identical too",
        "correspondance de contexte : le segment voisin est identique aussi",
    ),
    "note/not-found": (
        "placeable {text} not found in target: not substituted",
        "{text} introuvable dans la traduction : non remplacé",
    ),
    "note/date-form": (
        "date {text} differs in form from {other}: not substituted",
        "la date {text} n’a pas la forme de {other} : non remplacée",
    ),
    "note/date-lacking": (
        "date {text} has no counterpart in the TM source: not substituted",
        "la date {text} n’a pas d’équivalent dans la source de la mémoire : non remplacée",
    ),
    "note/date-dropped": (
        "date {text} of the TM source is not in the text: the English keeps it",
        "la date {text} de la source de la mémoire n’est pas dans le texte : l’anglais la garde",
    ),
    # ---- how an evaluation paired the draft with the reference (service.pipelines.evaluation)
    "pairing/in-order": (
        "one to one, in order ({count} segments)",
        "un à un, dans l’ordre ({count} segments)",
    ),
    "pairing/paragraphs": (
        "paragraph by paragraph, by the draft's paragraph ids ({count} paragraphs of "
        "{segments} segments)",
        "paragraphe par paragraphe, d’après les identifiants de paragraphe de la "
        "prétraduction ({count} paragraphes de {segments} segments)",
    ),
    "pairing/sentences": (
        "one to one with the reference's {count} sentences",
        "un à un avec les {count} phrases de la référence",
    ),
    "pairing/aligned": (
        "aligned by tm's aligner: {count} draft segments with the reference's {sentences} "
        "sentences in {pairs} pairs ({kinds})",
        "alignés par l’aligneur de tm : {count} segments de la prétraduction et {sentences} "
        "phrases de la référence en {pairs} paires ({kinds})",
    ),
    # ---- score penalties (tm.retrieval.scoring): what each code means
    "penalty/placeable": ("value substituted", "valeur remplacée"),
    "penalty/case": ("case differs", "casse différente"),
    "penalty/accents": ("accents differ", "accents différents"),
    "penalty/punctuation": ("punctuation differs", "ponctuation différente"),
    "penalty/tags": ("inline tags differ", "balises différentes"),
    "penalty/spacing": ("spacing differs", "espacement différent"),
    "penalty/flagged": ("doubted pair", "paire douteuse"),
    # ---- the analysis report's categories (tm.drafting.analysis)
    "category/101": ("101% (context)", "101 % (contexte)"),
    "category/100": ("100%", "100 %"),
    "category/95-99": ("95–99%", "95–99 %"),
    "category/85-94": ("85–94%", "85–94 %"),
    "category/75-84": ("75–84%", "75–84 %"),
    "category/50-74": ("50–74%", "50–74 %"),
    "category/none": ("no match", "sans correspondance"),
    "category/repetitions": ("repetitions", "répétitions"),
    "category/existing": ("already translated (kept)", "déjà traduit (conservé)"),
    "category/locked": ("not to translate", "à ne pas traduire"),
    # ---- words that fill other messages ({…!w})
    "word/number": ("number", "nombre"),
    "word/date": ("date", "date"),
    "word/percent": ("percent", "pourcentage"),
    "word/amount": ("amount", "montant"),
    "word/time": ("time", "heure"),
    "word/ordinal": ("ordinal", "ordinal"),
    "word/year": ("year", "année"),
    "word/preferred": ("preferred", "privilégié"),
    "word/admitted": ("admitted", "admis"),
    "word/deprecated": ("deprecated", "déconseillé"),
    "word/superseded": ("superseded", "remplacé"),
    # why the quality check doubts a pair (tm.quality.pairs; a list is comma-separated)
    "word/untranslated": ("untranslated", "non traduite"),
    "word/numbers": ("numbers", "nombres discordants"),
    "word/truncated": ("truncated", "tronquée"),
    "word/misaligned": ("misaligned", "mal alignée"),
    "word/uncertain": ("uncertain", "incertaine"),
    "word/low alignment confidence or flagged on import": (
        "low alignment confidence or flagged on import",
        "alignement peu sûr ou signalée à l’import",
    ),
    "word/spacing differs": ("spacing differs", "espacement différent"),
    # ---- the service's errors (service.http)
    "error/key-unknown": ("unknown or revoked API key", "clé d’API inconnue ou révoquée"),
    "error/key-needed": (
        "an API key is needed (header 'Authorization: Bearer <key>')",
        "une clé d’API est nécessaire (en-tête « Authorization: Bearer <clé> »)",
    ),
    "error/role-needed": (
        "an API key with the {needed!w} role is needed",
        "une clé d’API de rôle {needed!w} est nécessaire",
    ),
    "error/role-short": (
        "this action needs the {needed!w} role; the key has {role!w}",
        "cette action demande le rôle {needed!w} ; la clé a le rôle {role!w}",
    ),
    "error/if-match-needed": (
        "send If-Match with the ETag of the term you read",
        "envoyez If-Match avec l’ETag du terme lu",
    ),
    "error/term-changed": (
        "term #{term} changed since it was read (now version {version} by {author} at "
        "{changed}); reload it",
        "le terme n° {term} a changé depuis sa lecture (version {version}, par {author} le "
        "{changed}) : rechargez-le",
    ),
    "error/author-set-by-server": (
        "author is set by the server from the API key ({name}); leave it out instead of "
        "sending {sent}",
        "l’auteur est fixé par le serveur d’après la clé d’API ({name}) : n’envoyez pas {sent}",
    ),
    "error/number-too-large": ("a number is too large: {error}", "nombre trop grand : {error}"),
    "error/no-text": ("holds no text to score", "ne contient aucun texte à évaluer"),
    "error/upload-over": ("the file is over {limit} bytes", "le fichier dépasse {limit} octets"),
    "error/same-upload-name": (
        "two uploads are named {name}",
        "deux fichiers envoyés s’appellent {name}",
    ),
    "error/query-too-long": (
        "a query text has {length} characters: at most {limit} are allowed (TM_MAX_QUERY_CHARS)",
        "un texte de requête compte {length} caractères : {limit} au plus sont permis "
        "(TM_MAX_QUERY_CHARS)",
    ),
    "error/not-translations": (
        "alignment confidence {confidence} < {floor}: probably not translations of each other "
        "(with an empty TM, import parallel data first so that a lexicon can be learned; --force "
        "stores anyway)",
        "confiance de l’alignement {confidence} < {floor} : ces documents ne sont probablement "
        "pas la traduction l’un de l’autre (avec une mémoire vide, importez d’abord des textes "
        "parallèles pour qu’un lexique soit appris ; « Enregistrer même un alignement peu sûr » "
        "ou --force enregistre quand même)",
    ),
    "word/translator": ("translator", "traducteur"),
    "word/maintainer": ("maintainer", "terminologue"),
    "word/admin": ("admin", "administrateur"),
    # ---- validation messages, by pydantic's error type (service.http.errors)
    "invalid/missing": ("Field required", "champ requis"),
    "invalid/string_too_short": (
        "String should have at least {min_length} characters",
        "au moins {min_length} caractère(s)",
    ),
    "invalid/string_too_long": (
        "String should have at most {max_length} characters",
        "au plus {max_length} caractère(s)",
    ),
    "invalid/greater_than_equal": (
        "Input should be greater than or equal to {ge}",
        "doit être supérieur ou égal à {ge}",
    ),
    "invalid/less_than_equal": (
        "Input should be less than or equal to {le}",
        "doit être inférieur ou égal à {le}",
    ),
    "invalid/literal_error": ("Input should be {expected}", "valeur attendue : {expected}"),
    "invalid/int_parsing": ("Input should be a valid integer", "nombre entier attendu"),
    "invalid/float_parsing": ("Input should be a valid number", "nombre attendu"),
    "invalid/bool_parsing": ("Input should be a valid boolean", "booléen attendu"),
    "invalid/json_invalid": ("JSON decode error", "JSON illisible"),
    "invalid/string_type": ("Input should be a valid string", "texte attendu"),
    "invalid/list_type": ("Input should be a valid list", "liste attendue"),
}


class _Formatter(string.Formatter):
    def __init__(self, language: str) -> None:
        self.language = language

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if conversion == "w":
            return word(str(value), self.language)
        return super().convert_field(value, conversion)


def language(accept: str | None) -> str:
    """The catalogue language an `Accept-Language` header prefers (`fr-CA;q=0.9, en;q=0.8`
    is French): the highest-weighted tag whose primary subtag is in the catalogue, English
    when none is."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept or "").split(",")):
        tag, _, weight = part.strip().partition(";q=")
        try:
            quality = float(weight) if weight else 1.0
        except ValueError:
            quality = 0.0
        primary = tag.split("-")[0].strip().lower()
        if primary in LANGUAGES and quality > 0:
            ranked.append((-quality, position, primary))
    return min(ranked)[2] if ranked else LANGUAGES[0]


def known(key: str) -> bool:
    return key in CATALOGUE


def say(key: str, language: str = "en", /, **args: Any) -> str:
    """The message `key` in `language` (English when the language is not catalogued) with
    `args` filled in; KeyError for a key the catalogue lacks."""
    english, french = CATALOGUE[key]
    template = french if language == "fr" else english
    return _Formatter(language).format(template, **args)


def word(value: str, language: str = "en") -> str:
    """A word of another message (`word/VALUE`) in `language`, each of a comma-separated
    list; the value itself when the catalogue has no such word."""
    if ", " in value:
        return ", ".join(word(part, language) for part in value.split(", "))
    key = f"word/{value}"
    return say(key, language) if key in CATALOGUE else value


def recognised(text: str, language: str, family: str) -> str:
    """`text`, a message of the catalogue's `family` (`note`) made in English, in `language`:
    the English template it fills is found and its fields carried over (the text itself when
    none fits)."""
    if language == "en":
        return text
    for key in CATALOGUE:
        if key.startswith(family + "/"):
            found = _pattern(key).fullmatch(text)
            if found:
                return say(key, language, **found.groupdict())
    return text


@cache
def _pattern(key: str) -> re.Pattern[str]:
    """A catalogue key's English template as a pattern, a named group per field."""
    parts = []
    for literal, name, _spec, _conversion in string.Formatter().parse(CATALOGUE[key][0]):
        parts.append(re.escape(literal))
        if name:
            parts.append(f"(?P<{name}>.+?)")
    return re.compile("".join(parts), re.DOTALL)


def rendered(key: str, args: Mapping[str, str], language: str, fallback: str) -> str:
    """`say(key, language, **args)` when `key` is catalogued, else `fallback` (a message
    made before the catalogue knew it, or from outside it)."""
    return say(key, language, **args) if key in CATALOGUE else fallback


__all__ = [
    "CATALOGUE",
    "LANGUAGES",
    "known",
    "language",
    "recognised",
    "rendered",
    "say",
    "word",
]
