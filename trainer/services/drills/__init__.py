"""Running a group drill: the manager's controls, the shared inbox, claiming and replying.

All drill state lives in the database and the clock is the server's, so any number of app
processes on one database serve one drill consistently. The package, by concern:

- `clock`: the drill's own clock (frozen while paused) and the SLA states;
- `core`: errors, loading the participant, run and conversation, the rights checks (the
  `drills.*` actions of trainer.services.rights) and the event log;
- `control`: the manager's controls (create, start, pause, resume, stop, inject a customer, an
  announcement task or a noise post, speak);
- `timeline`: playing the story (arrivals, nudges, idle release) under a lock on the run;
- `work`: the trainees' claims, hand-overs, labels, replies and dismissals;
- `noise`: the noise posts (praise, spam, the press, ...) and how well they were handled;
- `announcements`: an injected "announcement needed": the post and its update, scored;
- `views`: what the screens read; `dashboard` (live figures) and `debrief` (after the drill).

This module re-exports the public API of control, timeline, work and views; the dashboard and
the debrief are used as modules (`drills.dashboard.dashboard(...)`).
"""

from trainer.db.drill_models import DrillStatus
from trainer.services.drills.clock import DANGER_SHARE, drill_seconds, sla_state, waiting_seconds
from trainer.services.drills.control import (
    LIVE_INJECT_FROM,
    create_drill,
    inject,
    inject_announcement,
    inject_noise,
    pause_drill,
    resume_drill,
    speak_as_customer,
    start_drill,
    stop_drill,
)
from trainer.services.drills.core import ACTIVE, DrillError, NotYours, template_of
from trainer.services.drills.noise import kinds_for as noise_kinds
from trainer.services.errors import NotFound
from trainer.services.drills.timeline import TICK_EVERY_SECONDS, advance
from trainer.services.drills.views import (
    ConversationView,
    InboxItem,
    RunSummary,
    conversation_view,
    drills_for,
    inbox,
    may_run_drill,
    run_summary,
    summary,
    teammates,
    teams_to_run,
)
from trainer.services.drills.work import (
    ReplyResult,
    claim,
    claim_next,
    dismiss,
    hand_over,
    release,
    send_reply,
    set_label,
)

__all__ = [
    "ACTIVE", "DANGER_SHARE", "LIVE_INJECT_FROM", "TICK_EVERY_SECONDS", "ConversationView", "DrillError",
    "DrillStatus", "InboxItem", "NotFound", "NotYours", "ReplyResult", "RunSummary", "advance", "claim", "claim_next",
    "conversation_view", "create_drill", "dismiss", "drill_seconds", "drills_for", "hand_over", "inbox", "inject", "inject_announcement",
    "inject_noise",
    "may_run_drill", "noise_kinds", "pause_drill", "release", "resume_drill", "run_summary", "send_reply", "set_label",
    "sla_state", "speak_as_customer", "start_drill", "stop_drill", "summary", "teammates", "teams_to_run",
    "template_of", "waiting_seconds",
]
