"""The stop-word list: English function words that carry no topic. Every module that drops stop words builds on
it and names only what it adds for its own purpose (a report's label words, a metric's weak words).

``STOP_WORDS`` (71 words) is what retrieval drops: articles, pronouns, auxiliaries, question words. It keeps the
words that change what a question asks ("after", "before", "more", "only", "all", "may", "should").
``WEAK_WORDS`` (63) are those quantity, time, place and hedge words, which comparing two texts' content (the
evaluation, the answer guard's support score) drops as well.
"""

from __future__ import annotations

STOP_WORDS = frozenset("""
a am an and are as at be been but by can could did do does for from get got had has have he her him his how i if
in into is it its me my of on or our she so than that the their them then there these they this to too us was we
were what when where which who why will with would you your yours
""".split())

WEAK_WORDS = frozenset("""
about above after again against all also any because before being below between both doing down during each few
further gets having here hers herself himself itself just many may might more most much must myself off often
only other ours ourselves out over own people same should some such theirs themselves those through under until
up usually very while whom yourself yourselves
""".split())
