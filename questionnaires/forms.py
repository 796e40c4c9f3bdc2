"""The answering form's fields, read from a POST: one parser, the raw shape of ``answers``."""

from questionnaires.blocks import Kind


def field_name(question_key: str) -> str:
    return f"q-{question_key}"


def rank_field_name(question_key: str, place: int) -> str:
    return f"q-{question_key}-rank-{place}"


def raw_from_post(page, data) -> dict:
    """The raw answers in a POST of the answering form (fields named by ``field_name``; a
    ranking, one select per place)."""
    raw = {}
    for question in page.question_list:
        name = field_name(question.key)
        if question.kind == Kind.MULTIPLE:
            value = data.getlist(name)
        elif question.kind == Kind.RANKING:
            value = [
                data.get(rank_field_name(question.key, place), "")
                for place in range(1, len(question.options) + 1)
            ]
            if not any(value):
                value = []
        else:
            value = data.get(name, "")
        raw[question.key] = value
    return raw
