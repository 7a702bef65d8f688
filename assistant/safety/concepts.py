"""Named concepts (regexes over normalised text) that the triage rules combine.

Each concept is a phrase family for lay wording; typos are handled before matching (spelling.py). A concept
"is present" when at least one match is not negated (text.is_negated): "no fever" does not count as fever.
Each concept is written as a list of alternatives, joined with ``any_of``.
"""

from __future__ import annotations

import re
from functools import cache

from .lexicon import HIGH_RISK_NEW_DRUGS, IMMUNOSUPPRESSANTS, MEDICINE_WORDS, OFF_TOPIC, SKIN_MEDICINES, SKIN_TOPIC
from .lexicon import words as W


def any_of(*parts: str) -> str:
    return "|".join(parts)


_DIFFICULTY = (r"(?:cant|cannot|can not|couldnt|struggl\w* to|struggl\w* with|hard to|harder to|difficult\w* to|"
               r"trouble|problems?|difficulty|unable to|not able to|fighting to|barely|hardly|hurts? to|painful to)")
# Up to N filler words, lazily; a filler word is never a negation ("throat is not swelling" is no match).
_N = r"(?:(?!(?:no|not|never|isnt|arent|wasnt|werent|dont|doesnt|didnt|hasnt|havent|without)\b)\w+ ){0,%d}?"
_MED = "(?:" + "|".join(SKIN_MEDICINES + MEDICINE_WORDS + HIGH_RISK_NEW_DRUGS) + r")\b"
_SKIN_MED = "(?:" + "|".join(SKIN_MEDICINES) + r")\b"
_PILLS = r"(?:tablets|pills|meds|medicines?|medication)"
_SWELL = r"(?:swell\w*|swollen|puff\w*|blow\w* up|blew up|balloon\w*|massive|huge|enormous|giant|enlarg\w*|doubled)"
_MOUTH_EYES_GENITALS = (r"(?:mouth|lips?|gums?|eyes?|genital\w*|privates|vagina\w*|penis|"
                        r"inside (?:my |his |her )?cheeks?)")
_SORE_WORDS = r"(?:sores?|ulcers?|blister\w*|raw|crust\w*|peeling|bleeding|burning|sore|painful|red|stinging|gritty)"

CONCEPTS: dict[str, str] = {
    # --- airway and allergy ------------------------------------------------------------------------------------
    "breathing_trouble": any_of(
        _DIFFICULTY + r" (?:breath\w*|breth\w*|get (?:my |a )?breath|catch (?:my )?breath)",
        r"short(?:ness)? of breath", r"breathless\w*",
        r"(?:breath\w*) (?:is |feels |getting )?(?:hard|difficult|laboured|labored|noisy|tight|shallow)",
        r"wheez\w*|whez\w*|gasp\w*|chok\w*|stridor|tight chest|chest (?:is |feels )?tight\w*|hoarse\w*",
        r"voice " + _N % 2 + r"(?:gone|changed|croaky|strange)", r"turning blue|blue lips",
        r"(?:throat|airway|windpipe) (?:is |feels? |feeling |getting |going )?(?:like (?:it is |its )?)?"
        r"(?:clos\w*|tight\w*|narrow\w*|constrict\w*|blocked)",
        r"(?:closing|tightening) (?:up )?(?:of )?(?:my |the )?throat"),
    "swallowing_trouble": any_of(
        _DIFFICULTY + r" (?:swall?ow\w*|swoll?ow\w*|swalow\w*|get (?:food|water|drinks?|anything) down)",
        r"drool\w*|spit down"),
    "face_swelling": any_of(
        r"(?:lips?|tongue|throat|face|mouth|eyes?|eyelids?|cheeks?) " + _N % 3 + _SWELL,
        r"(?:swell\w*|swollen|puffy|puffed up|puffing up) " + _N % 3 + r"(?:lips?|tongue|throat|face|mouth|eyelids?)",
        r"angio ?-?o?edema"),
    "airway_swelling": any_of(
        r"(?:tongue|throat) " + _N % 3 + r"(?:" + _SWELL + r"|thick\w*|clos\w*)",
        r"(?:swell\w*|swollen) " + _N % 2 + r"(?:tongue|throat)"),
    "hives": r"\b(?:hives|urticaria|welts|wheals|nettle rash)\b",
    # --- a rash that does not fade under a pressed glass (meningococcal disease, sepsis) ------------------------
    "non_blanching": any_of(
        r"non ?-?blanch\w*|glass test|tumbler test",
        r"(?:dont|doesnt|does not|do not|didnt|did not|wont|will not|not|never|arent|isnt|stay\w*|still) "
        r"(?:\w+ ){0,2}?(?:fade|fading|faded|go away|disappear\w*|blanch\w*|vanish\w*|go pale|go white|"
        r"change|visible|there) " + _N % 6 + r"(?:glass|press\w*|push\w*|tumbler)",
        r"(?:stay\w*|remain\w*|still there|still visible|still see\w*|can still see) " + _N % 6 +
        r"(?:glass|press\w*|push\w*|tumbler)",
        r"(?:glass|tumbler) " + _N % 8 + r"(?:dont|doesnt|does not|do not|didnt|did not|wont|not|still|stay\w*) "
        r"(?:\w+ ){0,2}?(?:fade|go away|disappear\w*|blanch\w*|vanish\w*|see|visible|there)"),
    "stiff_neck": r"stiff (?:neck|necked)|neck (?:is |feels |gone )?(?:stiff|rigid)|cant (?:bend|move) (?:my |his |her )?"
                  r"(?:neck|head)|(?:light|bright lights?) hurts?|hurts? to look at (?:the )?light",
    # --- burns: a deep, large or chemical/electrical burn needs emergency care -----------------------------------
    "burn_injury": r"(?<!sun)(?<!sun )\b(?:burn|burns|burnt|burned|scald\w*)\b|chemical burn|drain cleaner|oven cleaner|"
                   r"caustic|electrocut\w*|(?:hot|boiling) (?:oil|water|fat|grease|tea|coffee|soup|wax|metal)\b|"
                   r"(?:caught|touched|grabbed|leaned on|pressed|rested|put) (?:\w+ ){0,3}?(?:on|against) (?:a |the |my |"
                   r"her |his )?(?:hot |red hot )?(?:grill|hob|stove|oven|iron|hot ?plate|griddle|fryer|exhaust|radiator)",
    "severe_burn_sign": any_of(
        r"leather\w*|charred|waxy|white (?:and )?(?:dry|hard|stiff)",
        r"(?:bigger|larger) than (?:my |his |her |their |a |the )?(?:hand|palm)|size of (?:my |his |her |a )?(?:hand|palm)",
        r"chemical burn|drain cleaner|oven cleaner|caustic|electric(?:al)? burn|electrocut\w*|"
        r"electric(?:al|ity)? (?:wire|cable|shock|current|socket)|(?:touched|grabbed|held) (?:a |the )?(?:live )?(?:wire|cable)|"
        r"(?:doesnt|does not|dont|cant|cannot|no longer) (?:hurt|feel)\w*(?: (?:any )?(?:pain|anything))? "
        r"(?:in the (?:middle|centre|center)|there|at all)",
        r"(?:doesnt|does not|dont|cant|cannot|no longer) feel (?:the )?(?:middle|centre|center)"),
    "old_injury": r"\bscar\w*|(?:years?|months?|weeks?) ago|last (?:year|summer|winter|month)|when i was (?:a )?(?:kid|child|little|young)|old burn|"
                  r"\bin (?:19|20)\d\d\b(?=.{0,80}\b(?:fine|better|gone|healed|cleared|treated)\b)",
    "allergic_trigger": r"allerg\w* reaction|anaphyla\w*|reaction to|bee sting|wasp sting|stung|peanuts?|nuts|"
                        r"shellfish|ate something",
    "faint": any_of(r"faint\w*|collaps\w*|passed out|pass(?:ing)? out|black(?:ed|ing)? out|light ?headed",
                    r"(?:blood pressure|bp) " + _N % 1 + r"(?:drop\w*|low|crash\w*)"),
    # --- severe drug reactions (SJS/TEN, DRESS) -----------------------------------------------------------------
    "new_medicine": any_of(
        r"(?:new|started|starting|start|began|begun|beginning|switched|first|course of|put on) " + _N % 3 + _MED,
        r"(?:since|after|from|because of) (?:(?:taking|starting|using|the|my|a|that|this) )*" + _MED,
        r"(?:since|after) (?:taking|starting|i started|starting on|going on|being put on|(?:the|a|my) new|"
        r"they (?:gave|put)|the doctor (?:gave|put))"),
    "sjs_drug": W(*HIGH_RISK_NEW_DRUGS[:-1]),
    "skin_coming_off": any_of(
        r"(?:skin|it) " + _N % 5 + r"(?:coming|falling|peeling|sloughing|sliding|rubbing|shedding|lifting) off",
        r"peel\w* (?:off )?(?:in|like) (?:sheets|layers|strips|big pieces)|(?:in|like) sheets",
        r"(?:like|looks like|as if) (?:a |i have |ive been |it has been )?(?:burn|burnt|burned|scald\w*)",
        r"raw (?:and )?(?:weeping )?(?:skin|areas?|patches)|skin (?:is |looks )?raw|sloughing|detach\w*|nikolsky"),
    "blistering": r"blister\w*|bullae|bullous|blebs?",
    "rash": r"rash\w*|spots|blotch\w*|red patches|hives|skin (?:reaction|eruption)|eruption|"
            r"red (?:skin|areas?|marks)|target\w*|bulls? ?eye",
    "mucosal_sores": any_of(
        _SORE_WORDS + " " + _N % 3 + _MOUTH_EYES_GENITALS, _MOUTH_EYES_GENITALS + " " + _N % 3 + _SORE_WORDS,
        r"mouth ulcers|conjunctivitis|pink ?eye"),
    "swollen_glands": r"(?:swollen|lumpy|big) (?:glands|lymph nodes|neck glands)|glands " + _N % 2 + r"(?:swollen|up)",
    # --- infection of eczema, skin and deep tissue --------------------------------------------------------------
    "eczema": r"eczema\w*|atopic|dermatitis",
    "herpetic_strong": any_of(
        r"punch\w*[ -]?out|herpe(?!tiformis)\w*", r"cold sores? " + _N % 3 + r"(?:spread\w*|all over|everywhere)",
        r"(?:spread\w*|all over) " + _N % 3 + r"cold sores?"),
    "herpetic_weak": any_of(
        r"(?:clusters?|groups?|crops?|lots|loads) of " + _N % 2 + r"(?:blisters?|sores|spots|holes|pits)",
        r"little (?:round )?(?:holes|pits|craters)",
        r"(?:round|tiny|small|little) " + _N % 2 + r"(?:blisters|sores|erosions|scabs) " + _N % 3 +
        r"(?:everywhere|all over|spreading|appeared)"),
    "fever": any_of(  # not the names of other illnesses or vaccines ("yellow fever jab", "hay fever")
        r"(?<!yellow )(?<!hay )(?<!scarlet )(?<!glandular )(?<!rheumatic )(?<!dengue )(?<!typhoid )(?<!lassa )"
        r"(?<!q )fevers?(?! (?:jab|vaccin\w*|shot|blisters?))",
        r"feverish|fevery|fevre|febrile|pyrexi\w*|burning up|hot and cold|temperatures",
        r"temp(?:erature)?s? (?:of |is |was |at |over )?(?:3[89]|4[01]|10[0-5])",
        r"(?:high|raised|a|running a|got a|has a|have a|with a|spiking a|spiking) temp(?:erature)?",
        r"3[89](?:\.\d)? c\b|10[0-4](?:\.\d)? f\b",
        r"(?:been|running|hit|hitting|reached|spiked to|went up to|up to) (?:about |around |nearly )?(?:3[89]|40)\.\d\b"),
    "chills": r"chills|chilly|shiver\w*|shivver\w*|shaking|shakes|shaky|rigou?rs|cold sweats?|sweats|"
              r"teeth chattering|cant get warm|feel\w* (?:so |very |really )?cold",
    "unwell": any_of(
        r"(?:feel\w*|felt) " + _N % 2 + r"(?:unwell|ill|awful|terrible|rough|poorly|dreadful|horrible|rubbish|sick|"
        r"like death|like (?:i have|ive got|i got) (?:the )?flu|weak|wiped out|faint)",
        r"(?:am|is|seems?|gone|getting|looks?) (?:very |really |so )?(?:unwell|poorly|floppy|listless|drowsy|"
        r"lethargic|very sick|really sick)",
        r"flu[- ]?like|listless|floppy|lethargic|drowsy|confus\w*|delirious|hard to wake|vomit\w*|throwing up",
        r"not (?:making sense|himself|herself|themselves|responding)",
        r"(?:racing|pounding) heart|heart (?:is )?racing|mottled"),
    "spreading_redness": any_of(
        r"(?:red\w*|pink|hot|warm|swollen|swelling|inflamed|infect\w*|cellulitis|wound|cut|bite|sore|patch|area|"
        r"streaks?|lines?|mark) " + _N % 6 + r"(?:spread\w*|grow\w*|getting (?:bigger|larger|worse)|creep\w*|"
        r"tracking|moving|expand\w*|travel\w*|extend\w*|doubled)",
        r"(?:spread\w*|growing|expanding|creeping) " + _N % 3 + r"(?:red\w*|swelling|infection|cellulitis)",
        r"red (?:streaks?|lines?) " + _N % 3 + r"(?:up|along|from)", r"cellulitis"),
    "necrotising_strong": any_of(
        r"pain " + _N % 5 + r"(?:worse|more|bigger|out of proportion) (?:than|to) " + _N % 3 +
        r"(?:looks?|appears?|seen)",
        r"out of (?:all )?proportion|necroti[sz]\w*|flesh[- ]eating|gangren(?!osum)\w*|crackl\w* under"),
    "necrotising_weak": any_of(r"(?:purple|black|dusky|grey|gray|blue) " + _N % 2 + r"(?:blotch\w*|blisters?|skin)",
                               r"severe pain|agony|excruciating|unbearable pain|worst pain"),
    "whole_body_red": any_of(
        r"(?:whole|entire|all of (?:my|his|her)|most of (?:my|his|her)|(?:my|his|her) (?:whole|entire)) "
        r"(?:body|skin) " + _N % 4 + r"(?:red\w*|bright red|inflamed|peel\w*|scarlet|on fire|burning)",
        r"(?:red\w*|inflamed|peel\w*|scarlet) " + _N % 5 + r"(?:all over|everywhere|from head to toe|head to toe|"
        r"whole body|entire body|every inch)",
        r"erythroderm\w*"),
    "immunosuppressant": W(*IMMUNOSUPPRESSANTS),
    # --- crisis --------------------------------------------------------------------------------------------------
    "suicidal": any_of(
        r"(?:kill|killing|off|hang|hanging|drown\w*|shoot\w*|poison\w*) (?:my ?self|themselves|herself|himself)",
        r"suicid\w*|suizid\w*|\b(?:kms|unalive\w*|sewerslide|end myself|off myself)\b",
        r"(?:end|ending) (?:it all|things|my life|my own life|everything|it for good)",
        r"(?:take|taking|took) my (?:own )?life",
        r"(?:wants?|wanted|wanting|wanna|wish|wishes|going|ready|like|rather|prefer|plan\w*|tempted|said) " + _N % 2 +
        r"(?:to )?(?:die|be dead|not be here|not be alive|not exist|disappear (?:forever|for good)|not wake up|"
        r"never wake up|sleep forever|end it)",
        r"wish (?:i|id|she|he) (?:was|were|had) (?:dead|never been born|not born)",
        r"wish " + _N % 4 + r"(?:never wake up|not wake up|was dead|were dead|wasnt here|wasnt alive)",
        r"(?:sleep|go to sleep|went to sleep|fall asleep|fell asleep) and (?:never|not|didnt|did not|wouldnt|dont) "
        r"wake up|never wake up again",
        r"better off with (?:a different|another|a new|a better) (?:mum|mom|mother|dad|father|parent|wife|husband|"
        r"partner)|(?:cope|manage|be happier|do better) (?:much )?(?:better )?without me",
        r"for when (?:im|i am) (?:gone|not here|not around|dead|no longer here)\b(?! (?:on|to|for|away|abroad|out|at|"
        r"in|with|next|this|over))",
        r"(?:goodbye|farewell|last) (?:letters?|notes?|messages?|texts?|videos?)",
        r"told (?:\w+ ){1,2}(?:where|about) " + _N % 3 + r"(?:passwords?|pin numbers?|bank details|life insurance|"
        r"funeral)|(?:passwords?|life insurance|funeral (?:plans?|wishes)) " + _N % 6 + r"(?:just in case|sorted|"
        r"for when)",
        r"(?:dont|do not|no longer|doesnt|does not) want to (?:be alive|live|be here|exist|go on|carry on|"
        r"keep going|wake up|be around)",
        r"(?:no|any) (?:point|reason) (?:in )?(?:living|being alive|going on|carrying on|to live|in life)",
        r"(?:dont|do not|cant|cannot|couldnt) (?:see|find|think of) (?:a|any|the|one) (?:reason|point)",
        r"(?:reason|point) (?:to|in) (?:keep )?(?:living|live|going on|go on|carry on|carrying on|be here|be alive|"
        r"continue|stay alive)",
        r"not worth living|life (?:is|isnt) (?:not )?worth (?:it|living)|cant go on|no way out",
        r"better off (?:dead|without me|if i (?:was|were) (?:dead|gone))|worthless|(?:a|such a) burden",
        # the same said in other words or through a translation ("everybody at home will be more light without me")
        r"(?:better|lighter|more light|easier|happier|freer|free|relieved|calmer) (?:\w+ ){0,3}?without me\b(?! \w+ing\b)",
        # a date set, a way to end it counted out ("I have decided the date", "to finish everything",
        # "what quantity of the amitriptyline is the end for the body")
        r"(?:decided|chosen|picked|set|fixed) (?:on )?(?:the|a|my) (?:date|day)\b(?! (?:for|of) (?:my|the|our|a|an|his|her) "
        r"(?:surgery|operation|appointment|wedding|holiday|party|procedure|biopsy|treatment|trip|birthday|move|visit))",
        r"\bto (?:finish|end|stop) (?:everything|it all|with (?:everything|it all|life|my life))\b",
        # round 10 (blind19, second-language writers): closing the eyes for good, belongings handed on "after me",
        # asking God to take one back
        r"(?:close|shut) (?:my|her|his|their) eyes (?:and|&) (?:never|not) (?:to )?(?:open|wake) (?:them |it )?(?:again|up)",
        r"after me,? (?:you |u )?(?:can )?(?:take|have|keep|get) (?:my|her|his)\b|(?:take|have|keep) (?:my|her|his) "
        r"(?:\w+ ){0,4}?(?:after me|when (?:im|i am|she is|shes|he is|hes) gone)\b",
        r"(?:allah|god|jesus|the lord) (?:should |to |will |would |please |can )?(?:take|takes|call|calls) (?:me|her|him) "
        r"(?:back|away|home|soon|now|tonight)\b(?! from)|(?:want|wish|ready) to go to (?:god|allah|heaven|jesus)\b",
        r"(?:quantity|amount|dose|how (?:much|many)) (?:\w+ ){0,6}?(?:is|would be|will be|to be) (?:the end|fatal|deadly|"
        r"lethal)",
        r"want (?:it|everything) (?:all )?to (?:end|stop),? (?:forever|for good|for ever|permanently)",
        # round 11 (blind21/22 after their first run): care-note wording, a sleep that should not end, a deadline
        # on being around, self-injury with a hot object
        r"\b(?:passive|active) (?:si|suicidal (?:ideation|thoughts?))\b|suicidal ideation|\b(?:dsh|nssi)\b|"
        r"(?:disclosed|expressed|reports?|reported|reporting|hx of|history of) si\b",
        r"(?:wouldnt|would not|wont|will not|doesnt|does not|dont|do not) mind (?:if (?:i|she|he) )?(?:not waking up|"
        r"never waking up|dying|died|not being (?:here|around|alive)|not wak\w* up)",
        r"(?:make sure|so that|so) (?:i|she|he|they) (?:dont|do not|doesnt|does not|wont|will not|never) wake (?:up )?"
        r"(?:this time|again|ever)",
        r"(?:wont|will not|not going to) be (?:around|here) (?:for|at|by) (?:christmas|new year|next year|the new year|"
        r"(?:my|his|her) (?:next )?birthday|the holidays)\b(?![^.?!]{0,50}\b(?:travel\w*|away|abroad|holiday|working|"
        r"shift|trip|visit\w*|flight|moving|hospital)\b)",
        r"(?:press\w*|hold\w*|held|put\w*|burn\w*|cut\w*|scald\w*|stab\w*) [^.?!]{0,50}?(?:arms?|legs?|wrists?|"
        r"thighs?|skin|stomach|hips?|hands?) on purpose",
        r"self[- ]?harm\w*|(?:hurt\w*|harm\w*|injur\w*|cut\w*|burn\w*|punish\w*) (?:my ?self|myself)",
        r"cut\w* (?:my )?(?:arms?|wrists?|legs?|thighs?)|on purpose to (?:hurt|punish)",
        r"scratch\w* " + _N % 4 + r"on purpose",
        r"(?:take|taking|took|swallow\w*) (?:a|my|the|an|her|his) (?:whole |entire |full )?"
        r"(?:bottle|box|pack|packet|strip|supply|stash)s? of",
        r"(?:take|taking|took|swallow\w*) all (?:of )?(?:my |the |her |his )?" + _PILLS +
        r" (?:at once|in one go|together|at the same time)",
        r"(?:thinking (?:of|about)|want\w* to|going to|plan\w* (?:to|on)|tempted to) (?:take|taking|swallow\w*) "
        r"all (?:of )?(?:my |the |her |his )?" + _PILLS,
        r"(?:how many|enough) (?:pills|tablets) " + _N % 4 + r"(?:die|kill|not wake|dead)",
        r"enough (?:\w+ ){0,3}?to (?:not|never) wake up|enough to (?:die|be dead|end it|end things|sleep forever)",
        r"how many (?:\w+ ){0,5}?(?:pills|tablets|sleeping pills|painkillers|meds)(?: \w+){0,3}? (?:would|will) be "
        r"enough(?= ?(?:[.?!,;]|$))",
        r"(?:looked up|looking up|searched|googled|picked|chose|chosen|found) (?:\w+ ){0,4}?(?:bridge|cliff|"
        r"multi ?stor(?:e)?y car park|railway line|train tracks?|tall building)",
        r"(?:which|what|the) (?:bridge|cliff|building) is (?:the )?(?:closest|nearest|highest|tallest)|"
        r"(?:closest|nearest|highest|tallest) (?:bridge|cliff)",
        r"(?:plan\w*|going|want\w*|thinking (?:of|about)|about|ready) (?:to )?(?:jump|hang|drown|shoot|overdose)\b",
        r"jump (?:off|in front)",
        r"(?:take|taking|took|swallow\w*|all (?:my|the|of)) [^.?!]{0,40}?\bto end (?:it|it all|things|everything)\b",
        r"(?:fatal|lethal|deadly) (?:amount|dose|doses|quantity|number)|how much (?:\w+ ){0,3}(?:would|to) (?:kill|be fatal)",
        r"goodbye (?:letters?|notes?|messages?|texts?)|suicide notes?",
        r"(?:thoughts?|thinking|thought) (?:about|of) (?:not being (?:here|around|alive)|being dead|"
        r"dying(?! (?:my|his|her|the|it|them|your|our)\b)|ending it|not waking up)",
        r"(?:dont|do not|not) plan\w* (?:on|to) (?:be |being )(?:around|here)|"
        r"(?:wont|will not|not going to) be (?:around|here) (?:much longer|anymore|any more|to see (?:it|the|my|next))",
        r"(?:saving|stockpil\w*|hoard\w*|stash\w*|collecting) (?:up )?(?:\w+ ){0,2}?(?:tablets|pills|meds|medication|"
        r"painkillers|sleeping pills|prednisolone|paracetamol)",
        r"(?:burn\w*|cut\w*|scratch\w*|hurt\w*|stab\w*) (?:my |his |her |the )?(?:skin (?:of|on) (?:my |his |her )?)?"
        r"(?:thighs?|arms?|wrists?|legs?|skin|stomach|hips?) (?:with|using) (?:a |my |the )?(?:lighter|razor|blade|knife|"
        r"compass|cigarettes?|matches)",
        r"giv\w* (?:all )?(?:away )?my (?:things|stuff|belongings|possessions|games|clothes) away",
        r"(?:say|saying|said) goodbye to (?:everyone|my family|my kids|everybody)",
        r"giv\w* away (?:all )?my (?:things|stuff|belongings)",
        r"quiero morir\w*|matarme|me quiero matar|je veux mourir|me tuer|ich will (?:sterben|nicht mehr leben)|"
        r"umbringen|voglio morire|quero morrer|me matar"),
    # figures of speech that use death words about the skin problem ("this itch is killing me")
    "death_idiom": any_of(
        r"(?:is|are|its|it is|itch\w*|scratch\w*|pain|eczema|psoriasis|acne|rash|hives) (?:literally |actually |"
        r"honestly |just |slowly )?killing me",
        r"\bdying (?:to|for) (?:know|try|find|get|hear|ask|see)",
        r"(?:could|would|nearly|almost|wanna|want to|gonna) (?:have )?(?:just )?(?:die|died) (?:of|from) "
        r"(?:embarrassment|shame|cringe)",
        r"\bcan (?:\w+ ){1,3}(?:kill you|kill people|kill someone|be fatal|be deadly)\b",
        r"\b(?:to die for|kill for)\b"),
    # self-harm that is plainly over ("I used to self-harm as a teenager, I'm in a good place now: can the old
    # scars fade?") unless something says it is back
    "past_marker": r"years? ago|used to|as a (?:teen|teenager|kid|child|student)|when i was (?:younger|a teen\w*|at "
                   r"school|in school|\d+)|in the past|back then|long time ago|in my (?:teens|twenties)",
    "recovered_marker": r"good place|doing (?:well|fine|ok|okay|great|much better)|better now|recovered|long over|"
                        r"not anymore|no longer|havent (?:done|self)|stopped (?:years|a long)|all behind me|(?:its|thats|"
                        r"that was) over",
    "relapse_marker": r"\bagain\b|relapse\w*|lately|recently|tonight|this (?:week|month)|the urge|urges|"
                      r"started (?:cutting|burning|scratching|hurting)|want to (?:do it|start)",
    "self_harm_word": r"self[- ]?harm\w*|(?:cut|cutting|burn\w*|scratch\w*|hurt\w*|harm\w*) (?:my ?self|myself)|"
                      r"on purpose",
    "present_wish": r"(?:want|wanna|wanting|going|plan\w*|ready) to (?:die|kill|end|not be)|suicid\w*|"
                    r"(?:dont|do not) want to (?:be here|live|be alive|exist|wake up)|cant go on|better off (?:dead|"
                    r"without me)|end (?:it all|my life|things)",
    "overdose": r"\boverdos\w*|\bod\b",
    "accidental": r"\b(?:accident\w*|by mistake|mistaken\w*|misread|wrong dose|confused (?:the|my) (?:dose|tablets))\b",
    "took_too_much": any_of(  # taking too much of a medicine
        r"(?:took|taken|taking|had|swallowed|used|injected) " + _N % 4 + r"(?:too many|too much|extra|double|twice|"
        r"(?:two|2|three|3) (?:doses|injections|lots)|more than (?:i|you|he|she) should)",
        r"(?:accident\w*|by mistake|mistakenly) " + _N % 4 + r"(?:took|taken|swallowed|doubled|used)"),
    "child_ingestion": r"(?:toddler|baby|child|kid|son|daughter|grandson|granddaughter|little one)s? " + _N % 4 +
                       r"(?:ate|swallowed|got into|has eaten|had eaten|drank|chewed)",
    "dangerous_in_overdose": r"hydroxychloroquine|plaquenil|quinoric|ciclosporin|cyclosporine|neoral|azathioprine|"
                             r"imuran|colchicine|dapsone",
    "daily_schedule": r"\b(?:every day|everyday|daily|each day|every morning|every night|once a day|all week)\b",
    "taking_now": r"\b(?:took|taken|taking|been on|had|swallowed|using|injected|injecting)\b",
    "low_mood": any_of(r"depress\w*|cant cope|not coping|struggling to cope",
                       r"(?:feel\w*|am|im|been|getting) (?:so |really |very |quite )?(?:down|low|hopeless|miserable|"
                       r"desperate|in despair)\b"),
    "interaction_question": (
        r"(?:can|could|should|is it (?:ok|okay|safe|fine|alright)(?: for me)? to) (?:i |we |he |she )?"
        r"(?:take|mix|combine|use) " + _N % 4 + r"(?:with|alongside|together with|while (?:on|taking))"),
    "side_effect_framing": (r"\b(?:cause|causes|causing|side ?effects?|risks?|linked|link|associated|"
                            r"make (?:you|people|someone)|lead to|trigger|warning)\b"),
    # --- see a doctor soon ----------------------------------------------------------------------------------------
    "mole": any_of(
        r"moles?|naev\w*|nev(?:us|i)|freckles?|beauty spots?|birth ?marks?|pigmented",
        r"(?:dark|brown|black|blue|new) (?:spot|patch|mark|lesion)s?",
        r"(?:spot|patch|mark|lesion) " + _N % 3 + r"(?:darker|blacker|black|brown|pigment\w*)"),
    # ABCDE "C": two or more colours named in one lesion ("brown, black and a bit blue")
    "many_colours": (r"(?:black|brown|blue|red|pink|white|grey|gray|tan)\b[ ,]+(?:and |or )?"
                     r"(?:a bit |some |bits of |patches of )?(?:dark |light )?"
                     r"(?:black|brown|blue|red|pink|white|grey|gray|tan)\b"),
    "mole_change": any_of(
        r"(?:got|getting|gotten|grown|growing|became|become|gone|went|turned|is|has|looks?) "
        r"(?:a bit |much |really )?(?:bigger|larger|darker|raised|lumpy|black|changed|different)",
        r"chang\w*|grow\w*|grew|bigger|larger|enlarg\w*|bleed\w*|bled|itch\w*|crust\w*|ooz\w*|darker|raised",
        r"doubled|tripled|(?:increased|gone up) in size|spread\w*",
        r"ragged|irregular|uneven|blurr\w*|jagged|notched|fuzzy|asymmetr\w*|ugly duckling|looks different",
        r"(?:several|different|multiple|many|two|three|few|mix of|lots of) colou?rs|multi ?-?colou?r\w*",
        r"black and brown|red and brown|brown and black",
        r"(?:new|fresh) (?:\w+ )?(?:mole|naevus|dark spot)",
        r"looks? (?:nothing like|unlike|different from) (?:\w+ ){0,2}?(?:others?|ones|rest)"),
    "sore_or_lump": any_of(
        r"sores?|spots?|scabs?|ulcers?|wounds?|lumps?|bumps?|lesions?|cuts?|growths?|nodules?",
        r"(?:scaly|rough|crusty|shiny|pearly|waxy|scabby) (?:\w+ )?(?:patch|spot|bump|area|bit|mark|skin)"),
    "bcc_sign": (r"(?:pearly|shiny|waxy|translucent|see[- ]through|rolled) (?:\w+ )?(?:pink |white |red )?"
                 r"(?:bump|lump|spot|nodule|patch|edges?|borders?|growth)"),
    "bleeding_growth": r"(?:bump|lump|growth|nodule|scab|scaly \w+|sore|mark) " + _N % 5 + r"(?:bleed\w*|bled)",
    "not_healing": any_of(
        r"(?:wont|doesnt|does not|not|never|hasnt|isnt|will not|didnt|refuses to) (?:\w+ )?"
        r"(?:heal\w*|go away|gone away|clear\w*|getting better)",
        r"non[- ]?healing",
        r"keeps? (?:coming back|bleeding|crusting|scabbing|reopening|opening up|breaking down)",
        r"(?:bleeds|bleeding|crusts|crusting|scabs) " + _N % 3 + r"(?:again|on and off|off and on)",
        r"for (?:\d+|several|a few|many|two|three|four|six) (?:weeks|months)",
        r"since (?:last )?(?:spring|summer|autumn|fall|winter|last year|(?:\w+ )?months? ago)"),
    "lump_in_scar": any_of(
        r"(?:lump|bump|nodule|growth|swelling|thickening|spot) " + _N % 8 +
        r"(?:scar|where (?:they|it) (?:was )?(?:removed|cut out))",
        r"scar " + _N % 3 + r"(?:lump|bump|nodule|growing)"),
    "growing_lump": any_of(
        r"(?:lump|bump|nodule|growth) " + _N % 4 + r"(?:growing|getting bigger|grown|grew|doubled)",
        r"(?:new|growing|fast[- ]growing|rapidly growing) (?:\w+ )?(?:lump|bump|nodule|growth)",
        r"(?:lump|bump|nodule|growth) (?:[\w,]+ ){0,14}?(?:(?:got|gotten|grown|getting|is|its) )?(?:bigger|larger) than "
        r"(?:it was|before|last)"),
    # shingles on the face near the eye or on the tip/side of the nose (the eye may be involved: same day)
    "face_shingles": any_of(
        r"(?:shingles|zoster|zona|culebrilla)\b[^.!]{0,80}?(?:tip of (?:my |his |her |the )?nose|side of (?:my |his |her |the )?nose|"
        r"eyelid|(?:near|around|next to|by|above|into) (?:my |his |her |the )?eye|forehead)",
        r"(?:tip of (?:my |his |her |the )?nose|eyelid|(?:near|around|next to|by) (?:my |his |her |the )?eye)"
        r"[^.!]{0,80}?\b(?:shingles|zoster|zona|culebrilla)",
        # a shingles-type rash named by its look: blisters on the tip of the nose with the forehead or one side
        r"blister\w* [^.!?]{0,40}?(?:tip|end) of (?:my |his |her |the )?nose[^?]{0,80}?(?:forehead|one side|"
        r"eye\b|eyelid)"),
    "blister_band": any_of(
        r"(?:band|strip|stripe|line|belt|streak|row) of " + _N % 2 + r"(?:blisters|blisters|spots|bumps)",
        r"(?:blisters|rash|spots) " + _N % 8 + r"(?:only )?on (?:one|that|the (?:left|right)) side(?! of (?:my|his|her) "
        r"(?:face|nose|forehead|eye))",
        r"one[- ]sided (?:\w+ )?(?:rash|blisters|band)"),
    "nail_fold_infection": any_of(
        r"(?:\w*nail|cuticle|nail fold|nail bed) (?:[\w,]+ ){0,8}?(?:pus|abscess|throbbing|infected)\b",
        r"\b(?:pus|abscess|throbbing|infected) " + _N % 6 + r"(?:\w*nail|cuticle|nail fold)"),
    "nail_streak": any_of(
        r"(?:dark|black|brown) (?:\w+ )?(?:line|streak|stripe|band)s? " + _N % 4 + r"(?:\w*nail|nail ?bed)",
        r"(?:\w*nail|nail ?bed) " + _N % 4 + r"(?:dark|black|brown) (?:line|streak|stripe|band)"),
    "weeping": r"weep\w*|ooz\w*|crust\w*|\bpus\b|yellow|(?:very |really )?painful",
    "infected_skin": r"yellow crust\w*|honey[- ]colou?red|pus\b|infected|weeping yellow|oozing yellow",
    # --- dosing and prescribing -------------------------------------------------------------------------------------
    "skin_medicine": W(*SKIN_MEDICINES),
    "medicine_word": W(*MEDICINE_WORDS),
    "methotrexate": r"methotrexate|mtx|metoject|otrexup|rasuvo|jylamvo|maxtrex|methotrexat\w*",
    "dose_question": any_of(
        r"how (?:much|many)(?: \w+){0,5}? (?:should|can|could|do|must|shall|would|am i|to|is safe|is too much|"
        r"per day|a day|each day)",
        r"how (?:much|many) (?:mg|milligrams?|mcg|micrograms?|ml|units|tablets|pills|capsules|grams|fingertip units)",
        r"what (?:\w+ )?(?:dose|dosage|doses|amount|strength|quantity|mg)\b|which (?:dose|dosage|strength)",
        r"(?:right|correct|safe|max\w*|usual|normal|starting|best) (?:\w+ )?(?:dose|dosage|amount)",
        r"dosage|dosing|\d+ ?(?:mg|mcg|ml|milligrams?)\b",
        r"how often (?:should|can|do|must) (?:i|we|he|she) (?:take|use|apply|inject|put|have)",
        r"how long (?:should|can) (?:i|we|he|she) (?:take|use|apply|stay on|keep (?:taking|using))",
        r"(?:double|halve|split|increase|decrease|reduce|lower|raise|up|cut down|taper|wean) "
        r"(?:my |the |his |her |off )?(?:\w+ )?(?:dose|dosage)",
        r"take (?:two|2|double|extra) (?:\w+ )?(?:doses?|tablets|pills|injections|this week)"),
    "change_decision": any_of(
        r"(?:can|could|should|shall|may|must|do i (?:need|have) to|would it be (?:ok|okay|safe|fine|alright|bad)|"
        r"is it (?:ok|okay|safe|fine|alright|bad|dangerous)(?: for me)?(?: to| if i)?|(?:ok|okay|safe|fine|alright) "
        r"(?:for me )?(?:to|if i)|am i (?:allowed|ok|okay)(?: to)?|want to|wanna|thinking (?:of|about)|planning "
        r"(?:to|on)|going to|gonna|time to|when (?:can|should|do) (?:i|we))(?: (?:i|we|he|she|you|me))?(?: just)?"
        r"(?: to)? (?:stop\w*|quit\w*|come off|coming off|get off|go off|going off|give up|ceas\w*|discontinu\w*|"
        r"paus\w*|switch\w*|swap\w*|change\w*|start\w*|go on|going on|begin|restart\w*|skip\w*|miss\w*|double\w*|"
        r"increas\w*|reduc\w*|lower\w*|tapers?|tapering|wean\w*|halve|cut (?:down|back)|take (?:two|2|double|extra|"
        r"more|less|it every|it every other|my \w+ every other)|use (?:more|less))",
        r"(?:go|move|change|switch|swap|transfer) (?:over )?from " + _N % 3 + r"(?:to|onto)\b",
        r"(?:missed|forgot|forgotten|skipped|late with|late taking) (?:to take |to use |taking )?"
        r"(?:my |a |the |this weeks |last weeks |yesterdays |todays )?" + _MED,
        r"\bdouble (?:up|next|the next|it|my|the|dose)\b",
        r"(?:can|could|should|shall) (?:i|we|he|she) " + _N % 2 + r"(?:take|use|try|have) " + _N % 4 + r"instead",
        r"(?:take|use|borrow|have|try|share) (?:my |his |her |our )?(?:mums|moms|dads|sisters|brothers|friends|"
        r"partners|husbands|wifes|grans|nans|sons|daughters|someone elses|other peoples|a friends)\b"),
    "prescribe_request": any_of(
        r"prescribe (?:me|us|him|her|something|it)|prescrib\w* (?:me |us |him |her )?(?:some |a |an )?" + _SKIN_MED,
        r"(?:write|give|get|send) (?:me |us )?(?:a |an )?(?:script|scrip|rx)\b|\b(?:script|scrip|rx) for",
        r"(?:can|could|will|would) you prescribe|prescribing me|(?:give|write|get) me (?:a |an )?prescription|"
        r"prescription for me",
        r"(?:give|recommend|suggest|tell|get) me (?:\w+ ){0,2}?(?:medicines?|medications?|meds|creams?|ointments?|"
        r"drugs?|pills?|tablets?|biologics?|antibiotics?|steroids?|something (?:for|to)|a (?:cream|pill|tablet|drug))",
        r"(?:which|what) " + _N % 2 + r"(?:creams?|ointments?|medicines?|medications?|meds|biologics?|antibiotics?|"
        r"tablets?|pills?|steroids?|drugs?|jak|injections?) (?:should|shall|do|would you|can) (?:i|we|he|she|you) "
        r"(?:use|take|go on|start|try|buy|get|choose|pick|recommend|be on|switch to)",
        r"(?:pick|choose|decide) " + _N % 3 + r"(?:for me|for us)",
        r"just tell me (?:what|which) (?:\w+ )?to (?:take|use|buy)|what (?:should) (?:i|we) (?:take|use|put on|buy) "
        r"(?:for|on)"),
    "every_other": any_of(
        r"every other (?:day|week)|instead of (?:weekly|daily|every|all at once|once a week)",
        r"(?:twice a (?:week|day)|every day|daily|each day) instead",
        r"spac\w* (?:\w+ ){0,3}?(?:out|apart)|stretch\w* (?:out )?(?:the )?(?:gap|interval|doses|time)",
        r"less (?:often|frequently)|more (?:often|frequently)|every \d+ (?:days|weeks|months) instead",
        r"(?:to|at) every (?:\d+|two|three|four|six|other) (?:days|weeks|months)"),
    # --- scope and framing --------------------------------------------------------------------------------------------
    "skin_topic": W(*SKIN_TOPIC) + "|" + W(*SKIN_MEDICINES),
    "non_skin_compound": any_of(  # phrases with a skin word that are not about skin
        r"\bsore (?:throat|back|head|stomach|tummy|muscles?|joints?|knees?|tooth|teeth|ears?|gums?)\b",
        r"\bred (?:wine|meat|car|eyes? from (?:screens|tiredness))\b|\bdry (?:cough|eyes?|mouth|january)\b",
        r"\bswollen (?:ankles?|knees?|joints?|glands?)\b|\bface ?book\b|\bfacetime\b|\bsun(?:day|set|rise)\b",
        r"\bhands? (?:free|down)\b"),
    "off_topic": W(*OFF_TOPIC),
    "off_topic_task": (r"\b(?:poems?|songs?|stor(?:y|ies)|essays?|jokes?|limericks?|haikus?|raps?|lyrics|python|"
                       r"javascript|recipes?|cover letter|tweets?|translat\w*|sql|html code)\b"),
    "pet": (r"\b(?:my|our|the) (?:dogs?|cats?|puppy|kitten|horse|rabbit|pets?|hamster)s? "
            r"(?:has|have|got|is|keeps|seems|looks|s)\b"),
    "distress": (r"\b(?:die|dying|dead|death|alive|living|hurt\w* (?:my|him|her)self|harm\w*|wake up|goodbye|"
                 r"hopeless|worthless|burden|give up|no point|disappear\w*|kill\w*|jump|bridge|end it|"
                 r"end my life|cant go on|cant take (?:it|this) any ?more)\b"),
    "reassurance": any_of(
        r"(?:feel|feeling|im|am|otherwise|breath\w*|swallow\w*|is|seems?) (?:\w+ )?(?:fine|ok|okay|well|"
        r"normal(?:ly)?)\b",
        r"went away|gone away|gone down|cleared up|settled|resolved|no longer|last (?:week|month|year|summer)|"
        r"years? ago|used to"),
    # A clinician has already named a blistering disease: blisters with mouth sores are then that disease,
    # not a new drug reaction (the SJS rule still fires with a new medicine or skin coming off).
    "diagnosed_blistering": any_of(
        r"(?:diagnos\w*|says?|said|confirmed|told (?:us|me|him|her|them)|thinks?|it'?s|its|has|have|got|with) "
        r"(?:\w+ ){0,3}(?:pemphigus|pemphigoid|dermatitis herpetiformis|epidermolysis bullosa|linear iga)"),
    "info_framing": (r"^(?:how (?:do|can|would|will|should) (?:i|you|we|people) (?:know|tell|check|spot)|"
                     r"what (?:are|is) (?:the )?(?:signs?|symptoms?|warning signs?)|signs? of|symptoms? of|"
                     r"how to (?:tell|know|check|spot)|what does \w+ (?:\w+ )?look like)|"
                     r"\b(?:documentary|documentry|an article|on the news|on tv|a podcast|a leaflet)\b|"
                     r"\b(?:been reading|reading (?:about|up on)|read (?:about|up on))\b|"
                     r"\b(?:nurse|nursing|student|exam|revision|work) question\b|\bquestion for (?:work|my exam|an exam|"
                     r"my course|uni|class)\b"),
}


@cache
def compiled(name: str) -> re.Pattern:
    """Whole words only: "itch" is not in "switch", "die" is not in "diet", "pus" is not in "lupus"."""
    return re.compile(r"(?<![a-z0-9])(?:" + CONCEPTS[name] + r")(?![a-z0-9])")
