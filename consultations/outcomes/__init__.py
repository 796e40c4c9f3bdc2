"""Outcomes and decisions: what an institution heard in a consultation, what it decided, and
the trace from each answer back to the contributions and draft sections it rests on.

A package of the consultations app (its models keep the ``consultations`` label): ``models``,
``services`` (what may be cited, what publishing does), ``selectors`` (the trace and the
reads), ``forms`` and ``admin_views`` (the editors' contribution chooser), ``views`` and
``presentation`` (the public pages), ``statistics`` and ``charts`` (the participation
figures an outcome freezes and draws), ``api`` (``/api/decisions/``) and ``notifications``.
"""
