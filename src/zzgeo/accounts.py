"""Accounts and roles: who may see, change and administer the data.

Roles, each including the ones before it (:data:`ROLES`):

- ``viewer``: see the maps and indicators, export;
- ``editor``: also import, replace and remove imports, accept and remove what-if proposals;
- ``admin``: also manage accounts and revert changes.

Accounts live in a small SQLite database (:class:`UserStore`, ``ZZGEO_USERS``, default
``users.sqlite`` beside the workspace). SQLite, not the workspace GeoPackage: the workspace
is rewritten whole on every change (see :mod:`zzgeo.workspace`), so a password change would
rewrite every imported layer and make every server worker reload its data; SQLite's own
locking makes each account change one transaction that any number of processes (gunicorn
workers, the CLI) can run at once. Every account change also appends a row to the
database's ``account_log`` table in the same transaction (see :func:`zzgeo.audit.history`).

Passwords are hashed with Argon2id (``argon2-cffi``: RFC 9106's low-memory profile, 64 MiB,
3 passes), the first choice of OWASP's password storage advice; the encoded hash carries its
own salt and parameters, so stronger parameters later rehash on the next sign-in.
``hashlib.scrypt`` would need a hand-made encoding of salt and parameters and a hand-made
comparison. Passwords are never logged, stored or shown in clear.

Signing in goes through an :class:`Authenticator` (:class:`LocalAuthenticator` checks this
database); a directory (LDAP) or single sign-on (OIDC) can later provide its own and map its
groups to the same roles.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import re
import secrets
import sqlite3
import tempfile
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from zzgeo.errors import UnknownKeyError, ZzgeoError
from zzgeo.messages import Text
from zzgeo.settings import get_settings

__all__ = [
    "MAX_PASSWORD",
    "MIN_PASSWORD",
    "ROLES",
    "AccountError",
    "Authenticator",
    "LocalAuthenticator",
    "PermissionDeniedError",
    "TooManyAttemptsError",
    "User",
    "UserStore",
    "has_role",
    "load_or_create_secret",
]

logger = logging.getLogger(__name__)

#: roles, weakest first; each includes the rights of the ones before it
ROLES = ("viewer", "editor", "admin")
#: what each role may do (for messages and documentation)
ROLE_RIGHTS = {
    "viewer": Text(en="view and export", zh="查看与导出"),
    "editor": Text(
        en="import, replace and remove data, accept and remove proposals", zh="导入、替换、删除数据，采纳与删除方案"
    ),
    "admin": Text(en="manage accounts and revert changes", zh="管理账户与撤销更改"),
}
#: shortest and longest password accepted (characters); the longest bounds the hashing work
MIN_PASSWORD = 8
MAX_PASSWORD = 1024
#: consecutive wrong passwords after which an account's sign-ins pause, and for how long
MAX_FAILURES = 5
LOCKOUT_SECONDS = 60

_NAME = re.compile(r"^[\w.@-]{1,64}$")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    session_key TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_sign_in TEXT,
    failures INTEGER NOT NULL DEFAULT 0,
    locked_until REAL NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS account_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    who TEXT NOT NULL,
    action TEXT NOT NULL,
    name TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
"""
_HASHER = PasswordHasher()  # argon2id, RFC 9106 low-memory profile
#: a hash of a random password: unknown names take as long to refuse as wrong passwords
_DUMMY_HASH = _HASHER.hash(secrets.token_urlsafe(16))


class AccountError(ZzgeoError, ValueError):
    """An account cannot be made or changed as asked (bad name, password or role)."""


class PermissionDeniedError(ZzgeoError, PermissionError):
    """The signed-in user (or the anonymous visitor) lacks the role a change needs."""

    def __init__(self, needed: str, role: str | None, name: str | None = None) -> None:
        self.needed = needed
        self.role = role
        self.name = name
        what = ROLE_RIGHTS.get(needed, Text(en=needed, zh=needed))
        if role is None:
            message = Text(
                en=f"sign in as {needed} to {what.en}",
                zh=f"请以{_role_zh(needed)}身份登录后再{what.zh}",
            )
        else:
            message = Text(
                en=f"{name or 'this account'} is a {role}; to {what.en} needs the {needed} role",
                zh=f"{name or '当前账户'}是{_role_zh(role)}；{what.zh}需要{_role_zh(needed)}权限",
            )
        super().__init__(message)


class TooManyAttemptsError(ZzgeoError):
    """Sign-ins of an account pause after :data:`MAX_FAILURES` wrong passwords in a row."""


def _role_zh(role: str) -> str:
    return {"viewer": "查看者", "editor": "编辑者", "admin": "管理员"}.get(role, role)


def has_role(role: str | None, needed: str) -> bool:
    """Whether ``role`` includes the rights of ``needed`` (None: no role at all)."""
    if needed not in ROLES:
        raise UnknownKeyError("role", needed, ROLES)
    return role in ROLES and ROLES.index(role) >= ROLES.index(needed)


@dataclass(frozen=True)
class User:
    """An account as the app sees it (never its password hash)."""

    name: str
    role: str
    #: changes when the password changes or the account is removed: sessions made before end
    session_key: str = ""
    created_at: str = ""
    last_sign_in: str | None = None

    def can(self, needed: str) -> bool:
        """Whether this user has the role ``needed`` (or a stronger one)."""
        return has_role(self.role, needed)


class Authenticator(Protocol):
    """Checks credentials and looks accounts up; the app signs people in through one.

    :class:`LocalAuthenticator` uses the accounts database. A directory or single sign-on
    provider would implement the same two methods (``authenticate`` for a name and password
    form; ``lookup`` for every request of a signed-in session, so a removed or changed
    account takes effect at once) and map its groups to :data:`ROLES`.
    """

    def authenticate(self, name: str, password: str) -> User | None:
        """The user when ``password`` is right for ``name``, else None."""
        ...  # pragma: no cover

    def lookup(self, name: str) -> User | None:
        """The current account ``name``, or None when it does not exist (any more)."""
        ...  # pragma: no cover


def _now(timespec: str = "seconds") -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec=timespec)


def _check_name(name: str) -> str:
    name = unicodedata.normalize("NFC", name.strip())
    if not _NAME.fullmatch(name):
        raise AccountError.of(
            Text(
                en=f"account name {name!r} is not accepted: use 1-64 letters, digits, '.', '_', '@' or '-'",
                zh=f"账户名 {name!r} 不可用：请使用 1–64 个字母、数字或 . _ @ -",
            )
        )
    return name


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise UnknownKeyError("role", role, ROLES)
    return role


def _check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AccountError.of(
            Text(
                en=f"the password is too short: at least {MIN_PASSWORD} characters",
                zh=f"密码太短：至少 {MIN_PASSWORD} 个字符",
            )
        )
    if len(password) > MAX_PASSWORD:
        raise AccountError.of(
            Text(
                en=f"the password is too long: at most {MAX_PASSWORD} characters",
                zh=f"密码太长：最多 {MAX_PASSWORD} 个字符",
            )
        )
    return password


class UserStore:
    """Accounts in the SQLite database at ``path`` (default: ``ZZGEO_USERS``).

    Every method opens its own short connection: safe from several threads and processes.
    ``who`` (the person or process making a change) goes to the account log.
    """

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path else get_settings().accounts_path

    # -- connection ---------------------------------------------------------------------

    @contextlib.contextmanager
    def _connect(self, write: bool = False) -> Iterator[sqlite3.Connection]:
        if not write and not self.path.exists():
            raise FileNotFoundError(self.path)
        if write:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if not self.path.exists():  # the hashes are nobody else's business: mode 0600
                with contextlib.suppress(FileExistsError):
                    os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        con = sqlite3.connect(self.path, timeout=15, isolation_level=None)
        try:
            con.row_factory = sqlite3.Row
            if write:
                con.execute("BEGIN IMMEDIATE")
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        con.execute(statement)
            try:
                yield con
            except BaseException:
                if write:
                    con.execute("ROLLBACK")
                raise
            if write:
                con.execute("COMMIT")
        finally:
            con.close()

    def _read(self, sql: str, args: Sequence[object] = ()) -> list[sqlite3.Row]:
        try:
            with self._connect() as con:
                return list(con.execute(sql, tuple(args)))
        except FileNotFoundError:
            return []
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):
                return []
            raise

    @staticmethod
    def _log(con: sqlite3.Connection, who: str, action: str, name: str, detail: str = "") -> None:
        con.execute(
            "INSERT INTO account_log (at, who, action, name, detail) VALUES (?, ?, ?, ?, ?)",
            (_now("milliseconds"), who, action, name, detail),
        )

    @staticmethod
    def _row(con: sqlite3.Connection, name: str) -> sqlite3.Row:
        row = con.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone()
        if row is None:
            known = [r[0] for r in con.execute("SELECT name FROM users ORDER BY name")]
            raise UnknownKeyError("account", name, known)
        return row

    # -- reading ------------------------------------------------------------------------

    def get(self, name: str) -> User | None:
        """The account ``name``, or None."""
        rows = self._read("SELECT * FROM users WHERE name = ?", (name,))
        return _user(rows[0]) if rows else None

    def users(self) -> list[User]:
        """Every account, by name."""
        return [_user(r) for r in self._read("SELECT * FROM users ORDER BY name")]

    def count(self, role: str | None = None) -> int:
        """How many accounts have ``role`` or a stronger one (None: all accounts)."""
        rows = self._read("SELECT role FROM users")
        return sum(1 for r in rows if role is None or has_role(r["role"], role))

    def log(self) -> pd.DataFrame:
        """The account log, oldest first: seq, at, who, action, name, detail."""
        rows = self._read("SELECT seq, at, who, action, name, detail FROM account_log ORDER BY seq")
        return pd.DataFrame([dict(r) for r in rows], columns=["seq", "at", "who", "action", "name", "detail"])

    # -- changing -----------------------------------------------------------------------

    def add(self, name: str, password: str, role: str = "viewer", *, who: str = "unknown") -> User:
        """Make an account; raise :class:`AccountError` when ``name`` exists or is not accepted."""
        name = _check_name(name)
        _check_role(role)
        hashed = _HASHER.hash(_check_password(password))
        with self._connect(write=True) as con:
            if con.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone():
                raise AccountError.of(Text(en=f"account {name!r} exists already", zh=f"账户 {name!r} 已存在"))
            con.execute(
                "INSERT INTO users (name, role, password_hash, session_key, created_at) VALUES (?, ?, ?, ?, ?)",
                (name, role, hashed, secrets.token_urlsafe(12), _now()),
            )
            self._log(con, who, "account_add", name, role)
            row = self._row(con, name)
        logger.info("account %s added (%s) by %s", name, role, who)
        return _user(row)

    def remove(self, name: str, *, who: str = "unknown") -> None:
        """Remove account ``name`` (its sessions end at their next request)."""
        with self._connect(write=True) as con:
            row = self._row(con, name)
            con.execute("DELETE FROM users WHERE name = ?", (name,))
            self._log(con, who, "account_remove", name, str(row["role"]))
        logger.info("account %s removed by %s", name, who)

    def set_password(self, name: str, password: str, *, who: str = "unknown") -> None:
        """Change the password of ``name``; its other sessions end."""
        hashed = _HASHER.hash(_check_password(password))
        with self._connect(write=True) as con:
            self._row(con, name)
            con.execute(
                "UPDATE users SET password_hash = ?, session_key = ?, failures = 0, locked_until = 0 WHERE name = ?",
                (hashed, secrets.token_urlsafe(12), name),
            )
            self._log(con, who, "account_password", name)
        logger.info("password of %s changed by %s", name, who)

    def set_role(self, name: str, role: str, *, who: str = "unknown") -> User:
        """Give ``name`` the role ``role`` (it applies from the next request)."""
        _check_role(role)
        with self._connect(write=True) as con:
            old = self._row(con, name)
            con.execute("UPDATE users SET role = ? WHERE name = ?", (role, name))
            self._log(con, who, "account_role", name, f"{old['role']} -> {role}")
            row = self._row(con, name)
        logger.info("role of %s: %s -> %s (by %s)", name, old["role"], role, who)
        return _user(row)

    def verify(self, name: str, password: str) -> User | None:
        """The account when ``password`` is right for ``name``, else None.

        Unknown names cost as much time as wrong passwords. After :data:`MAX_FAILURES`
        wrong passwords in a row, the account's sign-ins pause for :data:`LOCKOUT_SECONDS`
        (:class:`TooManyAttemptsError`), whatever the password.
        """
        now = dt.datetime.now(dt.UTC).timestamp()
        try:
            name = _check_name(name)
        except AccountError:
            name = ""
        row = self.get_row(name) if name and len(password) <= MAX_PASSWORD else None
        if row is None:
            with contextlib.suppress(VerificationError):
                _HASHER.verify(_DUMMY_HASH, password[:MAX_PASSWORD])
            return None
        if float(row["locked_until"]) > now:
            raise TooManyAttemptsError.of(
                Text(
                    en="too many wrong passwords for this account: wait a minute and try again",
                    zh="该账户密码错误次数过多：请稍等一分钟再试",
                )
            )
        try:
            _HASHER.verify(str(row["password_hash"]), password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            with self._connect(write=True) as con:
                failures = int(row["failures"]) + 1
                until = now + LOCKOUT_SECONDS if failures >= MAX_FAILURES else 0.0
                con.execute(
                    "UPDATE users SET failures = ?, locked_until = ? WHERE name = ?",
                    (0 if until else failures, until, name),
                )
            return None
        rehash = _HASHER.check_needs_rehash(str(row["password_hash"]))
        with self._connect(write=True) as con:
            con.execute(
                "UPDATE users SET failures = 0, locked_until = 0, last_sign_in = ? WHERE name = ?", (_now(), name)
            )
            if rehash:
                con.execute("UPDATE users SET password_hash = ? WHERE name = ?", (_HASHER.hash(password), name))
        return self.get(name)

    def get_row(self, name: str) -> sqlite3.Row | None:
        """The database row of ``name`` (with its hash: for :meth:`verify` only)."""
        rows = self._read("SELECT * FROM users WHERE name = ?", (name,))
        return rows[0] if rows else None


def _user(row: sqlite3.Row) -> User:
    return User(
        name=str(row["name"]),
        role=str(row["role"]),
        session_key=str(row["session_key"]),
        created_at=str(row["created_at"]),
        last_sign_in=row["last_sign_in"],
    )


class LocalAuthenticator:
    """Signs people in against the accounts database (:class:`UserStore`)."""

    def __init__(self, store: UserStore | None = None) -> None:
        self.store = store or UserStore()

    def authenticate(self, name: str, password: str) -> User | None:
        """See :meth:`UserStore.verify`."""
        return self.store.verify(name, password)

    def lookup(self, name: str) -> User | None:
        """See :meth:`UserStore.get`."""
        return self.store.get(name)


def load_or_create_secret(path: str | Path) -> str:
    """The random key in ``path`` (hex), made once (mode 0600) when missing.

    Several processes may call this at once: the first one's key wins (it is linked into
    place only if no key exists), the others read it.
    """
    path = Path(path)
    with contextlib.suppress(FileNotFoundError):
        text = path.read_text(encoding="ascii").strip()
        if len(text) >= 32:
            return text
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".secret.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(secrets.token_hex(32))
            fh.flush()
            os.fsync(fh.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)  # never replaces a key another process made first
    finally:
        os.unlink(tmp)
    return path.read_text(encoding="ascii").strip()
