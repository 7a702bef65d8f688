"""The patterns and word lists of the de-identifier (assistant/phi.py): field labels, date, phone, address and
identifier formats, name shapes (titles, credentials, particles, capitals), and the words that look like names
but are not. Data for the rules; the rules themselves are in assistant/phi.py."""

from __future__ import annotations

import re

# Letters for name patterns: every upper- and lower-case letter of the Latin (incl. Vietnamese), Greek and Cyrillic
# blocks, as regex ranges built from the Unicode tables (a few hundred code points; built once, on import).
def _letter_ranges(category: str) -> str:
    import unicodedata

    points = [c for lo, hi in ((0x41, 0x24F), (0x370, 0x4FF), (0x1E00, 0x1EFF))
              for c in range(lo, hi + 1) if unicodedata.category(chr(c)) == category]
    out, i = [], 0
    while i < len(points):
        j = i
        while j + 1 < len(points) and points[j + 1] == points[j] + 1:
            j += 1
        out.append(chr(points[i]) if i == j else f"{chr(points[i])}-{chr(points[j])}")
        i = j + 1
    return "".join(out)


_UP = _letter_ranges("Lu")
_LO = _letter_ranges("Ll")

# ---------------------------------------------------------------- labels (assistant/phi_labels.py)
from .phi_labels import (  # noqa: E402,F401  (re-exported)
    _ADDRESS_LABELS, _AGE_LABELS, _DATE_LABELS, _EMAIL_LABELS, _FIELD_END, _ID_LABELS, _LABEL_KINDS, _LABEL_RE,
    _LOOSE_LABEL_RE, _MRN_LABELS, _NAME_LABELS, _PHONE_LABELS,
)

# ---------------------------------------------------------------- patterns
_MONTHS = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|"
           r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
_MONTHS_OTHER = (r"(?:januar|jänner|februar|märz|maerz|mai|juni|juli|oktober|dezember|januari|februari|maart|mei|"
                 r"augustus|janvier|février|fevrier|mars|avril|juin|juillet|août|aout|septembre|octobre|novembre|"
                 r"décembre|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|"
                 r"diciembre|january|february|march|april|may|june|july|august|september|october|november|december)")
_DATE_RES = [
    re.compile(r"(?i)\b\d{1,2}\.?\s+(?:de\s+)?" + _MONTHS_OTHER + r"\.?(?:\s+(?:de\s+)?\d{4})?\b"),
    re.compile(r"\b\d{1,2}([/.\-])\d{1,2}\1(?:\d{4}|\d{2})\b(?![.\-/]\d)(?!\s*(?:mm|cm|%|x\b|×))"),
    re.compile(r"\b(?:19|20)\d{2}[/.\-]\d{1,2}[/.\-]\d{1,2}\b"),
    re.compile(r"\b(?:0?[1-9]|[12]\d|3[01])[/.](?:0?[1-9]|1[0-2])[\-/.](?:19|20)\d{2}\b"),  # "14/04-2025" (Danish)
    re.compile(r"(?i)\b\d{1,2}[\-/ ]" + _MONTHS + r"[\-/ ,]+\d{2,4}\b"),
    re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTHS + r"\.?(?:,?\s+\d{4}\b|\s+['’]\d{2}\b)?"),
    re.compile(r"(?:\d{4}|(?:令和|平成|昭和|大正|明治)\d{1,2})\s?[年년]\s?\d{1,2}\s?[月월]\s?\d{1,2}\s?[日일]?"),  # 2024年3月6日
    # a day, a month name in any language or script (abbreviated or not) and a year: "6 Μαρτίου 2024",
    # "12 marca 2024", "15-ene-2024", "3 févr. 2024"; Roman-numeral months: "14/VI/2023"
    re.compile(r"\b(?:[1-9]|[12]\d|3[01])[ \t]?[\-./ ][ \t]?[^\W\d_]{3,12}\.?[ \t]?[\-./ ,][ \t]?(?:19|20)\d{2}\b"),
    re.compile(r"\b(?:[1-9]|[12]\d|3[01])[/.\-](?:I|II|III|IV|V|VI|VII|VIII|IX|X|XI|XII)[/.\-](?:19|20)?\d{2}\b|"
               r"\b(?:[1-9]|[12]\d|3[01]) (?:I|II|III|IV|V|VI|VII|VIII|IX|X|XI|XII) (?:19|20)\d{2}\b"),  # not "28 X 14 mm"
    re.compile(r"\b(?:0?[1-9]|1[0-2])/(?:19|20)\d{2}\b"),  # "03/2022"
    # "12 de março de 2024", "17 Ramadan 1445 AH", "11 Adar II 5784", "8 มี.ค. 2567", "2024. március 12.",
    # "ngày 9 tháng 4 năm 2024"
    re.compile(r"\b(?:[1-9]|[12]\d|3[01])\.?[ \t]+(?:de[ \t]+)?[^\W\d_]{2,12}\.?(?:[^\W\d_]{1,4}\.)?(?:[ \t]+I{1,2})?[ \t]+"
               r"(?:de[ \t]+)?(?:(?:19|20|25)\d{2}|1[34]\d{2}|5[78]\d{2})(?:[ \t]+(?:AH|H|BE|AM)\b)?"),
    # (Hungarian months are lower case; a decimal is not a day: "DOB 01/02/1960. Breslow 0.6 mm" keeps its 0.6)
    re.compile(r"\b(?:19|20)\d{2}\.[ \t]+(?![A-Z])[^\W\d_]{3,12}\.?[ \t]+(?:[1-9]|[12]\d|3[01])(?![\d.,]\d)\.?(?!\d)"),
    re.compile(r"(?i)\bngày[ \t]+\d{1,2}[ \t]+tháng[ \t]+\d{1,2}[ \t]+năm[ \t]+\d{4}"),
    re.compile(r"\b" + _MONTHS + r"\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?\b(?!\s*(?:mm|cm|%))"),
    re.compile(r"\b" + _MONTHS + r"\.?,?\s+(?:19|20)\d{2}\b"),
]
_EMAIL_RE = re.compile(r"(?<![\w.+\-])[\w.+\-]{1,64}@[\w\-]{1,63}(?:\.[\w\-]{1,63}){1,8}\b")
_SSN_RE = re.compile(r"\b\d{3}-\d{2}-\d{4}\b|(?i:(?<![\w*])(?:x{3}|\*{3})-(?:x{2}|\*{2})-\d{4}\b)")  # also masked
_PHONE_RE = re.compile(r"(?<![\w.])(?:\+\d{1,3}[\s.\-]?)?(?:\(\d{1,5}\)[\s.\-]?)?\d{1,6}(?:[\s.\-]\d{2,6}){1,4}|\b0\d{2,5} ?/ ?\d{2,4}(?:[ \-]?\d{2,4}){0,3}"
                       r"(?!\w)(?!\.\d)")
_ACCESSION_RE = re.compile(r"(?:\b[^\W\d_a-z]{1,4}-\d{2}[-/]\d{3,8}\b|\b[A-Z]{1,4}\d{2}\.\d{3,8}\b|\b[A-Z]{2,4} \d{2}/\d{3,8}\b|\b\d{2}:[A-Z]{1,3}\d{3,8}\b|\b[A-Z]{1,4}\d{2}/\d{3,8}\b|\b[A-Z]{1,3}-(?:19|20)\d{2}-\d{2,8}(?:-[A-Z]?\d{0,3})?\b|\b[A-Z]{1,4}-?\d{2}-\d{3,8}\b|\b[A-Z]{1,3}\d{2}-\d{3,8}\b|\b[A-Z]{0,3}\d{7,}\b)(?:[ \-/][A-Z]\d{1,2}\b)?")
# Typist and transcriber initials: "Typed: ab/cd", a line that is only "ab/cd".
_TYPIST_RE = re.compile(r"(?im)(?:\b(?:typed|typist|transcribed|transcriptionist|dictated|ref|our ref|your ref)\b"
                        r"[ \t:.]*(?:by)?[ \t:]*(?P<name>[A-Za-z]{2,4}/[A-Za-z]{2,4})\b|"
                        r"(?:^[ \t]*|(?<=\S)[ \t]{2,})(?P<alone>[A-Za-z]{2,4}/[A-Za-z]{2,4})[ \t]*(?:$|[ \t]{2,}|\t))")
_TYPIST_LABEL_RE = re.compile(r"(?im)\b(?:(?:typed|typist|transcribed|transcriptionist|scribe|dictated|coder|gross(?:ed)?)"
                              r"(?:[ \t]+by)?[ \t]*(?::|\t)|(?:rec'?d|received|edited|dictated|grossed|entered|coded)[ \t]+by"
                              r"[ \t]*:?)[ \t]*(?P<name>[A-Za-z]{2,4}(?:[/\-][A-Za-z]{1,4})?)"
                              r"(?=[ \t]*(?:$|\t|\||[ \t]{2}|[,;]|/\d))")
# Initials signing off a message: "... will call you to schedule. -- GAB"
_DASH_INITIALS_RE = re.compile(r"(?m)(?:^|[ \t])-{1,2}[ \t]?(?P<name>[A-Z]{2,3}|[A-Z][a-z]?[A-Z]{1,2})[ \t]*$")
_EXTENSION_RE = re.compile(r"(?i)\b(?P<n>(?:ext|extn|extension|x|poste|durchwahl|toestel)\.?[ \t]*\d{3,6})\b")
_LONG_NUMBER_RE = re.compile(r"(?<![\d.,])\d{6,}(?![\d.,])")
_AGE_RES = [
    re.compile(r"(?i)\b(?P<age>9\d|1[01]\d)(?=\s*-?\s*(?:years?|yrs?|y)\b\s*-?\s*old)"),
    re.compile(r"(?i)(?<=\bage\b)[\s:]*(?P<age>9\d|1[01]\d)\b"),
    re.compile(r"(?i)(?<=\baged\b)\s*(?P<age>9\d|1[01]\d)\b"),
    re.compile(r"(?i)\b(?P<age>9\d|1[01]\d)(?=\s*(?:y/?o|yo|yrs?|years?)\b)"),
    re.compile(r"\b(?P<age>9\d|1[01]\d)(?=\s?[MF]\b)"),
    re.compile(r"(?<![\d.])(?P<age>9\d|1[01]\d)(?=\s?/\s?(?:[MFmf]|male|female)\b)"),  # "91/F"
    re.compile(r"(?i)(?<![\d.])(?P<age>9\d|1[01]\d)(?=[\s\-]?(?:jährig\w*|jarig\w*|ans\b|años\b|anni\b|anos\b|år\b|"
               r"aar\b|jaar\b|j\.|jahren?\b|lat\b|let\b|ετών|лет|года|год\b|yaş|vuotta|vuotias|éves|tuổi|tahun|ปี|歳|岁|세|ans\b|a\.))"),
    re.compile(r"(?i)\bik[äa][ \t]+(?P<age>9\d|1[01]\d)\b"),  # "ikä 93 v"
    # "who is 90", "she turned 93", "Mum is now 91": a person is, turned or turns the number
    re.compile(r"(?i)\b(?:who|she|he|mum|mom|mother|father|dad|husband|wife|gran\w*|patient)(?:[ \t]+is(?:[ \t]+now)?|'s|"
               r"[ \t]+turned|[ \t]+turns|[ \t]+will[ \t]+be)[ \t]+(?P<age>9\d|1[01]\d)\b(?![ \t]*(?:%|mm|cm|per\b|/|\.\d))"),
    re.compile(r"(?<=\d{4})[ \t]*\((?P<age>9\d|1[01]\d)(?:[ \t]*(?:y|yrs?|years?))?\)"),
    re.compile(r"\b[MF][ \t]?/[ \t]?(?P<age>9\d|1[01]\d)\b"),  # "M/92"
    re.compile(r"(?<![\w/])[MF][ \t](?P<age>9\d|1[01]\d)(?=[ \t]*(?:$|[,;)\n]))"),  # "F 91"
    re.compile(r"(?i)(?<![\d.])(?P<age>9\d|1[01]\d)(?=\s?(?:y|yo|yr|yrs|years?)\b)"
               r"(?!\s?(?:y|yo|yr|yrs|years?)\s+(?:ago|since|before|after|later))"),  # "91y", "90 yrs"
]
_STREET_SUFFIX = (r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Boulevard|Blvd|Way|Court|Ct|Place|Pl|Terrace|"
                  r"Close|Crescent|Cres|Square|Sq|Parkway|Pkwy|Highway|Hwy|Gardens|Grove|Row|Walk|Circle|Cir|Trail|"
                  r"Mews|Hill|Park|Rise|View|Parade|Pde|Esplanade|Circuit|Cct|Promenade|Quay|Wynd|Vale|Green|Heights|"
                  r"Broadway|Alley|Loop|Bend|Point|Marg|Nagar|Salai)")
_STREET_RE = re.compile(
    r"\b(?:(?:Flat|Apt|Apartment|Unit|Suite|Level|Shop)\.?\s*[\w\-]+(?:/[\w\-]+)?(?:,?\s+|/))?(?:\d{1,5}[A-Za-z]?/)?\d{1,5}[A-Za-z]?,?\s+"
    r"(?:[" + _UP + r"][" + _UP + _LO + r"'’.\-]*\s+){1,4}"
    + "(?i:" + _STREET_SUFFIX + r")\b\.?(?:,?\s+(?:[" + _UP + r"][" + _UP + _LO + r"'’.\-]+\s?){1,3}(?=[,\n]|\s+[A-Z]{1,2}\d|\s+\d{5}))?"
    r"(?:,\s*(?:[" + _UP + r"][" + _UP + _LO + r"'’.\-]+\s?){1,3})?")
# Continental European streets ("Hauptstrasse 12", "Keizersgracht 123", "Rue des Lilas"), postcodes followed by a
# town ("10115 Berlin", "1012 AB Amsterdam", "75011 Paris"), Australian states, Canadian and Indian postcodes.
_EURO_STREET_RE = re.compile(
    r"\b[" + _UP + r"][" + _LO + r"\-]*(?:stra(?:ß|ss)e|str\.|weg|gasse|platz|allee|ring|damm|laan|straat|gracht|plein|"
    r"dijk|kade|singel|steeg|vej|gade|gata|gatan|v[äe]gen|veien|vei|vegen|torv|plads|tie|katu)\s+\d{1,4}[a-zA-Z]?\b|"
    r"\b\d{1,5},?[ \t]+(?:rue|avenue|av\.|boulevard|boul\.|chemin|ch\.|rang|route|place|all[ée]e|impasse|côte)[ \t]+"
    r"(?:(?:de|des|du|la|le|l['’]|d['’])[ \t]*){0,2}[" + _UP + r"][\w'’\-]+(?:[ \t\-][" + _UP + r"][\w'’\-]+){0,3}"
    r"(?:[ \t]+(?:Est|Ouest|Nord|Sud))?|\b(?:Rue|Avenue|Boulevard|Calle|Avenida|Via|Viale|Piazza|Rua|Plaza)\s+"
    r"(?:(?:de|des|du|la|le|del|della|di|do|da|dos)\s+){0,2}[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+){0,2}(?:,?\s+\d{1,4}\b)?|"
    r"\b(?:ul|al|pl|os)\.[ \t]*[" + _UP + r"][\w'’\-]+(?:[ \t][" + _UP + r"][\w'’\-]+){0,2}[ \t]+\d{1,4}[a-z]?(?:/\d{1,4})?"
    r"(?:[ \t]+m\.[ \t]*\d{1,4})?|"
    r"\b(?:Calle|Carrera|Cra\.?|Cl\.?|Avenida|Av\.?|Avda\.?|Diagonal|Transversal|Rua|R\.)[ \t]+[\w.]+(?:[ \t][" + _UP + r"][\w]+){0,3}"
    r"[ \t]*(?:#|No\.?|N[°º])?[ \t]*\d{1,5}[A-Z]?(?:-\d{1,4})?(?:,[ \t]*(?i:piso|apto\.?|apt\.?|depto\.?|dpto\.?|int\.?|"
    r"andar|sala|of\.?)[ \t]*[\w°]+\.?)*|"
    r"\b[" + _UP + r"][\w]+[ \t](?:út|utca|u\.|tér|körút|krt\.)[ \t]\d{1,4}\.?(?:[ \t][IVX]+\.[ \t]em\.(?:[ \t]\d{1,3}\.)?)?")
_POSTCODE_TOWN_RE = re.compile(r"(?m)(?:(?<=,)|(?<=, )|(?<=\t)|^[ \t]*|(?<=\b[A-Z]-)|(?<=\bNL-))(?:\d{4,5}|\d{2}-\d{3})(?:[ \t]?[A-Z]{2})?[ \t]{1,2}"
                               r"[" + _UP + r"][" + _LO + r"]+(?:[ \-][" + _UP + r"][" + _LO + r"]+)?(?![\w\-])"
                               r"(?!\s*(?:mm|cm|stain|cells))")
_STATE_POSTCODE_RE = re.compile(r"\b(?:[A-Z][A-Za-z]+\s+){0,2}(?:NSW|VIC|QLD|WA|SA|TAS|ACT|NT|ON|QC|BC|AB|MB|NS|NB)\s+"
                                r"(?:\d{4}\b|[A-Z]\d[A-Z]\s?\d[A-Z]\d\b)")
# "..., Hamilton 3204", "Te Aro, Wellington 6011": a town and a four-digit postcode closing an address line.
_TOWN_POSTCODE_RE = re.compile(r"(?m)(?<=,[ \t])[A-Z][a-z]+(?:[ \t][A-Z][a-z]+)?[ \t]\d{4}\b(?=[ \t]*(?:$|\t|\||[ \t]{2}))")
_CA_POSTCODE_RE = re.compile(r"\b[A-Z]\d[A-Z]\s?\d[A-Z]\d\b|(?:\bCo\.?[ \t][A-Z][a-z]+,?[ \t]|\b[A-Z][a-z]{2,}[ \t])?\b(?:[AC-FHKNPRTV-Y]\d{2}|D6W)\s[AC-FHKNPRTV-Y0-9]{4}\b")
_PIN_RE = re.compile(r"\b[A-Z][A-Za-z]+\s*[\-–]\s*\d{6}\b|\b[A-Z][a-z]+\s+\d{3}\s\d{3}\b")
_PO_BOX_RE = re.compile(r"(?i)\b(?:P\.?\s?O\.?|Post(?:al)?\s+Office|Private)\s+Box\s+\d+(?:-\d+)?\b|"
                        r"\b(?:RR|R\.R\.|Rural Route)\s?\d+(?:,?\s+Site\s+\d+)?(?:,?\s+(?:Box|Comp)\s+\d+[A-Z]?)?|"
                        r"\bBlk\.?\s*\d+\s+Lot\s+\d+[A-Z]?|\b(?:Purok|Sitio)\s+\d+[A-Z]?(?:,\s*(?:Brgy\.?|Barangay)\s+[A-Z][\w]*(?:\s[A-Z][\w]*){0,2})?|"
                        r"\b(?:Postbus|Posbus|Private Bag|Casilla|Caixa Postal|Apartado(?: Postal)?|Postfach)\s+[A-Z]?\d+\b|"
                        r"\b(?:PMB|P\.M\.B\.?)\s*\d+\b|\bSingapore[ \t]+\d{6}\b|#\d{2}-\d{2,4}\b")
_POSTCODE_RE = re.compile(r"\b(?:[A-Z][a-z]+\s+|[A-Z]{4,}\s+){0,2}[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b")
_ZIP_RE = re.compile(r"\b(?:[A-Z][a-z]+(?:\s[A-Z][a-z]+)?,\s*)?[A-Z]{2}\s+\d{5}(?:-\d{4})?\b")
_PARTICLE_RX = (r"(?:(?:van|von|de|der|den|da|di|du|la|le|los|las|del|dos|das|bin|binti|binte|bint|ibn|ap|al|el|ter|ten|"
                r"[ée]pouse|ep\.|y|s/o|d/o|w/o|a/l|a/p|S/O|D/O|W/O|A/L|A/P)[ \t]+){0,2}(?:(?:al|el|ad|ar|as|ash|at|az|an)-)?")
_TITLES = (r"Dr|Dra|Doctor|Mr|Mrs|Ms|Miss|Mx|Prof|Professor|Sister|Nurse|Sr|Sra|Srta|Mme|Mlle|Herr|Herrn|Frau|"
           r"mevr|mevrouw|dhr|de heer|Encik|Puan|Cik|Tuan|Dato'?|Datin|Shri|Smt|Sri|Dott\.ssa|Dott|Dottssa|Sig\.ra|"
           r"Dña|Doña|Don|Dona|Drs|lek|Mdm|Madam|Alhaji|Hajia|Bà|Ông|Bapak|Ibu|Rev|Reverend|Pastor|Rabbi|Imam|Lola|Lolo|"
           r"Aling|Begum|SN|Pan|Pani")
# A title in several languages, repeated ("Prof. Dr. med."), then up to four name words. Titles count as written in
# capitals or title case (and the lower-case Dutch "dr."/"mevr."): "doctor. Give me" is no title.
_TITLE_FORMS = "|".join(sorted({f for t in ["Prof", *_TITLES.split("|")] for f in (t, t.upper())
                                if f not in {"PAN", "PANI", "DON", "DONA"}} |
                               {"dr", "prof", "mevr", "mevrouw", "dhr"}, key=len, reverse=True))
_TITLE_RE = re.compile(r"(?<![\w'’])(?:(?:" + _TITLE_FORMS + r")\.?[ \t]+(?:\((?:Mrs|Mr|Ms|Miss|Dr)\.?\)[ \t]+)?(?:(?i:n\.[ \t]?med|med|rer\. nat)\.[ \t]+)?){1,3}"
                       r"(?P<name>(?:[A-Z][a-z]?\.[ \t]?){0,3}" + _PARTICLE_RX + r"[" + _UP + r"][\w'’\-]*"
                       r"(?:[ \t]" + _PARTICLE_RX + r"(?:[A-Z]\.[ \t]?)?[" + _UP + r"][\w'’\-]*){0,4})")
_CREDENTIALS = (r"MD|M\.D\.|DO|MBBS|MB BS|MBChB|MBBCh|BMBS|FRCPath|FRCPA|FRCP|FRCPC|FAAD|FACP|PhD|DPhil|RN|NP|"
                r"PA-C|MRCP|MRCPath|DM|DNB|FCAP|MS|FCPath|FCDerm|MMed|FACD|FRACP|MRCPI|FRCPI|FRCSI|BMS|CNS|ANP|"
                r"FRCS|MBChB|MChD|DNB|MSc|FRCPCH|MRCGP|FRNZCGP|MB|BCh|BAO|DCH|DRCOG")
_CREDENTIAL_RE = re.compile(r"(?<![\w.])(?P<name>[" + _UP + r"][" + _UP + _LO + r"'’\-]{1,30}(?:\s{1,3}[A-Z]\.)?"
                            r"(?:[ \t]{1,3}(?:[" + _UP + r"][" + _LO + r"]{0,2}[ \t])?[" + _UP + r"][" + _UP + _LO + r"'’\-]{1,30}){1,2})"
                            r",?\s{1,3}(?:" + _CREDENTIALS + r")\b")
# Other name shapes before a credential: "C. Whitfield-Osei, MD", "BLACK, ROSE M., MD", "Bishop, Gregory A, MD",
# HL7 "OYELARAN-FINCH^THEODORA^J, MD", "Nnamdi  Eze-Holloway ,  MD", "D. Yazzie, HT(ASCP)".
_NAME_WORD = r"[" + _UP + r"][" + _UP + _LO + r"'’\-]{1,30}"
_CREDENTIAL_ALT_RE = re.compile(
    r"(?<![\w.])(?P<name>(?:[A-Z]\.[ \t]?){1,2}" + _NAME_WORD + r"|" + _NAME_WORD + r"(?:\^" + _NAME_WORD + r"|\^[A-Z]){1,3}|"
    + _NAME_WORD + r",[ \t]{1,3}" + _NAME_WORD + r"(?:[ \t]{1,3}[A-Z]\.?)?|" + _NAME_WORD + r"[ \t]{1,3}" + _NAME_WORD + r")"
    r"[ \t]{0,3},[ \t]{0,3}(?:" + _CREDENTIALS + r"|HTL?\(ASCP\)|CT\(ASCP\)|FPSP|PA)(?![\w(])")
# "J. K. Rowe", "J.M. van der Berg-de Vries": two initials and a surname; one initial after by/to/cc/from.
_INITIALS_RE = re.compile(r"(?<![\w.])(?P<name>(?:[A-Z]\.[ \t]?){2,3}" + _PARTICLE_RX + r"[" + _UP + r"][" + _LO + r"'’][\w'’\-]*"
                          r"|(?<=\bby |\bto |\bcc )(?:[A-Z]\.[ \t]?)" + _PARTICLE_RX + r"[" + _UP + r"][" + _LO + r"'’][\w'’\-]*)")
# Relatives and staff named in running text: "her son Graham", "daughter, Lucía Ramírez", "nurse Ruth Young".
_RELATION_RE = re.compile(r"(?i:\b(?:son|daughter(?:-in-law)?|son-in-law|wife|husband|partner|spouse|mother|father|mum|mom|dad|brother|sister|"
                          r"niece|nephew|grandson|granddaughter|grandchild|aunt|uncle|cousin|carer|caregiver|friend|"
                          r"neighbour|neighbor|guardian|nurse|tochter|sohn|ehefrau|ehemann|fille|fils|épouse|mari|hija|"
                          r"hijo|esposa|esposo|dochter|zoon|filha|filho|figlia|figlio|moglie|marito|datter|søn|dotter|"
                          r"hustru|córka|syn|żona|mąż|kızı|oğlu|eşi|n[ée]e|key ?worker|widow|widower)\b)[ \t]*[,:(]?[ \t]*(?:(?i:is|was|named|called)[ \t]+)?"
                          r"(?:of (?:the )?(?:late )?)?(?P<name>(?!I['’])" + _PARTICLE_RX + r"[" + _UP + r"][" + _LO + r"'’][\w'’\-]*(?:\.?[ \t]+" + _PARTICLE_RX +
                          r"[" + _UP + r"][" + _LO + r"'’][\w'’\-]*){0,3})")
# The same in capitals: "NIECE MORAG ATTENDS" (one name word: in capitals the next word may be a verb).
# "the name Mereana WALKER-TIPENE", "maiden name Blackfeather", "known as Bà Hồng"
_NAME_INTRO_RE = re.compile(r"(?i:\b(?:the name|named|maiden name|known (?:to \w+ )?as|also called|goes by))[ \t]+"
                            r"(?P<name>[" + _UP + r"][\w'’\-]+(?:[ \t][" + _UP + r"][\w'’\-]+){0,3})")
# Family name first, in capitals, then given names: "WATANABE Kenji", "KUZNETSOVA Anna Petrovna", "LAU Ka-wing".
_CAPS_FIRST_RE = re.compile(r"(?<![\w'’/])(?P<name>[" + _UP + r"]{2,}(?:-[" + _UP + r"]{2,})?[ \t][" + _UP + r"][" + _LO + r"]+"
                            r"(?:-[" + _UP + r"]?[" + _LO + r"]+)?(?:[ \t][" + _UP + r"][" + _LO + r"]+(?:-[" + _LO + r"]+)?){0,2})(?![\w'’])"
                            r"(?![ \t][a-z])")  # "INVOLVED Revised conclusion" goes on in lower case: a sentence
_CAPS_RELATION_RE = re.compile(r"\b(?:SON|DAUGHTER|WIFE|HUSBAND|PARTNER|SPOUSE|MOTHER|FATHER|BROTHER|SISTER|NIECE|NEPHEW|"
                               r"GRANDSON|GRANDDAUGHTER|AUNT|UNCLE|COUSIN|CARER|FRIEND|NEIGHBOUR|NEIGHBOR|GUARDIAN)"
                               r"[ \t]*[,:(]?[ \t]*(?P<name>[" + _UP + r"]{3,})\b")
# Greetings: "Dear Dr Hope", "Hi Nick," (the title form is caught by _TITLE_RE).
_GREETING_RE = re.compile(r"(?m)^[ \t]*(?i:dear|hi|hello|hallo|bonjour|beste|estimad[oa])[ \t]+(?P<name>[A-Z][a-z'’\-]+"
                          r"(?:[ \t]+[A-Z][a-z'’\-]+)?)[ \t]*[,!\n]")
# "BOWMAN-KEOGH, Ellis", "GARCÍA DE LA TORRE, José Antonio": a surname in capitals, a comma and a given name.
_NAME_SUFFIX = r"(?:,?[ \t](?:Jr|Sr|II|III|IV)\.?(?![\w]))?"
_CAPS_SURNAME_RE = re.compile(r"(?<![\w'’])(?P<name>(?:(?:DE|DEL|LA|VAN|DER|VON|DU|LE|BIN|AL|O'|MAC|MC)[ \t])*"
                              r"[" + _UP + r"][" + _UP + r"'’\-]{2,}(?:[ \t](?:DE|DEL|LA|VAN|DER|VON|DU|LE|Y|E)?[ \t]?[" + _UP + r"][" + _UP + r"'’\-]{2,}){0,3}"
                              r"(?:[ \t]née[ \t][" + _UP + r"'’\-]{2,})?,[ \t]+[" + _UP + r"][" + _LO + r"'’][" + _LO + r"'’]*(?:[ \t\-][" + _UP + r"][" + _LO + r"'’]+){0,2}(?:[ \t][A-Z]\.?)?" + _NAME_SUFFIX + r")(?![\w\-])")
# capitals that are report abbreviations, not surnames ("PAS, Ziehl-Neelsen", "DIF, IgG")
_ABBREVIATIONS = {"SSM", "NM", "LMM", "ALM", "OPD", "DVL", "HUS", "PAS", "DIF", "GMS", "IHC", "SCC", "BCC", "HPF", "AJCC", "CAP", "TNM", "LVI", "PNI", "MDT", "DNA",
                  "PCR", "EVG", "AFB", "IGG", "IGA", "IGM", "SOX", "HMB", "EMA", "NOS", "WHO", "UICC", "RCPATH", "NHS",
                  "SLNB", "WLE", "FNA", "TCR", "MIS", "PRAME", "MELAN", "MART", "CD", "CK", "TTF", "BRAF", "KI", "SCCIS", "AK", "DFSP", "MF", "LPP", "DLE", "SLE", "BP", "PV"}
_NAME_BEFORE_ID_RE = re.compile(r"(?P<name>(?<![\w'’])[" + _UP + r"][" + _LO + r"'’][\w'’\-]*(?:[ \t]+" + _PARTICLE_RX +
                                r"[" + _UP + r"][\w'’\-]+){1,3}),?[ \t]+\(?(?i:dob|d\.o\.b\.?|born|b\.|mrn|urn|nhs|chi|"
                                r"hospital no|aged?(?=[ \t:]*\d))\b")
# Names written in Hangul or CJK characters (in an English report they are names).
_CJK_NAME_RE = re.compile(r"[\uac00-\ud7af]{2,4}|[\u4e00-\u9fff]{2,4}")
# Characters of report and hospital words, never of a personal name (病理診断 "pathology diagnosis", 報告書 "report").
_CJK_NOT_NAME = set("港醫歳病理診断報告書院科検査皮膚医部号番標組織学検体年月日所見結果疑癌腫瘍")
# "MACLEOD, EUPHEMIA CATRIONA / CHI 0507293266": a name in capitals with its given names, then an identifier.
_CAPS_NAME_BEFORE_ID_RE = re.compile(r"(?P<name>(?<![\w'’])[" + _UP + r"][" + _UP + r"'’\-]+(?:[ \t][" + _UP + r"][" + _UP +
                                     r"'’\-]+){0,2},[ \t]*[" + _UP + r"][" + _UP + r"'’\-]+(?:[ \t][" + _UP + r"][" + _UP +
                                     r"'’\-]*\.?){0,2})[ \t]*[/|,;]?[ \t]*\(?(?:DOB|D\.O\.B\.?|BORN|MRN|URN|NHS|CHI|HOSP)\b")
# Words in Greek, Cyrillic, Hebrew, Arabic, Devanagari, Bengali or Thai script beside an English report are names
# (three letters or more a word, so "γδ T cells" and "μm" stay).
_SCRIPT_WORD = (r"[\u0370-\u03ff\u1f00-\u1fff\u0400-\u04ff\u0530-\u058f\u0590-\u05ff\u0600-\u06ff\u0900-\u0dff"
                r"\u0e00-\u0e7f\u1000-\u109f\u10a0-\u10ff\u1200-\u137f\u1780-\u17ff]{3,}")
# Words in those scripts that are not names: "years" after an age.
_SCRIPT_NOT_NAMES = {"ετών", "ετων", "χρονών", "лет", "года", "год", "سنة", "عام", "वर्ष", "ปี"}
# Vietnamese names: capitalised words, one of them with a letter only Vietnamese uses ("Nguyễn Thị Hồng", "Bà Hồng").
_VIET = "\u01a0\u01a1\u01af\u01b0\u0110\u0111\u1ea0-\u1ef9"
_VIET_PLACES = {"Hà Nội", "Hồ Chí Minh", "Đà Nẵng", "Huế", "Hải Phòng", "Cần Thơ", "Nha Trang", "Việt Nam"}
_VIET_NAME_RE = re.compile(r"(?<![\w'’])(?P<name>[" + _UP + r"]\w*(?:[ \t][" + _UP + r"]\w*){1,3})(?![\w'’])")
_SCRIPT_NAME_RE = re.compile(_SCRIPT_WORD + r"(?:[ \t\-]" + _SCRIPT_WORD.replace("{3,}", "{2,}") + r"){0,4}")
# what follows a word in another script when it is a field label, not a name: ":", "/", "Name:", "Sex:"
_SCRIPT_LABEL_AFTER = re.compile(r"[ \t]*\)?[ \t]*(?:[:：/]|(?<![ \t]{3})[A-Za-z][A-Za-z /.]{0,20}:)")
# Beds, rooms and wards ("Bed 705-2", "letto 8", "Ward 6 West", "Afsnit 5").
_LOCATION_RE = re.compile(r"(?i)\b(?:bed|cubicle|bay|letto|stanza|seng|stue|afsnit|cama|lit|chambre|bett|zimmer|"
                          r"kamer|sal[ae])\.?[ \t]*(?:no\.?|#)?[ \t]*\d{1,4}(?:[\-/]\d{1,3})?[A-Za-z]?"
                          r"(?:[ \t](?i:north|south|east|west))?\b")
# National identifiers with a fixed shape: Mexican CURP, Italian codice fiscale.
_NATIONAL_SHAPE_RE = re.compile(r"\b[A-Z]{4}\d{6}[HM][A-Z]{5}[A-Z0-9]\d\b|\b[A-Z]{6}\d{2}[A-Z]\d{2}[A-Z]\d{3}[A-Z]\b")
# Pagers, bleeps and extensions written in a sentence ("bleep the duty pathologist on 4417", "PAGER 3392").
_PAGER_RE = re.compile(r"(?i)\b(?P<word>bleep|pager|page)\b(?:[ \t]+[a-z]+){0,4}?[ \t:#]+(?:on[ \t]+|at[ \t]+|no\.?[ \t]*)?"
                       r"(?P<n>\d{1,2}-\d{3,4}|\d{3,6})\b")
# Countries closing an address line ("..., Cairo 11571, Egypt").
_COUNTRIES = (r"Egypt|Kenya|Nigeria|Ghana|South Africa|India|Pakistan|Bangladesh|Sri Lanka|Nepal|China|Japan|Korea|"
              r"Vietnam|Viet Nam|Thailand|Malaysia|Singapore|Philippines|Indonesia|Australia|New Zealand|Canada|USA|"
              r"United States|UK|United Kingdom|Ireland|Germany|France|Spain|Portugal|Italy|Greece|Turkey|Türkiye|"
              r"Poland|Netherlands|Belgium|Sweden|Norway|Denmark|Finland|Switzerland|Austria|Brazil|Mexico|Argentina|"
              r"Chile|Colombia|Peru|Saudi Arabia|UAE|United Arab Emirates|Qatar|Oman|Jordan|Lebanon|Israel|Iran|"
              r"Morocco|Tunisia|Ethiopia|Uganda|Tanzania|Zimbabwe|Zambia|Hong Kong|Taiwan")
_COUNTRY_TAIL_RE = re.compile(r"(?m)(?P<addr>[^\n:|\t,]{0,40}\d[^\n:|\t,]{0,40}(?:,[ \t]*[^\n:|\t,]{1,40}){0,4}),[ \t]*"
                              r"(?:" + _COUNTRIES + r")\b")
# Clinicians' registration numbers, web links.
_REGISTRATION_RE = re.compile(r"\b(?:GMC|IMC|HPCSA(?:[ \t]MP)?|AHPRA|CPSO|KMC|MCI|NMC|HCPC|NPI|MCNZ|CPSBC|BIG|RPPS|"
                              r"CRM(?:-[A-Z]{2})?|PMDC|BMDC|SLMC|MDCN|KMPDC|HKMC|SMC|MMC|CPSA|CPSM|CMQ|OMC|CMP|MCC|"
                              r"ADELI|LANR|DMC(?:[ \t]Reg\.?)?|MDCN(?:[ \t]Folio(?:[ \t]No\.?)?)?|Folio[ \t]No\.?|C[ée]d(?:ula)?\.?[ \t]*Prof(?:esional)?\.?|R\.M\.|Reg\.?[ \t]*No\.?|Registration(?:[ \t]No\.?)?|"
                              r"TNMC|[A-Z]{2}MC|PRC|MCRN|MSP|CPS[A-Z]{1,2}|NMBI|IMC|MCP|HPC)"
                              r"(?:[ \t]+(?:Reg(?:istration)?|Lic(?:en[cs]e)?)\.?(?:[ \t]*(?:No|Number)\.?)?)?"
                              r"[ \t:#.]*[A-Z]{0,3}\d{4,}(?:-[A-Z]{1,2})?\b|"
                              r"\b(?:KMC|MCI|IMC)[ \t]+Reg\.?[ \t]*No\.?[ \t]*\d{4,}\b")
_URL_RE = re.compile(r"\bhttps?://[^\s<>\"')\]]+|\bwww\.[^\s<>\"')\]]+")
# Identifier-shaped codes: letters and digits with separators, at least four digits ("HP/2519/25", "24-S-093318",
# "JHB-AP-25-031927", "PW25S-66120", "21H04412", "ZKT4821"); clinical codes (CK5/6, HMB-45, pT1a) have fewer.
_CODE_RE = re.compile(r"(?<![\w/\-.])[A-Z0-9]{1,12}(?:[/\-:][A-Z0-9]{1,12}){0,5}(?![\w/\-])")
# Chat text: "my name is Jane Doe", "I'm Jane" (each name word capitalised, with a lower-case letter).
_SELF_INTRO_RE = re.compile(r"(?i:\b(?:my\s+name\s+is|my\s+name's|i\s+am|i'm|call\s+me))\s+"
                            r"(?P<name>[A-Z][a-z'’\-][\w'’\-]{0,30}(?:\s+[A-Z][a-z'’\-][\w'’\-]{0,30}){0,2})")
# A sign-off followed by a full name: "Thanks! Jane Quixotica", "Kind regards, John Smith", "- Priya Patel".
_SIGN_OFF_RE = re.compile(
    r"(?i:\b(?:thanks|thank\s+you|thx|cheers|regards|kind\s+regards|best\s+wishes|best|many\s+thanks|"
    r"sincerely|yours|love)\b)[ \t]*[!,.:;\-–—]*[ \t\n]*"
    r"(?P<name>[A-Z][a-z'’\-][\w'’\-]{0,30}(?:[ \t]+[A-Z][a-z'’\-][\w'’\-]{0,30}){1,2})|"
    r"(?:^|\n)[ \t]*[\-–—~][ \t]*(?P<dash>[A-Z][a-z'’\-][\w'’\-]{0,30}(?:[ \t]+[A-Z][a-z'’\-][\w'’\-]{0,30}){1,2})"
    r"(?=[ \t]*(?:\n|$))")  # a dash sign-off is a name alone on its line, not a bullet ("- Tumor Size: 1.4 cm")
# Words that start a sentence after "Thanks!" and are not a first name ("Thanks! Great Answer").
_SENTENCE_STARTERS = {
    "great", "very", "this", "that", "it", "the", "really", "so", "much", "good", "nice", "helpful", "thanks",
    "thank", "best", "kind", "many", "love", "have", "hope", "i", "you", "your", "my", "we", "a", "an", "what",
    "how", "why", "is", "are", "can", "could", "will", "would", "please", "useful", "clear", "brilliant",
    "perfect", "super", "awesome", "excellent", "not", "no", "yes", "but", "and", "also", "just", "again",
}

# Words that make a capitalised pair a clinical term or a place, not a person ("Thanks, Atopic Dermatitis...").
_NOT_PERSON_WORDS = {
    "disease", "dermatitis", "clinic", "hospital", "syndrome", "carcinoma", "naevus", "nevus", "lupus", "psoriasis",
    "eczema", "dermatology", "pathology", "department", "team", "unit", "centre", "center", "service", "lab",
    "laboratory", "foundation", "society", "association", "trust", "nhs", "health", "medical", "skin", "cream",
    "home", "homes", "house", "rumah", "lodge", "manor", "acres", "nursing", "care", "residence", "salud", "centro",
    "hospitals", "infirmary", "clinics", "university", "college", "institute", "city", "royal", "county", "general",
    "dermatologie", "dermatología", "accueil", "réception", "reception", "secrétariat", "secretariat", "office",
    "desk", "inbox", "admin", "administration",
}

# Eponyms in report vocabulary: a patient called Bowen keeps "Bowen disease" readable elsewhere.
_EPONYMS = {
    "langer", "kogoj", "munro", "pautrier", "civatte", "touton", "verocay", "auspitz", "koebner", "nikolsky", "wickham",
    "kamino", "unna", "alcian", "congo", "perls", "warthin", "starry", "steiner", "masson", "miescher", "meissner", "pacini", "ziehl", "neelsen", "fontana", "grocott",
    "bowen", "clark", "breslow", "spitz", "merkel", "kaposi", "darier", "hailey", "grover", "sweet", "wells",
    "paget", "mohs", "crohn", "hodgkin", "reed", "sternberg", "masson", "giemsa", "gomori", "verhoeff", "pas",
}
# Words that are never a name on their own.
_NOT_NAMES = {
    "colleague", "colleagues", "sir", "madam", "all", "team", "location", "plastic", "plastics", "superior", "no", "nr",
    "kimlik", "patologia", "patologie", "pathologie", "dermatologia", "ospedale", "hôpital", "krankenhaus", "ziekenhuis",
    "sairaala", "opd", "result", "results",
    "skin", "left", "right", "the", "and", "of", "biopsy", "specimen", "patient", "doctor", "report", "male",
    "female", "man", "woman", "unknown", "not", "provided", "none", "n/a", "na", "see", "above", "below", "my", "our",
    "your", "his", "her", "their",
}
_STOP_WORDS = {"on", "at", "date", "dob", "mrn", "sex", "age", "gender", "male", "female", "man", "woman", "boy",
               "girl", "years", "year", "y/o", "ward", "clinic", "hospital", "tel", "phone", "nhs", "id", "ref"}
_REPORT_WORDS = {
    "skin", "left", "right", "diagnosis", "specimen", "biopsy", "excision", "punch", "shave", "part", "microscopy",
    "macroscopy", "comment", "addendum", "margin", "margins", "melanoma", "carcinoma", "naevus", "nevus", "sample",
    "upper", "lower", "back", "arm", "leg", "face", "scalp", "cheek", "forearm", "site", "clinical", "history", "gross",
    "final", "report", "pathology", "dermatopathology", "histology", "immunohistochemistry", "stain", "stains",
    "consultant", "histopathologist", "pathologist", "dermatologist", "registrar", "gp", "surgery", "hospital",
    "clinic", "medical", "practice", "department", "university", "centre", "center", "health", "record",
}
_CLINICAL_CODE = re.compile(r"(?i)^(?:y|r)?p[TNM]|^(?:CD|CK|HMB|KI|SOX|MART|IG|HLA|BRAF|NRAS|KIT|PD|ALK|TTF|C\d)")
_DATE_LIKE = re.compile(r"\d{1,4}[/\-.]\d{1,2}[/\-.]\d{1,4}|\d{1,2}:\d{2}(?::\d{2})?")
_PARTICLES = {"w/o", "e", "s/o", "d/o", "a/l", "a/p", "los", "las", "binte", "épouse", "epouse", "ep.", "ab", "verch", "op", "van", "von", "de", "der", "den", "da", "di", "du", "la", "le", "del", "bin", "binti", "al", "el", "ter",
              "te", "ten", "ap", "ó", "ní", "ni", "nic", "mac", "ibn", "bint", "abu", "dos", "das", "do", "della", "zu", "y"}
_TITLE_PREFIX = re.compile(r"(?:(?i:" + _TITLES + r"|prof|med|chief|alhaja|otunba|mallam|elder)\.?\s+)*")
_JOB_WORDS = _REPORT_WORDS | {
    "dermatopathologist", "surgeon", "physician", "family", "lab", "laboratory", "diagnostics", "group", "partners",
    "associates", "dermatology", "oncology", "plastics", "mdt", "specialist", "trainee", "fellow", "resident",
    "attending", "oberarzt", "oberärztin", "chefarzt", "fachärztin", "facharzt", "patholoog", "patóloga", "patólogo",
    "médecin", "pathologiste",
}
_TITLE_WORDS = {t.lower().rstrip("'?") for t in _TITLES.split("|")} | {"med", "professor"}
_CRED_WORDS = {c.replace("\\", "").lower() for c in _CREDENTIALS.split("|")}

# A whole line that is a signature: a name, then credentials or a job title ("Kieran Ó Súilleabháin FRCPA",
# "LAU Ka-wing, Kevin, MBBS FRCPA", "Søren Kjærgaard-Nielsen, overlæge").
_SIGNATURE_JOBS = (r"consultant(?:\s+\w+)?|(?:dermato)?pathologist|histopathologist|dermatologist|registrar|overl[æa]ge|"
                   r"overläkare|ylilääkäri|oberarzt|oberärztin|chefarzt|fachärztin|facharzt|patholoog|patólog[oa]|"
                   r"patologista|anatomopatólog[oa]|pathologiste|médico|specialist|attending|resident|fellow")
_SIGNATURE_LINE_RE = re.compile(r"(?m)^[ \t]*(?:(?:[Ss]igned|[Ee]lectronically signed|[Rr]eported)[^:\n]{0,20}:[ \t]*)?"
                                r"(?P<name>[" + _UP + r"][^\n,]{1,40}?(?:,[ \t]*[" + _UP + r"][" + _LO + r"'’\-]+(?:[ \t][" + _UP + r"][" + _LO + r"'’\-]+)?)?)"
                                r",?[ \t]+(?:(?:" + _CREDENTIALS + r")\b|(?i:" + _SIGNATURE_JOBS + r")\b)")

# Messages exported from chat apps: "[12/03/2025, 7:02 pm] Sunita Devi: ...", "12/03/2025, 16:05 - Ana Lima: ...",
# and a name before a role in brackets: "Josefa (cuidadora):".
_CHAT_SENDER_RE = re.compile(r"(?m)(?:^\[[^\]\n]{4,30}\][ \t]*|^\d{1,2}[/.]\d{1,2}[/.]\d{2,4},?[ \t]+\d{1,2}:\d{2}"
                             r"(?:[ \t]?[apAP][mM])?[ \t][-–][ \t])(?:(?:" + _TITLE_FORMS +
                             r")\.?[ \t]+)?(?P<name>[" + _UP + r"][" + _LO + r"]+(?:[ \t][" + _UP + r"][" + _LO + r"]+){0,3})"
                             r"(?:[ \t]*\([^()\n]{1,30}\))?:")
_ROLE_AFTER_RE = re.compile(r"(?P<name>(?<![\w'’])[" + _UP + r"][" + _LO + r"]+(?:[ \t][" + _UP + r"][" + _LO + r"]+){0,2})[ \t]*"
                            r"\((?i:cuidador[a]?|carer|caregiver|daughter|son|wife|husband|nurse|granddaughter|grandson|"
                            r"niece|nephew|sister|brother|mother|father|filha|filho|hija|hijo|sister-in-law)\)")
# HL7 name and address fields: "|BLACKWELL^ROSE^ANNE|", "^ODUYA^FEMI^A^^^MD", "|4417 Cedar Hollow Dr^^Lexington^KY^40503"
_HL7_NAME_RE = re.compile(r"(?<=[|\^])(?P<name>[A-Z][A-Za-z'’ \-]{1,30}\^[A-Z][A-Za-z'’\-]{1,30}(?:\^[A-Z][A-Za-z'’\-]{0,30})?)"
                          r"(?=[\^|])")
_HL7_ADDRESS_RE = re.compile(r"(?<=\|)\d{1,6}[ \t][A-Za-z .'’\-]{2,40}\^[^|\n]{0,40}?\^[A-Za-z .]{2,30}\^[A-Z]{2}\^[A-Z0-9 \-]{3,10}")
