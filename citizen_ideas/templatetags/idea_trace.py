"""``{% idea_trace idea as trace %}``: an idea's public status history and where the
institution used it (the outcome responses and decisions citing it), for its page."""

from django import template
from django.utils.translation import get_language

from citizen_ideas.selectors_trace import idea_citations, idea_history

register = template.Library()


@register.simple_tag
def idea_trace(idea) -> dict:
    return {
        "history": idea_history(idea),
        "citations": idea_citations(idea, language=get_language()),
    }
