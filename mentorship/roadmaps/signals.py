"""What happens to roadmaps, for those who act on it (blinker signals)."""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

roadmap_transitioned = _signals.signal("roadmap-transitioned", doc="""
A roadmap was submitted, approved or returned (flushed, not yet committed): the sender is the
``Roadmap``; keyword argument ``event``, a ``workflow.TransitionEvent`` (the transition, the
organisation to notify and what happened, in Russian). The in-app notification is already
written; the web layer e-mails the other side (blueprints/roadmaps/mailing.py).""")
