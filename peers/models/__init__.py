from peers.models.audit import AccessLog, EncryptionCanary, Heartbeat
from peers.models.grants import GrantStatus, RoleGrant
from peers.models.notifications import Notification
from peers.models.programs import (
    Institution,
    LearningCommunity,
    Membership,
    ProgramKind,
    Role,
    TrainingKind,
    TrainingProgram,
    TrainingRecord,
)
from peers.models.published import PublishedTable
from peers.models.users import User

__all__ = [
    "AccessLog",
    "EncryptionCanary",
    "GrantStatus",
    "Heartbeat",
    "Institution",
    "LearningCommunity",
    "Membership",
    "Notification",
    "ProgramKind",
    "PublishedTable",
    "Role",
    "RoleGrant",
    "TrainingKind",
    "TrainingProgram",
    "TrainingRecord",
    "User",
]
