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
