"""Replying to the caller (4.1.2A, 4.3): the reply stops the clock and records what the caller was
told — typed, or one of the site's canned answers (话术, domain/answers.py), kept with the reply.

A request replied to without words (a checklist step that told the caller, `r` pressed in a
hurry) may have what was said added once afterwards: an event of its own, the clock untouched.
"""

from __future__ import annotations

from liyuan_tui.domain import validation as check
from liyuan_tui.domain.answers import Answers
from liyuan_tui.domain.errors import ValidationError
from liyuan_tui.domain.events import EventKind
from liyuan_tui.domain.models import Request
from liyuan_tui.domain.permissions import Action

from .kernel import Kernel

MAX_ANSWER_KEY = 64


class Replies:
    """reply; `answers` are the canned answers in force (the site's published ones: rules.py)."""

    def __init__(self, kernel: Kernel) -> None:
        self.k = kernel

    @property
    def answers(self) -> Answers:
        """The canned answers in force, read on first use: a broken file never stops the desk."""
        self.k.ready()
        return self.k.rules.answers()

    @answers.setter
    def answers(self, answers: Answers) -> None:
        self.k.rules.set_answers(answers)

    def reply(
        self,
        ref: str,
        text: str = "",
        *,
        answer: str = "",
        lang: str = "zh",
        expected_version: int | None = None,
    ) -> Request:
        """The caller has been replied to, with what they were told. `answer`: a canned answer's
        key (its text in `lang` is what was said unless `text` says otherwise)."""
        text = check.text(text, "reply_text")
        answer = check.plain(answer, "answer", max_len=MAX_ANSWER_KEY)
        if answer:
            chosen = self.answers.resolve(answer)
            text = text or chosen.text(lang)
        return record_reply(self.k, ref, expected_version, text=text, answer=answer)


def record_reply(
    k: Kernel, ref: str, expected_version: int | None = None, *, text: str = "", answer: str = ""
) -> Request:
    """Mark replied (the clock stops) with what was said; on a request already replied to
    without words, record the words only."""
    with k.write(Action.REPLY) as tx:
        me, req = tx.me, tx.open_request(ref, expected_version)
        if req.replied_at is not None:
            if not text or req.reply_text:
                raise ValidationError(
                    "error.already_replied",
                    "ref",
                    ref=req.ref,
                    by=req.replied_by,
                    at=k.hhmm(req.replied_at),
                )
            tx.apply(req, {"reply_text": text, "reply_answer": answer})
            tx.record(req, EventKind.REPLY_NOTED, _said(text, answer))
            return req
        now = tx.now
        status = "replied" if req.status == "open" else req.status
        changes = {"replied_at": now, "replied_by": me.login, "status": status}
        if text:
            changes.update(reply_text=text, reply_answer=answer)
        tx.apply(req, changes)
        late = max(0, int((now - req.reply_due_at).total_seconds()))
        tx.record(req, EventKind.REPLIED, {"late_seconds": late, **_said(text, answer)})
        return req


def _said(text: str, answer: str) -> dict[str, str]:
    out = {"reply_text": text} if text else {}
    if answer:
        out["answer"] = answer
    return out
