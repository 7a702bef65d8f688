"""Is a message written in English? The knowledge base, the safety rules and the answers are English only.

Transparent and small: a message in another script (mostly non-Latin letters) is not English; a Latin-script
message is not English when the common little words of another language clearly outnumber English ones
("la", "es", "est", "ist", "nicht"...). Short or mixed messages count as English, so a medicine name or a
one-word question is never turned away.
"""

from __future__ import annotations

import re
import unicodedata

# Common function words per language, chosen so that none of them is also a common English word.
FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "English": frozenset("the is are was and or of to in it my i you what how why can does do with for not this that "
                         "have has should will be on at from about when which your me".split()),
    "Spanish": frozenset("el la los las es y o del que qué por para una uno mi tengo puedo cómo como está estoy muy "
                         "pero con sin también cuando hay".split()),
    "French": frozenset("le la les est sont et ou du des que qui une mon ma mes je peux comment pourquoi avec sans "
                        "très mais aussi quand il ce cette c'est j'ai".split()),
    "German": frozenset("der das ist sind und oder von zu mit für nicht ich mein meine kann wie warum haben habe "
                        "auch wenn ein eine einen sehr".split()),
    "Portuguese": frozenset("os é são da dos das que para uma meu minha eu posso como por com sem muito mas também "
                            "quando tenho".split()),
    "Italian": frozenset("il lo gli le è sono e o del della che una un mio mia io posso perché con senza molto ma "
                         "anche quando ho".split()),
    "Dutch": frozenset("de het een zijn en van voor met niet ik mijn kan hoe waarom ook als heb wat zeer "
                       "maar".split()),
}
_TOKEN = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)


def _script(ch: str) -> str:
    try:
        return unicodedata.name(ch).split()[0]
    except ValueError:
        return "UNKNOWN"


def detect_language(text: str) -> str:
    """"English", another language's name, or "<SCRIPT> script" for mostly non-Latin letters."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return "English"
    non_latin = [c for c in letters if _script(c) != "LATIN"]
    if len(non_latin) > len(letters) / 2:
        script = max({_script(c) for c in non_latin}, key=lambda s: sum(_script(c) == s for c in non_latin))
        return f"{script.title()} script"
    words = [w.lower() for w in _TOKEN.findall(text)]
    if len(words) < 3:
        return "English"
    counts = {lang: sum(w in vocab for w in words) for lang, vocab in FUNCTION_WORDS.items()}
    english = counts.pop("English")
    top = max(counts.values())
    if not top or not (english == 0 or (top >= 2 and top > 2 * english)):
        return "English"
    leaders = [lang for lang, n in counts.items() if n == top]
    return leaders[0] if len(leaders) == 1 else "another language"


def not_english_message(language: str) -> str:
    where = f"looks like it is in {language}" if language in FUNCTION_WORDS else "does not look like English"
    return (f"I can only read and answer questions in English for now, and your message {where}. "
            "Please ask again in English, or ask your doctor, nurse or pharmacist. If you feel very "
            "unwell, have trouble breathing, or might harm yourself, call your local emergency number now "
            "(for example 112, 999 or 911).")
