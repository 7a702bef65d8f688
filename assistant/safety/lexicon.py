"""Word lists the triage rules are built from (lower case, apostrophes removed; see text.normalise).

Lists, not sentences: the rules combine these concepts, so a paraphrase that uses any listed word is
covered, and exemplar similarity catches the rest.
"""

from __future__ import annotations

import re


def words(*items: str) -> str:
    """A regex alternation of the items, longest first, as whole words."""
    return r"\b(?:" + "|".join(sorted(items, key=len, reverse=True)) + r")\b"


# Medicines that suppress the immune system: fever or infection on them is an emergency.
IMMUNOSUPPRESSANTS = [
    r"methotrexate", r"mtx", r"metoject", r"ciclosporin", r"cyclosporine?", r"neoral", r"azathioprine", r"imuran",
    r"mycophenolate", r"mmf", r"cellcept", r"myfortic", r"prednisolone", r"prednisone", r"oral steroids?",
    r"steroid tablets?", r"biologics?", r"biologic \w+", r"adalimumab", r"humira", r"amgevita", r"hyrimoz",
    r"imraldi", r"etanercept", r"enbrel", r"benepali", r"infliximab", r"remicade", r"certolizumab", r"cimzia",
    r"ustekinumab", r"stelara", r"secukinumab", r"cosentyx", r"ixekizumab", r"taltz", r"brodalumab",
    r"bimekizumab", r"bimzelx", r"guselkumab", r"tremfya", r"risankizumab", r"skyrizi", r"tildrakizumab",
    r"spesolimab", r"dupilumab", r"dupixent", r"tralokinumab", r"adtralza", r"lebrikizumab", r"rituximab",
    r"upadacitinib", r"rinvoq", r"abrocitinib", r"cibinqo", r"baricitinib", r"olumiant", r"ritlecitinib",
    r"litfulo", r"tofacitinib", r"xeljanz", r"deucravacitinib", r"sotyktu", r"jak inhibitors?", r"jaks?",
    r"immunosuppress\w*", r"immune[ -]?suppress\w*", r"chemo\w*", r"tacrolimus tablets?",
]

# Other medicines used for skin, hair and nails (for dosing questions and the skin-topic check).
SKIN_MEDICINES = IMMUNOSUPPRESSANTS + [
    r"hydrocortisone", r"clobetasol", r"dermovate", r"betamethasone", r"betnovate", r"mometasone", r"elocon",
    r"eumovate", r"clobetasone", r"fluticasone", r"triamcinolone", r"desonide", r"fucibet", r"fucidin",
    r"daktacort", r"tacrolimus", r"protopic", r"pimecrolimus", r"elidel", r"crisaborole", r"ruxolitinib",
    r"opzelura", r"roflumilast", r"tapinarof", r"calcipotriol", r"calcipotriene", r"dovobet", r"enstilar",
    r"coal tar", r"dithranol", r"salicylic acid", r"acitretin", r"neotigason", r"soriatane", r"isotretinoin",
    r"accutane", r"roaccutane", r"absorica", r"claravis", r"tretinoin", r"adapalene", r"differin", r"epiduo",
    r"trifarotene", r"tazarotene", r"benzoyl peroxide", r"azelaic acid", r"finacea", r"skinoren",
    r"clindamycin", r"duac", r"doxycycline", r"lymecycline", r"minocycline", r"oxytetracycline",
    r"tetracyclines?", r"erythromycin", r"flucloxacillin", r"cefalexin", r"antibiotics?", r"spironolactone",
    r"dianette", r"ivermectin", r"soolantra", r"metronidazole", r"rozex", r"brimonidine", r"mirvaso",
    r"hydroxychloroquine", r"plaquenil", r"hcq", r"dapsone", r"colchicine", r"thalidomide", r"cetirizine",
    r"fexofenadine", r"loratadine", r"desloratadine", r"bilastine", r"levocetirizine", r"antihistamines?",
    r"piriton", r"chlorphenamine", r"terbinafine", r"lamisil", r"itraconazole", r"fluconazole",
    r"clotrimazole", r"ketoconazole", r"nizoral", r"miconazole", r"aciclovir", r"acyclovir", r"valaciclovir",
    r"valacyclovir", r"minoxidil", r"finasteride", r"dutasteride", r"steroids?", r"corticosteroids?",
    r"epipen", r"adrenaline", r"epinephrine", r"permethrin", r"imiquimod", r"aldara", r"efudix",
    r"fluorouracil", r"5 ?fu", r"hydroquinone", r"nicotinamide", r"omalizumab", r"xolair", r"nemolizumab",
    r"retinoids?", r"retinol", r"ebglyss", r"adbry", r"skin medicines?",
]

# Generic words for a medicine or a form of one.
MEDICINE_WORDS = [
    r"medicines?", r"medications?", r"meds", r"tablets?", r"pills?", r"drugs?", r"capsules?", r"doses?",
    r"dosage", r"injections?", r"injectables?", r"jabs?", r"pens?", r"shots?", r"infusions?", r"creams?",
    r"ointments?", r"gels?", r"lotions?", r"foams?", r"prescriptions?", r"treatments?", r"antibiotics?",
    r"steroids?", r"biologics?",
]

# Drugs most often behind SJS/TEN and DRESS (a new one + a blistering rash = emergency).
HIGH_RISK_NEW_DRUGS = [
    r"lamotrigine", r"carbamazepine", r"tegretol", r"phenytoin", r"oxcarbazepine", r"phenobarbital",
    r"allopurinol", r"co-?trimoxazole", r"septrin", r"bactrim", r"sulfa\w*", r"sulpha\w*", r"nevirapine",
    r"penicillin", r"amoxicillin", r"amoxil", r"augmentin", r"ibuprofen", r"naproxen", r"diclofenac",
    r"epilepsy (?:medicines?|medications?|meds|tablets|pills|drugs)", r"seizure (?:medicines?|meds|tablets|pills)",
    r"gout (?:medicines?|meds|tablets|pills)", r"antibiotics?",
]

# Words that put a message inside the assistant's topic: skin, hair, nails, their conditions and treatments.
SKIN_TOPIC = [
    r"skin\w*", r"derm\w*", r"rash\w*", r"itch\w*", r"eczema\w*", r"psoria\w*", r"acne", r"spots?", r"spotty",
    r"pimples?", r"zits?", r"blackheads?", r"whiteheads?",
    r"pores?", r"moles?", r"freckles?", r"warts?", r"verruca\w*", r"hair\w*", r"scalp", r"dif", r"ig[agme]", r"c3", r"bmz",
    r"basement membrane", r"acantho\w*", r"interface", r"lichenoid", r"psoriasiform", r"granulom\w*",
    r"hyperkeratosis", r"parakeratosis", r"dermis", r"dermal", r"immunohisto\w*", r"oils?", r"bath", r"bald\w*",
    r"alopecia", r"dandruff", r"\w*nails?", r"thumbnails?", r"toenails?", r"fingernails?", r"nail ?beds?",
    r"cuticles?", r"sweat\w*",
    r"hidradenitis", r"hs", r"boils?", r"abscess\w*", r"rosacea", r"flush\w*", r"blush\w*", r"lupus",
    r"vitiligo", r"pigment\w*", r"melan\w*", r"cancer", r"carcinoma", r"bcc", r"scc", r"keratos\w*",
    r"biops\w*", r"patholog\w*", r"report", r"lesions?", r"blister\w*", r"hives", r"urticaria",
    r"angioedema", r"swell\w*", r"swollen", r"lips?", r"tongue", r"face", r"cold sores?", r"herpe\w*",
    r"shingles", r"fung\w*", r"ringworm", r"athletes foot", r"tinea", r"scabies", r"lice", r"sunburn\w*",
    r"sunscreen", r"sun ?cream", r"sunblock", r"spf", r"uv\w*", r"tan", r"tanning", r"scars?", r"scarring",
    r"keloids?", r"stretch marks?", r"wrinkles?", r"creams?", r"ointments?", r"emollients?", r"moisturi\w*",
    r"lotions?", r"cellulitis", r"wounds?", r"bites?", r"stings?", r"burns?", r"dry", r"flak\w*", r"scal\w*",
    r"peel\w*", r"red", r"redness", r"bumps?", r"lumps?", r"cysts?", r"sores?", r"ulcers?", r"crust\w*",
    r"scabs?", r"ooz\w*", r"weep\w*", r"pus", r"dermatitis", r"seborrh\w*", r"cradle cap", r"lichen",
    r"pemphig\w*", r"morphea", r"scleroderma", r"sclerosis", r"vasculitis", r"dermatomyositis", r"prurigo",
    r"nodul\w*", r"plaques?", r"flares?", r"flare ?ups?", r"phototherapy", r"light therapy", r"uvb", r"laser",
    r"spongio\w*", r"excis\w*", r"margins?", r"dysplas\w*", r"atypi\w*", r"naev\w*", r"nev(?:us|i)",
    r"stains?", r"immunofluorescence", r"eyebrows?", r"eyelashes", r"eyelids?", r"armpits?", r"groin",
    r"chilblains?", r"calluses?", r"corns?", r"birthmarks?", r"patch\w*", r"welts?", r"wheals?",
    r"bruis\w*", r"purpura", r"petechia\w*", r"sebaceous", r"follicul\w*", r"impetigo", r"molluscum",
    r"erythem\w*", r"erythroderm\w*", r"epiderm\w*", r"intertrigo", r"hyperhidrosis", r"keratin\w*",
    r"comedo\w*", r"milia", r"melasma", r"hyperpigment\w*", r"hypopigment\w*", r"sjs", r"ten", r"dress",
    r"anaphyla\w*", r"allerg\w*", r"tattoos?", r"piercings?", r"complexion", r"blemish\w*",
    r"dermatologists?", r"benign", r"malignan\w*", r"syndrome",
    r"stevens[ -]?johnson", r"necroly\w*", r"specimens?", r"in situ", r"invasi\w*", r"neoplas\w*",
    r"metasta\w*", r"breslow", r"clark level", r"mitos\w*", r"mitotic", r"ulcerat\w*", r"lymph nodes?",
    r"sentinel", r"histolog\w*", r"cytolog\w*", r"pathologists?", r"slides?", r"sunbeds?", r"sun", r"chapped",
    r"cracked", r"cracks",
    r"lesion", r"tumou?rs?", r"growths?", r"bleed\w*", r"cuts?", r"grazes?", r"cracked heels?",
    r"feet", r"foot", r"hands?", r"elbows?", r"knees?", r"neck", r"cheeks?", r"nose", r"forehead",
    r"jaw ?line", r"chin", r"back acne", r"body", r"thicken\w*", r"discolou?r\w*", r"oily", r"greasy",
    r"puffy", r"puffiness", r"hot flush\w*", r"hyfrecat\w*", r"cryo\w*", r"mohs", r"curettage",
    r"sutures?", r"stitches", r"biologics?", r"immunosuppress\w*", r"flaky", r"scaly", r"chafing",
    r"scratch\w*", r"shav\w*", r"razor", r"ingrown", r"beards?", r"cellulite", r"exfoliat\w*", r"cleansers?",
    r"soaps?", r"shampoos?", r"conditioners?", r"dyes?", r"henna", r"botox", r"fillers?", r"diapers?", r"nappy",
    r"nappies", r"varicose", r"eye ?bags", r"dark circles", r"sebum", r"chicken ?pox", r"measles",
    r"prickly heat", r"body odou?r", r"jock itch", r"skin tags?", r"age spots?", r"liver spots?", r"sun ?spots?",
    r"pressure sores?", r"bed ?sores?", r"stretchmarks?", r"oil", r"make ?up", r"cosmetics?", r"collagen",
]

# Things plainly outside the topic (only used together with "no skin word"; never on their own).
OFF_TOPIC = [
    r"tax\w*", r"car", r"cars", r"engine", r"python", r"javascript", r"code", r"coding", r"script",
    r"programm\w*", r"recipes?", r"cake", r"bake", r"baking", r"cook\w*", r"football", r"soccer", r"cricket",
    r"match", r"mortgage\w*", r"loan", r"wifi", r"router", r"internet", r"poems?", r"poetry", r"capital",
    r"weather", r"bitcoin", r"crypto\w*", r"stocks?", r"shares", r"translat\w*", r"spanish", r"french",
    r"cover letter", r"essay", r"homework", r"movie", r"film", r"song", r"lyrics", r"jokes?", r"dogs?",
    r"cats?", r"puppy", r"kitten", r"pets?", r"vet", r"blood pressure", r"hypertension", r"cholesterol",
    r"statins?", r"heart", r"diabetes", r"insulin", r"metformin", r"amlodipine", r"ankle", r"sprain\w*",
    r"fracture\w*", r"broken bone", r"knee replacement", r"teeth", r"tooth", r"dentist", r"asthma inhaler",
    r"holiday", r"flights?", r"hotel", r"election", r"president", r"history", r"maths?", r"physics",
    r"chemistry", r"email", r"spreadsheet", r"excel", r"password", r"phone", r"laptop", r"computer", r"game",
    r"fix my", r"migraine", r"headache", r"cough", r"covid", r"flu jab", r"pregnancy test", r"period",
    r"weight loss", r"diet", r"protein", r"workout", r"gym", r"sleep apnoea", r"thyroid", r"kidney", r"liver",
    r"stomach", r"constipation", r"diarrh\w*", r"anxiety meds", r"antidepressants?", r"sertraline",
    r"warfarin", r"aspirin", r"paracetamol dose", r"back pain", r"stock market", r"restaurant",
]
