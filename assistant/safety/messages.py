"""The standard texts the safety layer shows. Plain words, short sentences, no self-treatment advice."""

from __future__ import annotations

EMERGENCY = (
    "What you describe could be a medical emergency. Please seek emergency care now: call your local emergency "
    "number (for example 911 in the US, 999 in the UK, 112 in Europe) or go to the nearest emergency department. "
    "Do not wait for an online answer, and do not try to treat this at home. If you can, take a list of all the "
    "medicines you use."
)

CRISIS = (
    "I'm really sorry you're feeling like this. Living with a skin condition can be exhausting, and you deserve "
    "support. You don't have to deal with these feelings alone.\n\n"
    "If you might act on these thoughts, or you have hurt yourself, call your local emergency number now "
    "(for example 911 in the US, 999 in the UK, 112 in Europe).\n"
    "- In the US, call or text 988 (Suicide & Crisis Lifeline), any time.\n"
    "- In the UK and Ireland, call Samaritans free on 116 123, any time.\n"
    "- Elsewhere, your local emergency number or a local crisis line can help.\n\n"
    "It can also help to tell someone you trust, or your doctor, how you are feeling. "
    "When you feel ready, I'm here and happy to keep talking about your skin and what might help."
)

SEE_DOCTOR_SOON = (
    "Please get this checked by a doctor soon. Book an appointment with your GP, family doctor or dermatologist "
    "in the next week or two, and sooner if it is changing quickly. Changing moles, sores that do not heal and "
    "new or growing lumps should always be looked at. The information below is general, not a diagnosis."
)

DOSING = (
    "I can't advise on your own dose, or on starting, stopping, skipping or changing a medicine. Please ask the "
    "doctor, nurse or pharmacist who prescribes it, and don't change a prescribed medicine without talking to them "
    "first. Below is general information from vetted guidance."
)

METHOTREXATE_WEEKLY = (
    "Important: methotrexate for skin conditions is taken once a week, on the same day each week, not every day. "
    "Taking it daily by mistake can cause serious harm. If extra doses have been taken, contact your doctor or "
    "pharmacist today, or call your local emergency number if you feel unwell."
)

OUT_OF_SCOPE = (
    "I can only help with questions about skin, hair and nails and their treatments, so I won't guess about this. "
    "For other health questions, please ask your doctor, nurse or pharmacist."
)

INJECTION_DECLINED = (
    "I can't change my role or my safety rules, and I can't share my instructions. I'm happy to answer questions "
    "about skin, hair and nail conditions and their treatments from vetted guidance."
)

INJECTION_IGNORED = "I ignored the part of your message that asked me to change my rules, and answered the rest."

MOOD_SUPPORT = (
    "If you ever have thoughts of harming yourself, please get help now: in the US call or text 988; in the UK "
    "and Ireland call Samaritans on 116 123; elsewhere call your local emergency number."
)


def without_lead_in(message: str) -> str:
    """The notice without its last sentence when that sentence points at an answer below ("The information
    below is general..."): for when no answer follows."""
    head, sep, last = message.rstrip().rpartition(". ")
    return head + "." if sep and "below" in last.lower() else message

# --- Carers: the reply speaks to the person writing, about the person they are worried about ---------------------
EMERGENCY_OTHER = (
    "What you describe could be a medical emergency for them. Please call your local emergency number now (for "
    "example 911 in the US, 999 in the UK, 112 in Europe) or take them to the nearest emergency department. Stay "
    "with them and watch their breathing. Do not wait for an online answer, and do not try to treat this at home. "
    "If you can, take a list of all the medicines they use."
)

CRISIS_OTHER = (
    "I'm sorry. It must be very frightening to hear this from someone you care about, and you were right to act.\n\n"
    "If they might act on these thoughts now, have hurt themselves, or may have taken too much of a medicine, call "
    "your local emergency number (for example 911 in the US, 999 in the UK, 112 in Europe) and stay with them.\n"
    "- In the US, call or text 988 (Suicide & Crisis Lifeline). You can call about someone else, any time.\n"
    "- In the UK and Ireland, call Samaritans free on 116 123, any time.\n"
    "- Elsewhere, your local emergency number or a local crisis line can help.\n\n"
    "What helps: ask them kindly and directly how they are feeling, listen without judging, keep medicines and sharp "
    "things out of reach, and help them contact their doctor today. Look after yourself too: these lines are for "
    "you as well."
)

ISOTRETINOIN_MOOD = (
    "You mentioned isotretinoin. Low mood or thoughts of harming yourself while taking it must be reported at once: "
    "stop taking it and contact the doctor who prescribes it today."
)

ISOTRETINOIN_MOOD_OTHER = (
    "You mentioned isotretinoin. If they take it, they should stop taking it, and you should contact the doctor who "
    "prescribes it urgently, today: low mood or thoughts of self-harm on isotretinoin must be reported at once."
)

# --- Tier 2: a possible emergency or crisis; shown first, above the normal answer --------------------------------
CRISIS_RESOURCES = (
    "If you are having thoughts of ending your life or of hurting yourself, please reach out now: in the US call or "
    "text 988; in the UK and Ireland call Samaritans free on 116 123; elsewhere call your local emergency number. "
    "You don't have to face this alone."
)

URGENT_RESOURCES = (
    "If this is happening now with trouble breathing or swallowing, swelling of the lips, tongue or throat, skin "
    "that is blistering or peeling, a rash that does not fade under a pressed glass with a fever, or feeling very "
    "unwell, call your local emergency number (911 in the US, 999 in the UK, 112 in Europe) now."
)

# --- Images, other people's medicines ----------------------------------------------------------------------------
IMAGE_REQUEST = (
    "I can't see photos, pictures or videos, and I can't tell what a skin problem is from a picture or a "
    "description. A doctor, nurse or pharmacist needs to look at it.\n\n"
    "When you go, it helps to tell them when it started and how it has changed (dated photos can help them), where "
    "it is, whether it itches, hurts or bleeds, and which medicines and creams you use. If it is changing fast, "
    "bleeding, or you feel unwell, get it seen soon. I can answer general questions about skin conditions and "
    "their treatments."
)

OTHERS_MEDICINE = (
    "Please don't use a medicine that was prescribed for someone else, and don't share your own: the medicine, its "
    "strength and how long to use it are chosen for one person. Ask a doctor, nurse or pharmacist what is right. "
    "The information below is general and is not instructions for this situation."
)

CHILD_STRONG_STEROID = (
    "Strong steroid creams are not usually used on a baby's or young child's face, or for weeks at a time, without "
    "a doctor's advice, because their skin is thinner. Please ask the doctor, nurse or pharmacist before using it "
    "again. The information below is general, not instructions for your child."
)

LOST_LEAFLET = (
    "For how often and how much of your own medicine to use, check the pharmacy label, ask your pharmacist (they "
    "can give you a new leaflet), or call the clinic that prescribes it. Below is only what our guidance says in "
    "general about this medicine."
)

# --- A short human acknowledgement ---------------------------------------------------------------------------------
ACK_GRIEF = "I'm so sorry for your loss."
ACK_DISTRESS = "I'm sorry you're going through this. It sounds really hard."
