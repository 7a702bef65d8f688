"""De-identification field labels: the words before a value that say what it is ("Patient:", "MRN #", "DOB",
"Folder No:", "TSID:"), by kind, and the label patterns built from them. ``assistant.phi_patterns`` re-exports them."""

from __future__ import annotations

import re

_NAME_LABELS = (r"patient(?:'s)?(?: full)? name|patient|pt(?: name)?|full name|name|surname|last name|family name|"
                r"first names?(?:\(s\))?|given names?(?:\(s\))?|forenames?(?:\(s\))?|"
                r"(?:referring|ordering|requesting|submitting|treating|attending|consulting)\s+"
                r"(?:physician|doctor|clinician|provider|consultant|dermatologist|surgeon)|"
                r"physician|clinician|doctor|provider|consultant|dermatologist|surgeon|gp|"
                r"(?:derm)?pathologist|(?:electronically\s+)?signed(?:\s+out)?(?:\s+by)?|reported by|verified by|"
                r"dictated by|authori[sz]ed by|copy to|cc|next of kin|nok|guardian|parent|spouse|contact person|to|sent by|"
                r"histotech(?:nologist)?|technologist|"
                r"(?:grossed|transcribed|typed|prepared|reviewed|examined|seen|requested|referred|received|checked|"
                r"collected|edited|coded|processed|scanned|entered|rec'?d)\s+by|(?:fs |frozen section )?technician|tech|"
                r"(?:member|subscriber|insured|policy ?holder|beneficiary|client|resident) name|"
                r"(?:subject |patient )?initials|prescriber(?: attestation)?(?: signature)?|attestation signature|"
                r"requested|requester|guarantor|resident|fellow|registrar|re|attn|s/o|d/o|"
                r"chair(?:person)?|co-?ordinator|secretary|scribe|interpreter|translator|key ?worker|social worker|"
                r"(?:witnessed|performed|approved|authori[sz]ed|validated|countersigned|co-?signed|interpreted|written|"
                r"cut|stained|embedded|confirmed|supervised|entered|completed)\s+by|contacto?|"
                r"nom|pr[ée]nom|nom de naissance|nom / name|paciente|patient[ei]?|pati[ëe]nt|patientin|paziente|doente|utente|"
                r"patient\(e\)|pat|pasient|pacient|potilas|hasta|emergency contact|contact person|"
                r"from|sender|(?:patient |parent |guardian |witness )?signature|courier|driver|porter|runner|"
                r"messenger|witness|chaperone|informant|hasta ad[ıi]|de|endorsed by|handed over by|handover by|"
                r"(?:father|mother|husband|wife|spouse|guardian)['’]?s name|"
                r"other names?|also known as|aka|betr\.?|betreff|"
                r"pat[óo]log[oa]|patholo(?:og|ge|gin)|arts|m[ée]decin|médico")
_MRN_LABELS = (r"mrn|medical record(?: number| no\.?| #)?|med\.? rec\.?(?: no\.?)?|record (?:number|no\.?)|"
               r"hospital (?:number|no\.?|id)|hosp\.? no\.?|unit (?:number|no\.?)|urn|chart (?:number|no\.?|#)|"
               r"patient id|pt id|accession(?: number| no\.?| #)?|acc\.?(?: no\.?| #)|case(?: number| no\.?| #| id)?|"
               r"lab(?:oratory)? (?:number|no\.?|#|ref(?:erence)?)|specimen (?:number|no\.?|#|id)|"
               r"surgical (?:pathology )?(?:number|no\.?|#)|path(?:ology)? (?:number|no\.?|#)|"
               r"report (?:number|no\.?|#|id)|encounter(?: number| no\.?| id)?|visit (?:number|no\.?|id)|"
               r"account (?:number|no\.?|#)|acct\.?(?: no\.?| #)?|folio|order (?:number|no\.?|#)|requisition(?: number| no\.?| #)?|"
               r"episode(?: number| no\.?)?|(?:our |your )?ref(?:erence)?(?: number| no\.?| #)?|uhid|nhc|"
               r"biopsy (?:number|no\.?)|n[°º]\.? ?d'examen|n\.?[°º] de biopsia|histologie-?nr\.?|"
               r"(?:lab|labo)?nummer|aanvraagnummer|eingangsnummer|prontu[áa]rio|mr (?:number|no\.?)|"
               r"(?:folder|mrd|ipd|opd|ip|op|uhid|registration|reg\.?|histo(?:logy)?|cyto(?:logy)?|block|slide) "
               r"(?:number|no\.?|#)|hn|dossier|(?:fax |station |device |machine |sender )?id|tsid|csid|"
               r"(?:sending |receiving )?device|tracking(?: number| no\.?)?|study uid|uid|permis|"
               r"(?:\w+ )?licen[cs]e(?: number| no\.?| #)?")
_ID_LABELS = (r"ssn|social security(?: number| no\.?)?|nhs(?: number| no\.?)?|chi(?: number| no\.?)?|"
              r"insurance(?: id| number| no\.?)?|member id|policy (?:number|no\.?)|medicare(?: number| no\.?)?|"
              r"medicaid(?: number| no\.?)?|health card(?: number| no\.?)?|passport(?: number| no\.?)?|"
              r"driver'?s licen[cs]e(?: number| no\.?)?|licen[cs]e (?:number|no\.?)|npi|employee id|ihi|bsn|nhi|nric(?:/fin)?|"
              r"fin|aadhaar|carteirinha|conv[êe]nio|t\.?c\.? kimlik(?: no\.?)?|kimlik no\.?|hkid|hkic|id card(?: no\.?| number)?|ramq|ohip|health card(?: \(\w+\))?|phn|dni|nie|nif|n[°º]\.?(?: de)? s[ée]curit[ée] sociale|c\.c\.|c[ée]dula|c\.i\.|"
              r"sozialversicherungs-?nr\.?|versichertennummer|h&c(?: number| no\.?)?|id number|mykad|ic no\.?|"
              r"resident registration no\.?|insurance policy|policy|c\.?f\.?|codice fiscale|curp|cpf|rfc|amka|personnummer|"
              r"person(?:al)? (?:id|number|no\.?)|cpr(?:-nr\.?)?|hetu|pesel|emirates id|national id(?: no\.?)?|"
              r"nino|ni (?:number|no\.?)|tax (?:id|code)|rut|cuil|cuit|nik|ktp|nric|ppsn|pps (?:number|no\.?)|"
              r"nam|hcn|health card no\.?|health number|medical aid(?: number| no\.?)?|medicare mbi|mbi|"
              r"(?:pensioner )?concession card(?: no\.?| number)?|health care card|dva(?: number| no\.?)?")
_DATE_LABELS = (r"dob|d\.o\.b\.?|date of birth|birth ?date|born|date(?: of)? (?:collection|collected|received|"
                r"reported|procedure|service|surgery|admission|discharge|biopsy|report|sign-?out)|"
                r"date de naissance|geboortedatum|geburtsdatum|geb\.?|fecha(?: de \w+)?|datum(?: \w+)?|"
                r"n[ée]e? le|pr[ée]l[èe]vement du|"
                r"(?:collected|received|reported|signed|printed|verified)(?: on| date)?|date")
_AGE_LABELS = (r"age|alder|edad|et[àa]|idade|[âa]ge|alter|leeftijd|wiek|ηλικία|возраст|ya[şs]|ik[äa]|umur|usia|tuổi|"
               r"[ée]letkor|age ?/ ?sex|sex ?/ ?age|age ?& ?sex")
_PHONE_LABELS = (r"phone|tel(?:ephone)?\.?|mobile|cell|fax|pager|bleep|contact (?:number|no\.?)|ph\.?|"
                 r"t[ée]l[ée]phone|t[ée]l\.?|tel[ée]fono|telefon|telefoon|ext\.?|extension|cel\.?|cell phone|handy|m[óo]vil|"
                 r"cellulare|celular|tlf\.?|puh\.?")
_ADDRESS_LABELS = (r"(?:home |postal |mailing |residential )?address|addr\.?|residence|residential|home|lives at|"
                   r"(?:home )?zip(?: code)?|post ?code|postal code|"
                   r"resides at|domicilio|direcci[óo]n|adresse|adres|anschrift|wohnort|woonadres|residenza|indirizzo|"
                   r"morada|endere[çc]o|local address|adresa|osoite|adress")
_EMAIL_LABELS = r"e-?mail"

_LABEL_KINDS: list[tuple[str, str]] = [
    ("NAME", _NAME_LABELS), ("MRN", _MRN_LABELS), ("ID", _ID_LABELS), ("DATE", _DATE_LABELS),
    ("AGE", _AGE_LABELS), ("PHONE", _PHONE_LABELS), ("ADDRESS", _ADDRESS_LABELS), ("EMAIL", _EMAIL_LABELS),
]
# A label starts a line or follows a field separator; it ends with ':' or '#' (or is a distinctive word).
_LABEL_RE = re.compile(
    r"(?im)(?:^|(?<=\s{2})|(?<=\t)|(?<=\|)|(?<=;)|(?<=,\s)|(?<=\.\s)|(?<=\(\s)|(?<=\()|(?<=/\s))[ \t>*\-]{0,8}(?=[A-Za-z])"
    r"(?P<label>" + "|".join(f"(?P<{k}>{p})" for k, p in _LABEL_KINDS) + r")"
    r"[ \t]*(?:\([^()\n]{1,40}\)[ \t]*)?(?:[:#=]|\.{2,}|\.(?=\s))[ \t]*")
# Distinctive labels may sit anywhere and need no colon ("MRN 1234567", "DOB 01/02/1950").
_LOOSE_LABEL_RE = re.compile(
    r"(?i)\b(?P<label>(?P<MRN>mrn|accession(?: no\.?| number)?|medical record (?:number|no\.?)|tracking(?: number| no\.?)?)|"
    r"(?P<ID>ssn|nhs (?:number|no\.?)|medicare(?: mbi)?|nhi|nric|dni|aadhaar|ramq|ohip|bsn|ihi)|(?P<DATE>dob|d\.o\.b\.?|date of birth)|"
    r"(?P<PHONE>phone|tel|telephone|mobile|fax)|(?P<ADDRESS>lives at|resides at|residing at))[ \t]*[:#]?[ \t]*"
    r"(?=[A-Za-z0-9(+])")
_FIELD_END = re.compile(r"\s{2,}|\t|\||;|\n|$")
