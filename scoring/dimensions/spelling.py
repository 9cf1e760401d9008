"""spelling.v2: LanguageTool's spelling and grammar matches, per 100 words, with our own Dutch
rules (content/languagetool/: d/t in every word order, compounds written apart, als/dan,
hun/hen) counted as grammar errors.

Names (the customer's, the agent's, brands and desk names from content, see
scoring/content_names.py) are never counted. When no LanguageTool answered, the dimension is
marked unchecked and left out of the total: a reply is never given a spelling score nobody
checked. When the server answered without our rules, an info finding says which checks are off.

What the trainee reads is ours, not LanguageTool's: its messages quote the flagged words (so
"'gebelt door': ‘gebelt door’ zou fout kunnen zijn" said them twice) and its Dutch says "u"
where the app says "je". A finding names the fix ("'gebelt' moet 'gebeld' zijn."), with our
explanation for the rules content/messages/<lang>/spelling.yaml lists; LanguageTool's own
text is shown only for a grammar match we have nothing for, and only when it is safe.
"""

from __future__ import annotations

import re
import string

from scoring.config import Messages, messages
from scoring.content_names import content_names, is_dutch_proper_name, is_name
from scoring.evaluation import Evaluation
from scoring.languagetool import GrammarMatch, off_text
from scoring.languagetool_rules import RULE_PREFIX
from scoring.model import Finding, Severity
from scoring.split_compounds import CANDIDATE_RULES, is_known_compound, is_split_compound, likely_meant
from scoring.registry import Outcome, register

_SIGNATURE = re.compile(r"\^\w+")
# LanguageTool's Dutch addresses the reader as "u"/"uw"; the app says "je".
_FORMAL_ADDRESS = re.compile(r"\b[Uu]w?\b")
_DT_ENDING = re.compile(r"(dt|d|t)$")
_MOST_OPTIONS = 3
# A closing formula; what follows it within the last characters is the sender's own name.
_CLOSING = re.compile(r"(?i)\b(?:(?:met )?vriendelijke groet(?:en)?|groet(?:en|jes)?|mvg|(?:kind|best|warm) regards"
                      r"|regards|best wishes|many thanks|cheers)\b[,.!]?\s*")
_SIGN_OFF_MAX_CHARS = 60
# A webcare agent's initials or first name after a caret at the very end ("... ^Marit", "^JdV").
_CARET_SIGN_OFF = re.compile(r"\^[\w.-]+(?:[ -][\w.-]+)?\s*$")
# Our text for a word the dictionary does not know (content/messages/<lang>/spelling.yaml).
_DICTIONARY_MISS = "spelling.unknown_word"


@register("spelling", "v2")
def score(doc, ev: Evaluation) -> Outcome:
    check = ev.grammar
    texts = messages(ev.context.trainee_language)
    if check is None or not check.checked:
        if check is None or check.reason is None:
            return Outcome(checked=False, note=texts.rules["spelling.not_checked"].message)
        reason = off_text(check.reason, ev.context.trainee_language)
        return Outcome(checked=False, note=texts.rules["spelling.not_checked_because"].message.format(reason=reason))

    rules = ev.config.spelling
    words = sum(1 for token in doc if token.is_alpha)
    per_error = rules.points_per_error_per_100_words * 100 / max(words, rules.min_words)
    protected = _protected_terms(ev)
    signed_from = _sign_off_end(ev.reply)
    findings = _checks_off(ev, texts)
    for match in _confirmed(check.matches, ev.reply, rules.split_compound_min_zipf, rules.hyphen_part_min_zipf):
        if match.rule in rules.ignore_rules:
            continue
        flagged = ev.reply[match.offset: match.offset + match.length]
        if (match.is_spelling or match.category == "CASING") and (
                _is_protected(flagged, protected) or match.offset >= signed_from):
            continue  # a name, brand or sign-off ('Gemeente Waterland') as its owner writes it
        if match.is_spelling and any(ch.isdigit() for ch in flagged):
            continue  # a flight, order or postcode ('SK2210'): no dictionary knows it
        grammar = not match.is_spelling or match.rule.startswith(RULE_PREFIX) or _dt_misspelling(match, flagged, ev)
        kind = "typo" if not grammar else "punctuation" if rules.is_punctuation(match.rule, match.category) else "grammar"
        points = per_error * {"typo": 1.0, "punctuation": rules.punctuation_weight, "grammar": rules.grammar_weight}[kind]
        findings.append(Finding(
            dimension="spelling", severity=Severity.minor, rule=f"spelling.{kind}",
            span=(match.offset, match.offset + match.length), points=round(points, 1),
            message=advice(match, flagged, texts, reply_language=ev.language,
                           trainee_language=ev.context.trainee_language),
            # The corrected words themselves, for whoever applies the fix (the JSON, an editor);
            # the scorecard leaves it out where the message already quotes it.
            suggestion=trim_shared_words(flagged, match.replacements[0])[1] if match.replacements else None,
        ))
    return Outcome(findings, note=findings[0].message if findings and findings[0].rule == _CHECKS_OFF else None)


_CHECKS_OFF = "spelling.webcare_checks_off"


def _confirmed(matches: tuple[GrammarMatch, ...], reply: str, min_zipf: float,
               hyphen_part_min_zipf: float) -> list[GrammarMatch]:
    """LanguageTool's matches, with a candidate compound (scoring/split_compounds.py) kept only
    when the joined word is attested and no other rule already flags the same words, and a
    word built from known words ('usb-kabel', 'retourpakket', 'Zomerlicht-app') no typo."""
    others = [(m.offset, m.offset + m.length) for m in matches if m.rule not in CANDIDATE_RULES]

    def keep(match: GrammarMatch) -> bool:
        if match.is_spelling:
            written = reply[match.offset:match.offset + match.length]
            meant = match.replacements[0] if match.replacements else ""
            return (not is_known_compound(written, min_zipf=hyphen_part_min_zipf)
                    or likely_meant(written, meant, min_zipf=hyphen_part_min_zipf))
        if match.rule not in CANDIDATE_RULES:
            return True
        start, end = match.offset, match.offset + match.length
        if any(o_start < end and start < o_end for o_start, o_end in others):
            return False
        return bool(match.replacements) and is_split_compound(
            reply[start:end], match.replacements[0], min_zipf=min_zipf)

    return [match for match in matches if keep(match)]


def _dt_misspelling(match: GrammarMatch, flagged: str, ev: Evaluation) -> bool:
    """A dictionary miss whose fix is only its d/t ending ('doorgestuurt' -> 'doorgestuurd',
    'ingevult' -> 'ingevuld') is the Dutch verb-form error, not a typo: it weighs as grammar,
    whichever of LanguageTool's rules found it."""
    if ev.language != "nl" or not match.replacements:
        return False
    wrong, right = trim_shared_words(flagged, match.replacements[0])
    return is_dt_swap(wrong, right)


def _checks_off(ev: Evaluation, texts: Messages) -> list[Finding]:
    """A Dutch reply checked by a server without our rules: say so, costing nothing, rather
    than let a clean-looking score imply d/t and compounds were checked."""
    url = ev.grammar.without_our_rules if ev.grammar else None
    if ev.language != "nl" or not url:
        return []
    return [Finding(dimension="spelling", severity=Severity.info, rule=_CHECKS_OFF, span=ev.whole_reply, points=0.0,
                    message=texts.rules[_CHECKS_OFF].message.format(url=url))]


def advice(match: GrammarMatch, flagged: str, texts: Messages, *, reply_language: str, trainee_language: str) -> str:
    """One sentence in the trainee's language that names the fix; the order of preference is
    described in content/messages/nl/spelling.yaml."""
    wrong, right = flagged.strip() or flagged, None
    options: list[str] = []
    if match.replacements:
        wrong, right = trim_shared_words(flagged, match.replacements[0])
        options = [r for r in dict.fromkeys(
            trimmed for candidate in match.replacements[:_MOST_OPTIONS]
            for shown, trimmed in [trim_shared_words(flagged, candidate)] if shown == wrong
        )]
    voice = texts.languagetool
    explain = voice.explain if voice else {}
    values = {"wrong": wrong, "right": right, "options": _join_options(options, voice.or_word if voice else "/")}

    dt_error = reply_language == "nl" and right is not None and is_dt_swap(wrong, right)
    own = explain.get(match.rule)
    # A dictionary miss that is a d/t error ('doorgestuurt') is told as one: that is the fix.
    candidates = ["spelling.dt", own] if dt_error and own == _DICTIONARY_MISS else [own]
    if dt_error:
        candidates.append("spelling.dt")
    candidates.append(explain.get(match.category))
    if right is not None:
        candidates.append("spelling.replace")
    for key in candidates:
        if key is None:
            continue
        template = texts.rules[key].message
        if right is None and _uses(template, {"right", "options"}):
            continue  # this text needs a replacement LanguageTool did not give
        return template.format(**values)

    if match.is_spelling:
        return texts.rules["spelling.typo"].message.format(wrong=wrong)
    detail = match.message.strip()
    if not _safe_to_show(detail, reply_language=reply_language, trainee_language=trainee_language):
        return texts.rules["spelling.grammar_unexplained"].message.format(wrong=wrong)
    if wrong.lower() in detail.lower():
        return detail  # it names the words already
    return texts.rules["spelling.grammar"].message.format(wrong=wrong, detail=detail)


def trim_shared_words(flagged: str, replacement: str) -> tuple[str, str]:
    """The part that changes: LanguageTool flags 'gebelt door' -> 'gebeld door' to see the
    context, but the trainee needs 'gebelt' -> 'gebeld'. Never trims a side to nothing
    ('het het' -> 'het' stays whole)."""
    wrong_words, right_words = flagged.strip().split(" "), replacement.strip().split(" ")
    start = 0
    while (start < min(len(wrong_words), len(right_words)) - 1
           and wrong_words[start] == right_words[start]):
        start += 1
    end = 0
    while (end < min(len(wrong_words), len(right_words)) - start - 1
           and wrong_words[-1 - end] == right_words[-1 - end]):
        end += 1
    wrong = " ".join(wrong_words[start: len(wrong_words) - end])
    right = " ".join(right_words[start: len(right_words) - end])
    if not wrong or not right:
        return flagged.strip() or flagged, replacement.strip() or replacement
    return wrong, right


def is_dt_swap(wrong: str, right: str) -> bool:
    """Whether one word differs from the other only in a d, t or dt ending (gebelt/gebeld,
    vind/vindt, wordt/word): the Dutch d/t error, named as such."""
    if " " in wrong or " " in right:
        return False
    wrong_stem, wrong_end = _split_dt(wrong.lower())
    right_stem, right_end = _split_dt(right.lower())
    return bool(wrong_stem) and wrong_stem == right_stem and wrong_end != right_end


def _split_dt(word: str) -> tuple[str, str]:
    found = _DT_ENDING.search(word)
    return (word[: found.start()], found.group()) if found else (word, "")


def _join_options(options: list[str], or_word: str) -> str:
    quoted = [f"'{option}'" for option in options]
    if len(quoted) <= 1:
        return "".join(quoted)
    return f"{', '.join(quoted[:-1])} {or_word} {quoted[-1]}"


def _uses(template: str, names: set[str]) -> bool:
    return any(name in names for _, name, _, _ in string.Formatter().parse(template) if name)


def _safe_to_show(detail: str, *, reply_language: str, trainee_language: str) -> bool:
    """LanguageTool writes in the reply's language and, in Dutch, says "u": neither is shown."""
    if not detail or reply_language != trainee_language:
        return False
    return not (reply_language == "nl" and _FORMAL_ADDRESS.search(detail))


def _sign_off_end(reply: str) -> int:
    """Where the sender's name starts after a closing formula near the end ("Met vriendelijke
    groet, Gemeente Waterland") or after a caret ("^Marit"); past the reply's end when there
    is none."""
    caret = _CARET_SIGN_OFF.search(reply)
    if caret:
        return caret.start()
    closings = list(_CLOSING.finditer(reply))
    if closings and len(reply) - closings[-1].end() <= _SIGN_OFF_MAX_CHARS:
        return closings[-1].end()
    return len(reply) + 1


def _protected_terms(ev: Evaluation) -> frozenset[str]:
    extra = {t.lower() for t in ev.context.brand_terms}
    for name in (ev.context.customer_name, ev.context.agent_name):
        if name:
            extra.update(part.lower() for part in name.split())
    return content_names() | extra


def _is_protected(flagged: str, protected: frozenset[str]) -> bool:
    return (bool(_SIGNATURE.fullmatch(flagged.strip())) or is_name(flagged, protected)
            or is_dutch_proper_name(flagged))
