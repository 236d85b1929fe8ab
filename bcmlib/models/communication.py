"""Crisis communication: who is told, who speaks and approves, what is said at each stage, and how often.

Seed 003 puts it as "第一时间口径一致真实披露信息": one voice, early and true. The templates are the
plan's own wording; `bcmlib.incident.messages` fills in an incident's facts.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from bcmlib.models.base import AudienceId, CrisisLevelId, Id, PlanModel, RoleId
from bcmlib.models.values import Duration

__all__ = ["Audience", "Communication", "MessageStage", "MessageTemplate", "UpdateCadence"]

MessageStage = Literal["first-notice", "update", "resolution"]
"""When a message goes out: the first notice, an update while the incident runs, or the all-clear."""


class Audience(PlanModel):
    """A group the company speaks to in a crisis, and who speaks to it."""

    id: Id
    """How the plan refers to it, and what `--audience` takes with its name."""
    name: str
    """Its name, such as 客户."""
    kind: Literal["staff", "customers", "suppliers", "media", "authorities", "investors", "other"]
    """What kind of group it is."""
    owner: RoleId | None = None
    """The role that speaks to it (市场营销部负责人 to customers); unset, the spokesperson does."""
    channels: list[str] = []
    """How it is reached: 邮件, 微信群, 官网公告, 新闻稿."""


class MessageTemplate(PlanModel):
    """The wording of a message to some audiences at one stage, with the incident's facts left as fields.

    A field is a name in braces, such as `{company}` or `{next_update}`; the validator lists the names.
    """

    audiences: list[AudienceId] = Field(min_length=1)
    """Who it is for."""
    stage: MessageStage
    """When it is sent."""
    subject: str | None = None
    """A subject line, for mail or a notice's heading."""
    body: str
    """The message."""


class UpdateCadence(PlanModel):
    """How soon the first message goes out at a crisis level, and how often updates follow."""

    level: CrisisLevelId
    """The crisis level."""
    first_within: Duration
    """How soon after the incident is opened the first notice must be out."""
    every: Duration
    """How often an update follows while the incident runs."""


class Communication(PlanModel):
    """The plan's crisis communication."""

    spokesperson: RoleId | None = None
    """The one role that speaks for the company to the outside."""
    approver: RoleId | None = None
    """The role that approves a statement before it goes out."""
    audiences: list[Audience] = []
    """The groups spoken to."""
    templates: list[MessageTemplate] = []
    """The wording of messages, per audience and stage."""
    cadence: list[UpdateCadence] = []
    """The first-notice deadline and update interval per crisis level."""
