"""Local accounts: passwords hashed with argon2id (argon2-cffi's defaults, RFC 9106's second
recommended setting), checked under a limit of failed attempts per username and per address."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ecozone.audit.service import record
from ecozone.auth.models import User
from ecozone.authz.actor import Actor, system_actor
from ecozone.errors import FieldError, NotFound, PermissionDenied, ValidationFailed
from ecozone.workspace import rules
from ecozone.workspace.models import LocalAccount, SignInFailure

HASHER = PasswordHasher()
clock = time.time  # Unix seconds; tests replace it to stay inside one window
# Verified when the username is unknown, so that a wrong name takes as long as a wrong password.
_DUMMY_HASH = HASHER.hash("not a password of anyone's")


@dataclass(frozen=True)
class SignedIn:
    user_id: int
    username: str


class SignInRefused(Exception):
    """Wrong username or password (never saying which), or too many failures: ``retry_after``."""

    def __init__(self, refusal: rules.Refusal, retry_after: int | None = None):
        super().__init__(refusal.message_en)
        self.refusal, self.retry_after = refusal, retry_after


WRONG = rules.Refusal("SIGN_IN_FAILED", "用户名或密码不正确", "wrong username or password")
TOO_MANY = rules.Refusal("TOO_MANY_SIGN_IN_ATTEMPTS", "登录失败次数过多，请稍后再试",
                         "too many failed sign-ins; try again later")


def _user_row(username: str):
    users = User.__table__  # read before there is a viewer: Core, not the scoped entity
    return select(users.c.id, users.c.username, users.c.is_active).where(users.c.username == username)


async def set_password(session: AsyncSession, actor: Actor, *, username: str, password: str) -> None:
    """Set (or reset) ``username``'s password; the operator's CLI or the user themselves."""
    if not (actor.is_system or actor.username == username):
        raise PermissionDenied("only the operator or the account's owner may set its password",
                               "只有运维人员或账户本人可以设置密码", action="set_password", object_type="account")
    user = (await session.execute(_user_row(username))).first()
    if user is None:
        raise NotFound(f"no user {username}", f"没有用户 {username}")
    problem = rules.password_problem(password, username)
    if problem is not None:
        raise ValidationFailed(errors=[FieldError("password", problem.code, problem.message_en, problem.message_zh)])
    hashed = HASHER.hash(rules.normalise_password(password))
    now = dt.datetime.now(dt.UTC)
    account = await session.get(LocalAccount, user.id)
    if account is None:
        session.add(LocalAccount(user_id=user.id, password_hash=hashed, changed_at=now))
    else:
        account.password_hash, account.changed_at = hashed, now
    await record(session, actor if not actor.is_system else system_actor(), action="account.set_password",
                 object_type="User", object_id=user.id)


async def check_password(session: AsyncSession, *, username: str, password: str, address: str,
                         now_seconds: int | None = None) -> SignedIn | SignInRefused:
    """The user, or the refusal — returned, not raised, so that the failure's count and its
    audit row are committed with the transaction. Failures count per username and per address
    within the window; once either is at its limit nothing is checked until the window ends."""
    now_seconds = int(clock()) if now_seconds is None else now_seconds
    window = rules.window_start(now_seconds)
    user_key, address_key = f"user:{username.casefold()[:150]}", f"address:{address[:150]}"
    counts = dict((await session.execute(
        select(SignInFailure.key, SignInFailure.failures)
        .where(SignInFailure.key.in_([user_key, address_key]), SignInFailure.window_start == window))).all())
    if not rules.sign_in_allowed(counts.get(user_key, 0), counts.get(address_key, 0)):
        return SignInRefused(TOO_MANY, rules.retry_after(now_seconds))
    user = (await session.execute(_user_row(username))).first() if len(username) <= 64 else None
    account = await session.get(LocalAccount, user.id) if user is not None else None
    stored = account.password_hash if account is not None else _DUMMY_HASH
    try:
        HASHER.verify(stored, rules.normalise_password(password[:rules.MAX_PASSWORD_LENGTH * 4]))
        matched = account is not None and user.is_active
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        matched = False
    if not matched:
        for key in (user_key, address_key):
            await _count_failure(session, key, window, counts.get(key))
        await record(session, Actor(), action="account.sign_in", object_type="User",
                     object_id=user.id if user is not None else None, outcome="denied")
        return SignInRefused(WRONG)
    if HASHER.check_needs_rehash(stored):  # parameters raised since: upgrade on the way in
        account.password_hash = HASHER.hash(rules.normalise_password(password))
    await record(session, Actor(user_id=user.id, username=user.username), action="account.sign_in",
                 object_type="User", object_id=user.id)
    return SignedIn(user.id, user.username)


async def _count_failure(session: AsyncSession, key: str, window: int, known: int | None) -> None:
    if known is None:
        session.add(SignInFailure(key=key, window_start=window, failures=1))
        await session.flush()
    else:
        await session.execute(update(SignInFailure)
                              .where(SignInFailure.key == key, SignInFailure.window_start == window)
                              .values(failures=SignInFailure.failures + 1))
