"""De-identification: find personal health information (PHI) and replace it with typed placeholders.

``redact(text)`` returns a :class:`Redaction` whose ``text`` has placeholders such as ``[NAME]``, ``[MRN]``,
``[DATE]``, ``[PHONE]``, ``[EMAIL]``, ``[ADDRESS]``, ``[ID]`` and ``[AGE]``, and whose ``spans`` say where
(on the ORIGINAL text) each item was and what kind it was, never what it said. ``contains_phi(text)`` lists the
kinds still present, for residual checks on anything about to be logged, stored or sent to an LLM.

Rule based and deterministic: labelled fields (``Patient:``, ``MRN:``, ``DOB:``...), column layouts (a header
line of labels with the values on the next line), titles (Dr., Mr., Ms.), signatures with credentials
(``Jane Roe, MD``), dates, ages over 89, phone numbers, emails, street addresses and postcodes, SSN-like and
accession-like numbers. Names found once are also removed wherever they appear again. Medical numbers
(0.6 mm, 4 mm punch, pT1a, 1.2 x 0.8 cm, IgG, C3, Clark level IV, 2/mm2) are left alone.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field

PhiKind = Literal["NAME", "MRN", "DATE", "PHONE", "EMAIL", "ADDRESS", "ID", "AGE"]
KINDS: tuple[str, ...] = ("NAME", "MRN", "DATE", "PHONE", "EMAIL", "ADDRESS", "ID", "AGE")


class PhiSpan(BaseModel):
    """Where one PHI item was in the original text (offsets only; the value is never kept)."""

    kind: PhiKind
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Redaction(BaseModel):
    text: str
    spans: list[PhiSpan] = Field(default_factory=list)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for s in self.spans:
            out[s.kind] = out.get(s.kind, 0) + 1
        return out


# Letters for name patterns: Latin-1, Latin Extended-A (Ş, Ł, Ő...), Romanian and Greek; upper and lower case.
_UP = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽȘȚΑ-Ω"
_LO = "a-zß-öø-ÿāăąćĉċčďđēĕėęěĝğġģĥħĩīĭįıĵķĺļľŀłńņňŋōŏőœŕŗřśŝşšţťŧũūŭůűųŵŷźżžșțα-ω"

# ---------------------------------------------------------------- labels
_NAME_LABELS = (r"patient(?:'s)?(?: full)? name|patient|pt(?: name)?|full name|name|surname|last name|family name|"
                r"first names?(?:\(s\))?|given names?(?:\(s\))?|forenames?(?:\(s\))?|"
                r"(?:referring|ordering|requesting|submitting|treating|attending|consulting)\s+"
                r"(?:physician|doctor|clinician|provider|consultant|dermatologist|surgeon)|"
                r"physician|clinician|doctor|provider|consultant|dermatologist|surgeon|gp|"
                r"(?:derm)?pathologist|(?:electronically\s+)?signed(?:\s+out)?(?:\s+by)?|reported by|verified by|"
                r"dictated by|authori[sz]ed by|copy to|cc|next of kin|nok|guardian|parent|spouse|contact person|"
                r"(?:grossed|transcribed|typed|prepared|reviewed|examined|seen|requested|referred|received|checked)\s+by|"
                r"requested|requester|guarantor|resident|fellow|registrar|"
                r"nom|pr[ée]nom|nom de naissance|nom / name|paciente|patient[ei]?|pati[ëe]nt|patientin|paziente|doente|utente|"
                r"other names?|also known as|aka|betr\.?|betreff|"
                r"pat[óo]log[oa]|patholo(?:og|ge|gin)|arts|m[ée]decin|médico")
_MRN_LABELS = (r"mrn|medical record(?: number| no\.?| #)?|med\.? rec\.?(?: no\.?)?|record (?:number|no\.?)|"
               r"hospital (?:number|no\.?|id)|hosp\.? no\.?|unit (?:number|no\.?)|urn|chart (?:number|no\.?|#)|"
               r"patient id|pt id|accession(?: number| no\.?| #)?|acc\.?(?: no\.?| #)|case(?: number| no\.?| #| id)?|"
               r"lab(?:oratory)? (?:number|no\.?|#|ref(?:erence)?)|specimen (?:number|no\.?|#|id)|"
               r"surgical (?:pathology )?(?:number|no\.?|#)|path(?:ology)? (?:number|no\.?|#)|"
               r"report (?:number|no\.?|#|id)|encounter(?: number| no\.?| id)?|visit (?:number|no\.?|id)|"
               r"account (?:number|no\.?|#)|order (?:number|no\.?|#)|requisition(?: number| no\.?| #)?|"
               r"episode(?: number| no\.?)?|(?:our |your )?ref(?:erence)?(?: number| no\.?| #)?|uhid|nhc|"
               r"biopsy (?:number|no\.?)|n[°º]\.? ?d'examen|n\.?[°º] de biopsia|histologie-?nr\.?|"
               r"(?:lab|labo)?nummer|aanvraagnummer|eingangsnummer")
_ID_LABELS = (r"ssn|social security(?: number| no\.?)?|nhs(?: number| no\.?)?|chi(?: number| no\.?)?|"
              r"insurance(?: id| number| no\.?)?|member id|policy (?:number|no\.?)|medicare(?: number| no\.?)?|"
              r"medicaid(?: number| no\.?)?|health card(?: number| no\.?)?|passport(?: number| no\.?)?|"
              r"driver'?s licen[cs]e(?: number| no\.?)?|licen[cs]e (?:number|no\.?)|npi|employee id|ihi|bsn|nhi|nric(?:/fin)?|"
              r"fin|aadhaar|ramq|ohip|health card(?: \(\w+\))?|phn|dni|nie|nif|n[°º]\.? s[ée]curit[ée] sociale|"
              r"sozialversicherungs-?nr\.?|versichertennummer|h&c(?: number| no\.?)?|id number|mykad|ic no\.?|"
              r"resident registration no\.?|insurance policy|policy")
_DATE_LABELS = (r"dob|d\.o\.b\.?|date of birth|birth ?date|born|date(?: of)? (?:collection|collected|received|"
                r"reported|procedure|service|surgery|admission|discharge|biopsy|report|sign-?out)|"
                r"date de naissance|geboortedatum|geburtsdatum|geb\.?|fecha(?: de \w+)?|datum(?: \w+)?|"
                r"n[ée]e? le|pr[ée]l[èe]vement du|"
                r"(?:collected|received|reported|signed|printed|verified)(?: on| date)?|date")
_AGE_LABELS = r"age"
_PHONE_LABELS = (r"phone|tel(?:ephone)?\.?|mobile|cell|fax|pager|bleep|contact (?:number|no\.?)|ph\.?|"
                 r"t[ée]l[ée]phone|tel[ée]fono|telefon|telefoon|ext\.?|extension")
_ADDRESS_LABELS = (r"(?:home |postal |mailing |residential )?address|addr\.?|residence|residential|home|lives at|"
                   r"resides at|domicilio|direcci[óo]n|adresse|adres|anschrift|wohnort|woonadres|residenza|indirizzo|"
                   r"morada|endere[çc]o|local address|adresa|osoite|adress")
_EMAIL_LABELS = r"e-?mail"

_LABEL_KINDS: list[tuple[str, str]] = [
    ("NAME", _NAME_LABELS), ("MRN", _MRN_LABELS), ("ID", _ID_LABELS), ("DATE", _DATE_LABELS),
    ("AGE", _AGE_LABELS), ("PHONE", _PHONE_LABELS), ("ADDRESS", _ADDRESS_LABELS), ("EMAIL", _EMAIL_LABELS),
]
# A label starts a line or follows a field separator; it ends with ':' or '#' (or is a distinctive word).
_LABEL_RE = re.compile(
    r"(?im)(?:^|(?<=\s{2})|(?<=\t)|(?<=\|)|(?<=;)|(?<=,\s)|(?<=\.\s)|(?<=\(\s)|(?<=\())[ \t>*\-]{0,8}(?=[A-Za-z])"
    r"(?P<label>" + "|".join(f"(?P<{k}>{p})" for k, p in _LABEL_KINDS) + r")"
    r"[ \t]*(?:[:#=]|\.(?=\s))[ \t]*")
# Distinctive labels may sit anywhere and need no colon ("MRN 1234567", "DOB 01/02/1950").
_LOOSE_LABEL_RE = re.compile(
    r"(?i)\b(?P<label>(?P<MRN>mrn|accession(?: no\.?| number)?|medical record (?:number|no\.?))|"
    r"(?P<ID>ssn|nhs (?:number|no\.?)|medicare(?: mbi)?|nhi|nric|dni|aadhaar|ramq|ohip|bsn|ihi)|(?P<DATE>dob|d\.o\.b\.?|date of birth)|"
    r"(?P<PHONE>phone|tel|telephone|mobile|fax)|(?P<ADDRESS>lives at|resides at|residing at))[ \t]*[:#]?[ \t]*"
    r"(?=[A-Za-z0-9(+])")
_FIELD_END = re.compile(r"\s{2,}|\t|\||;|\n|$")

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
    re.compile(r"(?i)\b\d{1,2}[\-/ ]" + _MONTHS + r"[\-/ ,]+\d{2,4}\b"),
    re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTHS + r"\.?(?:,?\s+\d{4})?\b"),
    re.compile(r"\b" + _MONTHS + r"\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?\b(?!\s*(?:mm|cm|%))"),
    re.compile(r"\b" + _MONTHS + r"\.?,?\s+(?:19|20)\d{2}\b"),
]
_EMAIL_RE = re.compile(r"(?<![\w.+\-])[\w.+\-]{1,64}@[\w\-]{1,63}(?:\.[\w\-]{1,63}){1,8}\b")
_SSN_RE = re.compile(r"\b\d{3}-\d{2}-\d{4}\b|(?i:(?<![\w*])(?:x{3}|\*{3})-(?:x{2}|\*{2})-\d{4}\b)")  # also masked
_PHONE_RE = re.compile(r"(?<![\w.])(?:\+\d{1,3}[\s.\-]?)?(?:\(\d{1,5}\)[\s.\-]?)?\d{1,6}(?:[\s.\-]\d{2,6}){1,4}"
                       r"(?!\w)(?!\.\d)")
_ACCESSION_RE = re.compile(r"(?:\b\d{2}:[A-Z]{1,3}\d{3,8}\b|\b[A-Z]{1,4}\d{2}/\d{3,8}\b|\b[A-Z]{1,3}-(?:19|20)\d{2}-\d{2,8}(?:-[A-Z]?\d{0,3})?\b|\b[A-Z]{1,4}-?\d{2}-\d{3,8}\b|\b[A-Z]{1,3}\d{2}-\d{3,8}\b|\b[A-Z]{0,3}\d{7,}\b)(?:[ \-/][A-Z]\d{1,2}\b)?")
# Typist and transcriber initials: "Typed: ab/cd", a line that is only "ab/cd".
_TYPIST_RE = re.compile(r"(?im)(?:\b(?:typed|typist|transcribed|transcriptionist|dictated)\b[ \t:]*(?:by)?[ \t:]*"
                        r"(?P<name>[A-Za-z]{2,3}/[A-Za-z]{2,3})\b|^[ \t]*(?P<alone>[A-Za-z]{2,3}/[A-Za-z]{2,3})[ \t]*$)")
_EXTENSION_RE = re.compile(r"(?i)\b(?:ext|extn|extension|x)\.?[ \t]*(?P<n>\d{3,6})\b")
_LONG_NUMBER_RE = re.compile(r"(?<![\d.,])\d{6,}(?![\d.,])")
_AGE_RES = [
    re.compile(r"(?i)\b(?P<age>9\d|1[01]\d)(?=\s*-?\s*(?:years?|yrs?|y)\b\s*-?\s*old)"),
    re.compile(r"(?i)(?<=\bage\b)[\s:]*(?P<age>9\d|1[01]\d)\b"),
    re.compile(r"(?i)(?<=\baged\b)\s*(?P<age>9\d|1[01]\d)\b"),
    re.compile(r"(?i)\b(?P<age>9\d|1[01]\d)(?=\s*(?:y/?o|yo|yrs?|years?)\b)"),
    re.compile(r"\b(?P<age>9\d|1[01]\d)(?=\s?[MF]\b)"),
    re.compile(r"(?<![\d.])(?P<age>9\d|1[01]\d)(?=\s?/\s?(?:[MFmf]|male|female)\b)"),  # "91/F"
    re.compile(r"(?i)(?<![\d.])(?P<age>9\d|1[01]\d)(?=[\s\-]?(?:jährig\w*|jarig\w*|ans\b|años\b|anni\b))"),
    re.compile(r"(?<=\d{4})[ \t]*\((?P<age>9\d|1[01]\d)(?:[ \t]*(?:y|yrs?|years?))?\)"),
    re.compile(r"(?i)(?<![\d.])(?P<age>9\d|1[01]\d)(?=\s?(?:y|yo|yr|yrs|years?)\b)"
               r"(?!\s?(?:y|yo|yr|yrs|years?)\s+(?:ago|since|before|after|later))"),  # "91y", "90 yrs"
]
_STREET_SUFFIX = (r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Boulevard|Blvd|Way|Court|Ct|Place|Pl|Terrace|"
                  r"Close|Crescent|Cres|Square|Sq|Parkway|Pkwy|Highway|Hwy|Gardens|Grove|Row|Walk|Circle|Cir|Trail|"
                  r"Mews|Hill|Park|Rise|View)")
_STREET_RE = re.compile(
    r"\b(?:(?:Flat|Apt|Apartment|Unit|Suite)\.?\s*\w+,?\s+)?\d{1,5}[A-Za-z]?,?\s+(?:[A-Z][A-Za-z'’.\-]*\s+){1,4}"
    + "(?i:" + _STREET_SUFFIX + r")\b\.?(?:,?\s+(?:[A-Z][A-Za-z'’.\-]+\s?){1,3}(?=[,\n]|\s+[A-Z]{1,2}\d|\s+\d{5}))?"
    r"(?:,\s*(?:[A-Z][A-Za-z'’.\-]+\s?){1,3})?")
# Continental European streets ("Hauptstrasse 12", "Keizersgracht 123", "Rue des Lilas"), postcodes followed by a
# town ("10115 Berlin", "1012 AB Amsterdam", "75011 Paris"), Australian states, Canadian and Indian postcodes.
_EURO_STREET_RE = re.compile(
    r"\b[A-ZÄÖÜ][a-zäöüßé\-]*(?:stra(?:ß|ss)e|str\.|weg|gasse|platz|allee|ring|damm|laan|straat|gracht|plein|dijk|"
    r"kade|singel|steeg)\s+\d{1,4}[a-z]?\b|\b(?:Rue|Avenue|Boulevard|Calle|Avenida|Via|Viale|Piazza|Rua|Plaza)\s+"
    r"(?:(?:de|des|du|la|le|del|della|di|do|da|dos)\s+){0,2}[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+){0,2}(?:,?\s+\d{1,4}\b)?")
_POSTCODE_TOWN_RE = re.compile(r"(?m)(?:(?<=,)|(?<=, )|(?<=\t)|^[ \t]*|(?<=\b[A-Z]-)|(?<=\bNL-))\d{4,5}(?:\s?[A-Z]{2})?\s+[A-ZÄÖÜ][a-zäöüé]+(?:[ \-][A-Z][a-zäöüé]+)?\b"
                               r"(?!\s*(?:mm|cm|stain|cells))")
_STATE_POSTCODE_RE = re.compile(r"\b(?:[A-Z][A-Za-z]+\s+){0,2}(?:NSW|VIC|QLD|WA|SA|TAS|ACT|NT|ON|QC|BC|AB|MB|NS|NB)\s+"
                                r"(?:\d{4}\b|[A-Z]\d[A-Z]\s?\d[A-Z]\d\b)")
# "..., Hamilton 3204", "Te Aro, Wellington 6011": a town and a four-digit postcode closing an address line.
_TOWN_POSTCODE_RE = re.compile(r"(?m)(?<=,[ \t])[A-Z][a-z]+(?:[ \t][A-Z][a-z]+)?[ \t]\d{4}\b(?=[ \t]*(?:$|\t|\||[ \t]{2}))")
_CA_POSTCODE_RE = re.compile(r"\b[A-Z]\d[A-Z]\s?\d[A-Z]\d\b|\b(?:[AC-FHKNPRTV-Y]\d{2}|D6W)\s[AC-FHKNPRTV-Y0-9]{4}\b")
_PIN_RE = re.compile(r"\b[A-Z][A-Za-z]+\s*[\-–]\s*\d{6}\b|\b[A-Z][a-z]+\s+\d{3}\s\d{3}\b")
_PO_BOX_RE = re.compile(r"(?i)\bP\.?\s?O\.?\s+Box\s+\d+\b")
_POSTCODE_RE = re.compile(r"\b(?:[A-Z][a-z]+\s+){0,2}[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b")
_ZIP_RE = re.compile(r"\b(?:[A-Z][a-z]+(?:\s[A-Z][a-z]+)?,\s*)?[A-Z]{2}\s+\d{5}(?:-\d{4})?\b")
_PARTICLE_RX = r"(?:(?:van|von|de|der|den|da|di|du|la|le|del|dos|bin|binti|al|el|ter|ten)[ \t]+){0,2}"
_TITLES = (r"Dr|Dra|Doctor|Mr|Mrs|Ms|Miss|Mx|Prof|Professor|Sister|Nurse|Sr|Sra|Srta|Mme|Mlle|Herr|Herrn|Frau|"
           r"mevr|mevrouw|dhr|de heer|Encik|Puan|Cik|Tuan|Dato'?|Datin|Shri|Smt|Sri")
# A title in several languages, repeated ("Prof. Dr. med."), then up to four name words. Titles count as written in
# capitals or title case (and the lower-case Dutch "dr."/"mevr."): "doctor. Give me" is no title.
_TITLE_FORMS = "|".join(sorted({f for t in ["Prof", *_TITLES.split("|")] for f in (t, t.upper())} |
                               {"dr", "prof", "mevr", "mevrouw", "dhr"}, key=len, reverse=True))
_TITLE_RE = re.compile(r"(?<![\w'’])(?:(?:" + _TITLE_FORMS + r")\.?[ \t]+(?:(?i:med|rer\. nat)\.[ \t]+)?){1,3}"
                       r"(?P<name>(?:[A-Z]\.[ \t]?){0,3}" + _PARTICLE_RX + r"[" + _UP + r"][\w'’\-]*"
                       r"(?:[ \t]+" + _PARTICLE_RX + r"(?:[A-Z]\.[ \t]?)?[" + _UP + r"][\w'’\-]*){0,4})")
_CREDENTIALS = (r"MD|M\.D\.|DO|MBBS|MB BS|MBChB|MBBCh|BMBS|FRCPath|FRCPA|FRCP|FRCPC|FAAD|FACP|PhD|DPhil|RN|NP|"
                r"PA-C|MRCP|MRCPath|DM|DNB|FCAP|MS")
_CREDENTIAL_RE = re.compile(r"(?<![\w.])(?P<name>[A-Z][A-Za-z'’\-]{1,30}(?:\s{1,3}[A-Z]\.)?(?:\s{1,3}[A-Z][A-Za-z'’\-]{1,30}){1,2})"
                            r",?\s{1,3}(?:" + _CREDENTIALS + r")\b")
# "J. K. Rowe", "J.M. van der Berg-de Vries": two initials and a surname; one initial after by/to/cc/from.
_INITIALS_RE = re.compile(r"(?<![\w.])(?P<name>(?:[A-Z]\.[ \t]?){2,3}" + _PARTICLE_RX + r"[" + _UP + r"][" + _LO + r"'’][\w'’\-]*"
                          r"|(?<=\bby |\bto |\bcc )(?:[A-Z]\.[ \t]?)" + _PARTICLE_RX + r"[" + _UP + r"][" + _LO + r"'’][\w'’\-]*)")
# Relatives and staff named in running text: "her son Graham", "daughter, Lucía Ramírez", "nurse Ruth Young".
_RELATION_RE = re.compile(r"(?i:\b(?:son|daughter|wife|husband|partner|spouse|mother|father|mum|mom|dad|brother|sister|"
                          r"niece|nephew|grandson|granddaughter|grandchild|aunt|uncle|cousin|carer|caregiver|friend|"
                          r"neighbour|neighbor|guardian|nurse|tochter|sohn|ehefrau|ehemann|fille|fils|épouse|mari|hija|"
                          r"hijo|esposa|esposo|dochter|zoon)\b)[ \t]*[,:(]?[ \t]*(?:(?i:is|was|named|called)[ \t]+)?"
                          r"(?P<name>(?!I['’])" + _PARTICLE_RX + r"[" + _UP + r"][" + _LO + r"'’][\w'’\-]*(?:[ \t]+" + _PARTICLE_RX +
                          r"[" + _UP + r"][" + _LO + r"'’][\w'’\-]*){0,3})")
# Greetings: "Dear Dr Hope", "Hi Nick," (the title form is caught by _TITLE_RE).
_GREETING_RE = re.compile(r"(?m)^[ \t]*(?i:dear|hi|hello|hallo|bonjour|beste|estimad[oa])[ \t]+(?P<name>[A-Z][a-z'’\-]+"
                          r"(?:[ \t]+[A-Z][a-z'’\-]+)?)[ \t]*[,!\n]")
# "BOWMAN-KEOGH, Ellis", "GARCÍA DE LA TORRE, José Antonio": a surname in capitals, a comma and a given name.
_CAPS_SURNAME_RE = re.compile(r"(?<![\w'’])(?P<name>(?:(?:DE|DEL|LA|VAN|DER|VON|DU|LE|BIN|AL|O'|MAC|MC)[ \t])*"
                              r"[" + _UP + r"][" + _UP + r"'’\-]{2,}(?:[ \t](?:DE|DEL|LA|VAN|DER|VON|DU|LE|Y|E)?[ \t]?[" + _UP + r"][" + _UP + r"'’\-]{2,}){0,3}"
                              r"(?:[ \t]née[ \t][" + _UP + r"'’\-]{2,})?,[ \t]+[" + _UP + r"][" + _LO + r"'’][" + _LO + r"'’]*(?:[ \t\-][" + _UP + r"][" + _LO + r"'’]+){0,2}(?:[ \t][A-Z]\.?)?)(?![\w\-])")
# capitals that are report abbreviations, not surnames ("PAS, Ziehl-Neelsen", "DIF, IgG")
_ABBREVIATIONS = {"PAS", "DIF", "GMS", "IHC", "SCC", "BCC", "HPF", "AJCC", "CAP", "TNM", "LVI", "PNI", "MDT", "DNA",
                  "PCR", "EVG", "AFB", "IGG", "IGA", "IGM", "SOX", "HMB", "EMA", "NOS", "WHO", "UICC", "RCPATH", "NHS",
                  "SLNB", "WLE", "FNA", "TCR", "MIS", "PRAME", "MELAN", "MART", "CD", "CK", "TTF", "BRAF", "KI", "SCCIS", "AK", "DFSP", "MF", "LPP", "DLE", "SLE", "BP", "PV"}
_NAME_BEFORE_ID_RE = re.compile(r"(?P<name>(?<![\w'’])[" + _UP + r"][" + _LO + r"'’][\w'’\-]*(?:[ \t]+" + _PARTICLE_RX +
                                r"[" + _UP + r"][\w'’\-]+){1,3}),?[ \t]+\(?(?i:dob|d\.o\.b\.?|born|b\.|mrn|urn|nhs|chi|"
                                r"hospital no|aged?)\b")
# Names written in Hangul or CJK characters (in an English report they are names).
_CJK_NAME_RE = re.compile(r"[\uac00-\ud7af]{2,4}|[\u4e00-\u9fff]{2,4}")
# Clinicians' registration numbers, web links.
_REGISTRATION_RE = re.compile(r"\b(?:GMC|IMC|HPCSA(?:[ \t]MP)?|AHPRA|CPSO|KMC|MCI|NMC|HCPC|NPI|MCNZ|CPSBC|BIG|RPPS|"
                              r"ADELI|LANR|Reg\.?[ \t]*No\.?|Registration(?:[ \t]No\.?)?)[ \t:#.]*[A-Z]{0,3}\d{4,}\b|"
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
}

# Eponyms in report vocabulary: a patient called Bowen keeps "Bowen disease" readable elsewhere.
_EPONYMS = {
    "bowen", "clark", "breslow", "spitz", "merkel", "kaposi", "darier", "hailey", "grover", "sweet", "wells",
    "paget", "mohs", "crohn", "hodgkin", "reed", "sternberg", "masson", "giemsa", "gomori", "verhoeff", "pas",
}
# Words that are never a name on their own.
_NOT_NAMES = {
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
_PARTICLES = {"van", "von", "de", "der", "den", "da", "di", "du", "la", "le", "del", "bin", "binti", "al", "el", "ter",
              "te", "ten", "ap", "ó", "ní", "ni", "nic", "mac", "ibn", "bint", "abu", "dos", "das", "do", "della", "zu", "y"}
_TITLE_PREFIX = re.compile(r"(?:(?i:" + _TITLES + r"|prof|med)\.?\s+)*")
_JOB_WORDS = _REPORT_WORDS | {
    "dermatopathologist", "surgeon", "physician", "family", "lab", "laboratory", "diagnostics", "group", "partners",
    "associates", "dermatology", "oncology", "plastics", "mdt", "specialist", "trainee", "fellow", "resident",
    "attending", "oberarzt", "oberärztin", "chefarzt", "fachärztin", "facharzt", "patholoog", "patóloga", "patólogo",
    "médecin", "pathologiste",
}
_TITLE_WORDS = {t.lower().rstrip("'?") for t in _TITLES.split("|")} | {"med", "professor"}
_CRED_WORDS = {c.replace("\\", "").lower() for c in _CREDENTIALS.split("|")}


def _is_name_token(tok: str) -> bool:
    t = tok.strip(".,")
    if not t:
        return False
    if t.lower() in _PARTICLES:
        return True
    letters = t.replace("'", "").replace("’", "").replace("-", "").replace(".", "")
    return letters.isalpha() and t[0].isupper()


def _name_extent(value: str) -> int:
    """Length of the leading part of ``value`` that reads as a person's name (0 when it does not)."""
    m = _TITLE_PREFIX.match(value)
    pos, end, words, commas = m.end(), 0, 0, 0
    for tm in re.finditer(r"[^\s,^]+|[,^]", value[pos:]):
        tok = tm.group(0)
        if tok in {",", "^"}:
            # "SURNAME, Given" and "GARZA DE LA CRUZ, MARIA" go on after the comma; "C. Grant, Abbeyfield" does not
            before = value[pos:pos + tm.start()]
            commas += 1
            if commas > 1 or (words >= 2 and not before.replace("'", "").replace("-", "").replace(" ", "").isupper()):
                break
            continue
        bare = tok.strip(".,():#")
        if bare.lower() in _CRED_WORDS or bare.lower() in _STOP_WORDS or bare.lower() in _JOB_WORDS:
            break
        if not _is_name_token(tok):
            break
        words += bare.lower() not in _PARTICLES
        end = pos + tm.end()
        if words >= 6:
            break
    text = value[:end].rstrip(".,")
    has_real = any(len(w.strip(".,")) >= 2 and w.strip(".,").lower() not in _NOT_NAMES
                   for w in re.split(r"[\s,^]+", text[m.end():]) if w)
    return len(text) if has_real else 0


def _title_len(value: str) -> int:
    return _TITLE_PREFIX.match(value).end()


def _add(spans: list[tuple[int, int, str]], start: int, end: int, kind: str) -> None:
    if end > start:
        spans.append((start, end, kind))


def _labelled(text: str, spans: list[tuple[int, int, str]], names: list[str]) -> None:
    for regex in (_LABEL_RE, _LOOSE_LABEL_RE):
        for m in regex.finditer(text):
            kind = next(k for k in KINDS if m.groupdict().get(k))
            vstart = m.end()
            fm = _FIELD_END.search(text, vstart)
            vend = fm.start() if fm else len(text)
            if vend == vstart and regex is _LABEL_RE:  # label alone on its line: value on the next line
                nxt = re.compile(r"[ \t]*\n[ \t]*(?P<v>[^\n]+)").match(text, vstart)
                if not nxt or _LABEL_RE.match(text, nxt.start("v")):
                    continue
                vstart = nxt.start("v")
                fm = _FIELD_END.search(text, vstart)
                vend = fm.start() if fm else len(text)
            _value(text, vstart, vend, kind, spans, names)


def _value(text: str, start: int, end: int, kind: str, spans: list, names: list[str]) -> None:
    value = text[start:end]
    stripped = value.rstrip(" .,")
    if not stripped or stripped.lower() in {"unknown", "n/a", "na", "none", "not provided", "not given", "-"}:
        return
    if stripped.startswith("["):  # already a placeholder
        return
    if kind == "NAME":
        n = _name_extent(value)
        t = _title_len(value)
        if n > t:
            _add(spans, start + t, start + n, "NAME")
            names.append(value[t:n])
    elif kind == "AGE":
        m = re.match(r"\s*(\d{1,3})(?!\d)", value)
        if m and int(m.group(1)) > 89:
            _add(spans, start + m.start(1), start + m.end(1), "AGE")
    elif kind in ("MRN", "ID"):
        m = re.match(r"#?\s*[A-Za-z0-9][A-Za-z0-9#/\-.]*(?:\s\d[\d\-]*)*", stripped)
        if m and sum(c.isdigit() for c in m.group(0)) >= 3:
            _add(spans, start, start + len(m.group(0).rstrip(".-")), kind)
    elif kind == "PHONE":
        m = re.match(r"\+?[\d(][\d\s().\-]*\d(?:\s*(?:ext\.?|x)\s*\d+)?", stripped)
        if m and sum(c.isdigit() for c in m.group(0)) >= 6:
            _add(spans, start, start + m.end(), kind)
    elif kind == "DATE":
        m = re.match(r"(?:(?:\d{1,4}(?:st|nd|rd|th)?|" + _MONTHS + r"[a-z]*\.?)[/.\-, ]{0,2})+", stripped)
        if m and (re.search(r"\d", m.group(0)) or re.match(_MONTHS, m.group(0))):
            _add(spans, start, start + len(m.group(0).rstrip(" ,.-/")), "DATE")
    else:  # ADDRESS, EMAIL: the whole field (an address ends where a new sentence starts)
        cut = re.search(r"\.\s+(?=[A-Z][a-z])", stripped) if kind == "ADDRESS" else None
        _add(spans, start, start + (cut.start() if cut else len(stripped)), kind)


_COLUMN_LABEL = re.compile(r"(?i)^(?:" + "|".join(f"(?P<{k}>{p})" for k, p in _LABEL_KINDS) + r")$")


def _tab_rows(text: str, lines: list[str], offsets: list[int], spans: list, names: list[str]) -> None:
    """Tab-separated tables: a header row naming columns (Patient, DOB, Lab No...), then rows of values."""
    for i, ln in enumerate(lines):
        if "\t" not in ln or ":" in ln:
            continue
        heads = ln.split("\t")
        kinds = []
        for h in heads:
            cm = _COLUMN_LABEL.match(h.strip().rstrip(":#."))
            kinds.append(next((k for k in KINDS if cm and cm.group(k)), None))
        if sum(k is not None for k in kinds) < 2:
            continue
        for j in range(i + 1, len(lines)):
            cells = lines[j].split("\t")
            if len(cells) != len(heads) or not lines[j].strip():
                break
            pos = offsets[j]
            for cell, kind in zip(cells, kinds):
                if kind and cell.strip():
                    lead = len(cell) - len(cell.lstrip())
                    _value(text, pos + lead, pos + len(cell.rstrip()), kind, spans, names)
                pos += len(cell) + 1


def _columns(text: str, spans: list, names: list[str]) -> None:
    """A header line of labels only (no colons), with values on the next line in the same columns."""
    lines = text.split("\n")
    offsets, pos = [], 0
    for ln in lines:
        offsets.append(pos)
        pos += len(ln) + 1
    _tab_rows(text, lines, offsets, spans, names)
    for i, ln in enumerate(lines[:-1]):
        cells = [(m.start(), m.group(0).strip()) for m in re.finditer(r"\S+(?: \S+)*", ln)]
        if len(cells) < 2 or ":" in ln or "\t" in ln:  # tab tables: _tab_rows
            continue
        kinds = []
        for _, cell in cells:
            cm = _COLUMN_LABEL.match(cell)
            kinds.append(next((k for k in KINDS if cm and cm.group(k)), None))
        if sum(k is not None for k in kinds) < 2:
            continue
        j = i + 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        if j >= len(lines):
            continue
        row = lines[j]
        values = [(m.start(), m.end()) for m in re.finditer(r"\S+(?: \S+)*", row)]
        for vs, ve in values:
            col = max((c for c in range(len(cells)) if cells[c][0] <= vs + 1), default=0)
            kind = kinds[col]
            if kind:
                _value(text, offsets[j] + vs, offsets[j] + ve, kind, spans, names)


_CELL_SPLIT = re.compile(r"\s*\|\s*|\t+|\s{2,}")


def _cells(text: str, spans: list, names: list[str]) -> None:
    """Key/value rows of tables: "| Patient | Surname, First |", "Patient<TAB>Surname, First"."""
    pos = 0
    for ln in text.split("\n"):
        if "|" in ln or "\t" in ln or "  " in ln.strip():
            cells, last = [], 0
            for sep in list(_CELL_SPLIT.finditer(ln)) + [None]:
                end = sep.start() if sep else len(ln)
                if end > last:
                    cells.append((last, end))
                last = sep.end() if sep else len(ln)
            for (ks, ke), (vs, ve) in zip(cells, cells[1:]):
                key = ln[ks:ke].strip().rstrip(":#.").strip()
                cm = _COLUMN_LABEL.match(key)
                kind = next((k for k in KINDS if cm and cm.group(k)), None)
                if kind and not _COLUMN_LABEL.match(ln[vs:ve].strip().rstrip(":#.")):
                    _value(text, pos + vs, pos + ve, kind, spans, names)
        pos += len(ln) + 1


def _patterns(text: str, spans: list, names: list[str]) -> None:
    for m in _EMAIL_RE.finditer(text):
        _add(spans, m.start(), m.end(), "EMAIL")
    for m in _SSN_RE.finditer(text):
        _add(spans, m.start(), m.end(), "ID")
    for rx in _DATE_RES:
        for m in rx.finditer(text):
            _add(spans, m.start(), m.end(), "DATE")
    for m in _PHONE_RE.finditer(text):
        digits = sum(c.isdigit() for c in m.group(0))
        if 9 <= digits <= 15 and not re.fullmatch(r"[\d.]+", m.group(0)):
            _add(spans, m.start(), m.end(), "PHONE")
    for m in _ACCESSION_RE.finditer(text):
        _add(spans, m.start(), m.end(), "MRN")
    for m in _EXTENSION_RE.finditer(text):
        _add(spans, m.start("n"), m.end("n"), "PHONE")
    for m in _TYPIST_RE.finditer(text):
        g = "name" if m.group("name") else "alone"
        if m.group(g).lower() not in {"and/or", "w/o", "s/p"} and not re.match(r"(?i)(?:cd\d|ck)", m.group(g)):
            _add(spans, m.start(g), m.end(g), "NAME")
    for m in _LONG_NUMBER_RE.finditer(text):
        _add(spans, m.start(), m.end(), "ID")
    for rx in _AGE_RES:
        for m in rx.finditer(text):
            _add(spans, m.start("age"), m.end("age"), "AGE")
    for rx in (_STREET_RE, _PO_BOX_RE, _POSTCODE_RE, _ZIP_RE, _EURO_STREET_RE, _POSTCODE_TOWN_RE, _STATE_POSTCODE_RE,
               _CA_POSTCODE_RE, _PIN_RE, _TOWN_POSTCODE_RE):
        for m in rx.finditer(text):
            if not re.search(r"(?i)\b(margin|mm|cm|level|clark|breslow|deep|peripheral|stage|grade)\b", m.group(0)):
                _add(spans, m.start(), m.end(), "ADDRESS")
    for m in _SIGN_OFF_RE.finditer(text):
        group = "name" if m.group("name") else "dash"
        words = m.group(group).split()
        lows = {w.lower().strip(".,") for w in words}
        if words[0].lower() in _SENTENCE_STARTERS or lows & (_NOT_NAMES | _STOP_WORDS | _NOT_PERSON_WORDS | _EPONYMS):
            continue
        _add(spans, m.start(group), m.end(group), "NAME")
        names.append(m.group(group))
    for m in _URL_RE.finditer(text):
        _add(spans, m.start(), m.end(), "ID")
    for m in _REGISTRATION_RE.finditer(text):
        _add(spans, m.start(), m.end(), "ID")
    for m in _CODE_RE.finditer(text):
        code = m.group(0)
        digits = sum(c.isdigit() for c in code)
        if digits >= 4 and (re.search(r"[A-Z]", code) or (digits >= 7 and "-" in code)) \
                and not _CLINICAL_CODE.match(code) and not _DATE_LIKE.fullmatch(code) \
                and not re.match(r"[ \t]?(?:%|mm|cm|µm|um|/mm|per\b|x\b)", text[m.end():m.end() + 4]):
            _add(spans, m.start(), m.end(), "MRN")
    for m in _CJK_NAME_RE.finditer(text):
        _add(spans, m.start(), m.end(), "NAME")
    for rx in (_RELATION_RE, _GREETING_RE, _CAPS_SURNAME_RE, _INITIALS_RE, _NAME_BEFORE_ID_RE):
        for m in rx.finditer(text):
            words = re.split(r"[\s,]+", m.group("name"))
            if rx is _CAPS_SURNAME_RE and words[0].upper() in _ABBREVIATIONS:
                continue
            if {w.lower().strip(".,") for w in words} & (_NOT_NAMES | _STOP_WORDS | _NOT_PERSON_WORDS | _REPORT_WORDS |
                                                         _TITLE_WORDS):
                continue
            _add(spans, m.start("name"), m.end("name"), "NAME")
            names.append(m.group("name"))
    for rx in (_TITLE_RE, _CREDENTIAL_RE, _SELF_INTRO_RE):
        for m in rx.finditer(text):
            if m.group("name").split()[0].rstrip(".").lower() in _TITLE_WORDS:
                continue  # "Prof. Dr. med. [NAME]": a title after a title is no name
            n = _name_extent(m.group("name"))
            if n:
                _add(spans, m.start("name"), m.start("name") + n, "NAME")
                names.append(m.group("name")[:n])


def _propagate(text: str, spans: list, names: list[str]) -> None:
    """Remove other appearances of names already found (as written, or in capitals)."""
    tokens = set()
    for name in names:
        for tok in re.split(r"[\s,^]+", name):
            t = tok.strip(".,()")
            low = t.lower()
            if len(t) >= 2 and t[0].isupper() and low not in _NOT_NAMES | _PARTICLES | _EPONYMS | _STOP_WORDS | \
                    _TITLE_WORDS | _REPORT_WORDS:
                tokens.update({t, t.upper(), t.capitalize()})
    for t in sorted(tokens, key=len, reverse=True):
        for m in re.finditer(r"(?<![\w\[])" + re.escape(t) + r"(?![\w\]])", text):
            _add(spans, m.start(), m.end(), "NAME")


_ADDRESS_PART = r"(?:[A-Z0-9][\w'’.\-]*(?:[ \t][A-Za-z0-9][\w'’.\-]*){0,3})"
_ADDR_LEFT = re.compile(r"(?:" + _ADDRESS_PART + r"[ \t]*,[ \t]*){1,4}$")
_ADDR_RIGHT = re.compile(r"^(?:[ \t]*,[ \t]*" + _ADDRESS_PART + r"){1,3}(?=[ \t]*(?:$|\n|\||\t|;|\.(?:\s|$)))")


def _widen_addresses(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """An address found by one pattern takes the comma-separated parts beside it on its line
    ("Koramangala, Bengaluru - 560034", "10115 Berlin, Germany")."""
    out = []
    for s, e, k in spans:
        if k == "ADDRESS":
            line_start = text.rfind("\n", 0, s) + 1
            line_start = max(line_start, s - 160)  # an address line is short; bounds the search on huge lines
            before = text[line_start:s]
            cut = max(before.rfind(":"), before.rfind("|"), before.rfind("\t"))
            m = _ADDR_LEFT.search(before[cut + 1:])
            if m and not re.search(r"(?i)\b(?:mm|cm|margin|biopsy|skin|specimen|lives|resides|residing|at|of)\b",
                                   m.group(0)):
                s = line_start + cut + 1 + m.start()
            m = _ADDR_RIGHT.match(text[e:e + 120])
            if m and not re.search(r"(?i)\b(?:mm|cm|margin|biopsy|skin|specimen)\b", m.group(0)):
                e += m.end()
        out.append((s, e, k))
    return out


def _merge(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Union overlapping spans; the longest contributor names the kind."""
    out: list[list] = []
    for s, e, k in sorted(spans, key=lambda x: (x[0], -(x[1] - x[0]))):
        if out and s < out[-1][1]:
            last = out[-1]
            if e - s > last[4]:
                last[2], last[4] = k, e - s
            last[1] = max(last[1], e)
        else:
            out.append([s, e, k, e, e - s])
    return [(s, e, k) for s, e, k, _, _ in out]


def find_phi(text: str) -> list[PhiSpan]:
    """Every PHI span in ``text`` (merged, in order)."""
    spans: list[tuple[int, int, str]] = []
    names: list[str] = []
    _labelled(text, spans, names)
    _columns(text, spans, names)
    _cells(text, spans, names)
    _patterns(text, spans, names)
    _propagate(text, spans, names)
    return [PhiSpan(kind=k, start=s, end=e) for s, e, k in _merge(_widen_addresses(text, spans))]


def redact(text: str) -> Redaction:
    """Replace PHI in ``text`` with typed placeholders; spans point into the original text."""
    text = text or ""
    spans = find_phi(text)
    parts, pos = [], 0
    for sp in spans:
        parts += [text[pos:sp.start], f"[{sp.kind}]"]
        pos = sp.end
    parts.append(text[pos:])
    return Redaction(text="".join(parts), spans=spans)


def contains_phi(text: str) -> list[str]:
    """Kinds of PHI still detectable in ``text`` (sorted, unique; empty when clean). Never returns values."""
    return sorted({sp.kind for sp in find_phi(text or "")})
