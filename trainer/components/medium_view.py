"""Draw a message the way its medium shows it: a tweet card, WhatsApp bubbles, an e-mail with
subject and signature, a review with stars, a Facebook/Instagram comment, a web chat.

Pure functions returning HTML, so they are tested without Streamlit. All user text (customer
messages, trainee replies) is escaped: a reply containing HTML, Markdown links or script is
shown literally, never interpreted.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from scoring.config import Medium

CSS = """
<style>
.wt-thread{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:680px}
.wt-tweet{border:1px solid #cfd9de;border-radius:14px;padding:12px 14px;margin:8px 0;background:#fff;color:#0f1419}
.wt-tweet.mine{border-color:#1d9bf0;background:#f7fbff}
.wt-head{display:flex;align-items:center;gap:8px;margin-bottom:4px}
.wt-avatar{width:38px;height:38px;border-radius:50%;display:flex;align-items:center;justify-content:center;color:#fff;font-weight:700;font-size:15px;flex:none}
.wt-name{font-weight:700}.wt-handle,.wt-meta{color:#536471;font-size:.9em}
.wt-text{white-space:pre-wrap;overflow-wrap:anywhere;line-height:1.4}
.wt-foot{color:#536471;font-size:.85em;margin-top:8px;display:flex;gap:22px}
.wt-bubbles{padding:10px;border-radius:10px}
.wt-bubble{max-width:78%;padding:7px 10px 5px;border-radius:10px;margin:5px 0;box-shadow:0 1px .5px rgba(0,0,0,.13);clear:both}
.wt-bubble.them{float:left;background:#fff;color:#111}
.wt-bubble.mine{float:right;color:#111}
.wt-bubble .wt-meta{text-align:right;font-size:.75em}
.wt-clear{clear:both}
.wt-email{border:1px solid #dadce0;border-radius:8px;margin:8px 0;background:#fff;color:#202124}
.wt-email-head{padding:8px 14px;border-bottom:1px solid #eee;background:#f8f9fa;border-radius:8px 8px 0 0;display:flex;justify-content:space-between;gap:12px}
.wt-sender{font-weight:600;color:#202124}
.wt-email-body{padding:12px 14px}
.wt-subject{font-size:1.1em;font-weight:600;margin:4px 0 8px}
.wt-review{border:1px solid #ddd;border-radius:8px;padding:12px 14px;margin:8px 0;background:#fff;color:#191919}
.wt-stars{font-size:1.2em;letter-spacing:2px}
.wt-reply-box{margin:8px 0 0 28px;padding:10px 12px;border-left:3px solid #00b67a;background:#f4fbf8}
.wt-comment{display:flex;gap:8px;margin:8px 0}
.wt-comment .wt-body{background:#f0f2f5;border-radius:16px;padding:7px 12px;color:#050505}
.wt-comment.mine .wt-body{background:#e7f3ff}
.wt-chat{border-radius:12px;padding:8px 12px;margin:6px 0;max-width:80%}
.wt-chat.them{background:#f1f1f1;color:#111}
.wt-chat.mine{margin-left:auto;color:#fff}
</style>
"""


@dataclass(frozen=True)
class MessageView:
    """One message in a thread, as the medium would show it."""

    text: str
    author: str
    from_customer: bool
    handle: str | None = None
    followers: int | None = None
    subject: str | None = None
    stars: int | None = None
    time_label: str | None = None
    retweets: int = 0
    likes: int = 0


def _escape(text: str) -> str:
    return html.escape(text, quote=True)


def _initials(name: str) -> str:
    parts = [p for p in name.replace("@", "").split() if p]
    return _escape("".join(p[0] for p in parts[:2]).upper() or "?")


def _avatar(name: str, colour: str) -> str:
    return f'<div class="wt-avatar" style="background:{colour}">{_initials(name)}</div>'


def _followers(count: int | None, language: str) -> str:
    if count is None:
        return ""
    shown = f"{count:,}".replace(",", "." if language == "nl" else ",")
    return f' · {shown} {"volgers" if language == "nl" else "followers"}'


def _tweet(medium: Medium, m: MessageView, language: str) -> str:
    colour = "#8899a6" if m.from_customer else medium.look.colour
    handle = f' <span class="wt-handle">@{_escape(m.handle.lstrip("@"))}</span>' if m.handle and medium.look.shows_handle else ""
    followers = _followers(m.followers, language).lstrip(" ·") if medium.look.shows_followers else ""
    meta = " · ".join(part for part in (followers, _escape(m.time_label or "")) if part)
    foot = (f'<div class="wt-foot"><span>↩</span><span>⇄ {m.retweets}</span><span>♡ {m.likes}</span></div>')
    return (
        f'<div class="wt-tweet{"" if m.from_customer else " mine"}"><div class="wt-head">{_avatar(m.author, colour)}'
        f'<div><span class="wt-name">{_escape(m.author)}</span>{handle}'
        f'<div class="wt-meta">{meta}</div></div></div>'
        f'<div class="wt-text">{_escape(m.text)}</div>{foot}</div>'
    )


def _bubble(medium: Medium, m: MessageView, language: str) -> str:
    side = "them" if m.from_customer else "mine"
    # WhatsApp's own light green for our side; other messengers tint with their colour.
    background = "" if m.from_customer else f' style="background:{_mine_tint(medium)}"'
    when = f'<div class="wt-meta">{_escape(m.time_label)}</div>' if m.time_label else ""
    return f'<div class="wt-bubble {side}"{background}><div class="wt-text">{_escape(m.text)}</div>{when}</div><div class="wt-clear"></div>'


def _mine_tint(medium: Medium) -> str:
    return "#d9fdd3" if medium.look.colour.lower() == "#25d366" else "#e3f0ff"


def _email(medium: Medium, m: MessageView, language: str) -> str:
    """One message of a mail thread: sender and time above the body. The subject is the
    thread's, shown once above all of them (`_email_thread`), as a mail client does."""
    sender = "Van" if language == "nl" else "From"
    when = f'<span class="wt-meta wt-when">{_escape(m.time_label)}</span>' if m.time_label else ""
    return (
        f'<div class="wt-email"><div class="wt-email-head"><span class="wt-meta">{sender}: '
        f'<span class="wt-sender">{_escape(m.author)}</span></span>{when}</div>'
        f'<div class="wt-email-body wt-text">{_escape(m.text)}</div></div>'
    )


def _email_thread(medium: Medium, messages: list[MessageView], language: str) -> str:
    subject = next((m.subject for m in messages if m.subject), None)
    label = "Onderwerp" if language == "nl" else "Subject"
    head = f'<div class="wt-subject">{label}: {_escape(subject)}</div>' if subject else ""
    return head + "".join(_email(medium, m, language) for m in messages)


def _review(medium: Medium, m: MessageView, language: str) -> str:
    if m.from_customer:
        stars = m.stars if m.stars is not None else 1
        shown = "★" * stars + "☆" * (5 - stars)
        title = f'<div class="wt-subject">{_escape(m.subject)}</div>' if m.subject else ""
        return (
            f'<div class="wt-review"><div class="wt-stars" style="color:{medium.look.colour}" '
            f'aria-label="{stars} / 5">{shown}</div>{title}'
            f'<div class="wt-meta">{_escape(m.author)}</div><div class="wt-text">{_escape(m.text)}</div></div>'
        )
    label = "Reactie van het bedrijf" if language == "nl" else "Reply from the company"
    return f'<div class="wt-reply-box"><div class="wt-meta">{label}</div><div class="wt-text">{_escape(m.text)}</div></div>'


def _comment(medium: Medium, m: MessageView, language: str) -> str:
    colour = "#8a8d91" if m.from_customer else medium.look.colour
    mine = "" if m.from_customer else " mine"
    followers = _followers(m.followers, language) if medium.look.shows_followers else ""
    return (
        f'<div class="wt-comment{mine}">{_avatar(m.author, colour)}<div class="wt-body">'
        f'<div class="wt-name">{_escape(m.author)}<span class="wt-meta">{followers}</span></div>'
        f'<div class="wt-text">{_escape(m.text)}</div></div></div>'
    )


def _chat(medium: Medium, m: MessageView, language: str) -> str:
    side = "them" if m.from_customer else "mine"
    style = "" if m.from_customer else f' style="background:{medium.look.colour}"'
    return f'<div class="wt-chat {side}"{style}><div class="wt-text">{_escape(m.text)}</div></div>'


RENDERERS = {"tweet": _tweet, "bubble": _bubble, "email": _email, "review": _review, "comment": _comment, "chat": _chat}


def thread_html(medium: Medium, messages: list[MessageView], language: str = "nl") -> str:
    """The whole conversation as the medium shows it."""
    if medium.look.kind == "email":  # the subject belongs to the thread, not to each message
        body = _email_thread(medium, messages, language)
    else:
        body = "".join(RENDERERS[medium.look.kind](medium, m, language) for m in messages)
    if medium.look.kind == "bubble":
        wallpaper = "#efeae2" if medium.look.colour.lower() == "#25d366" else "#f5f6f7"
        body = f'<div class="wt-bubbles" style="background:{wallpaper}">{body}</div>'
    return f'{CSS}<div class="wt-thread">{body}</div>'
