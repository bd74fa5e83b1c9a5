"""zzgeo.accounts: roles, Argon2 password hashes, the accounts database and ``zzgeo users``."""

from __future__ import annotations

import io
import multiprocessing
import os
import sqlite3
import stat
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from zzgeo import accounts
from zzgeo.accounts import (
    ROLES,
    AccountError,
    LocalAuthenticator,
    PermissionDeniedError,
    TooManyAttemptsError,
    UserStore,
    has_role,
    load_or_create_secret,
)
from zzgeo.audit import history
from zzgeo.cli import main
from zzgeo.errors import UnknownKeyError, ZzgeoError
from zzgeo.workspace import Workspace

PASSWORD = "correct horse battery"
#: Argon2id with test-sized parameters (the shipped ones take ~0.2 s and 64 MiB per hash)
FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture(autouse=True)
def _fast_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "_HASHER", FAST)


@pytest.fixture
def store(tmp_path: Path) -> UserStore:
    return UserStore(tmp_path / "users.sqlite")


def test_roles_include_the_weaker_ones() -> None:
    assert ROLES == ("viewer", "editor", "admin")
    assert has_role("admin", "editor")
    assert has_role("admin", "viewer")
    assert has_role("editor", "viewer")
    assert not has_role("viewer", "editor")
    assert not has_role("editor", "admin")
    assert not has_role(None, "viewer")
    assert not has_role("root", "viewer")
    with pytest.raises(UnknownKeyError, match="valid: viewer, editor, admin"):
        has_role("editor", "owner")


def test_passwords_are_stored_as_argon2id_hashes_only(store: UserStore) -> None:
    user = store.add("li.wei", PASSWORD, "editor", who="cli:test")
    assert (user.name, user.role) == ("li.wei", "editor")
    raw = store.path.read_bytes()
    assert PASSWORD.encode() not in raw
    row = store.get_row("li.wei")
    assert row is not None
    assert str(row["password_hash"]).startswith("$argon2id$")
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600  # nobody else may read the hashes
    assert PASSWORD not in repr(user)
    assert "password" not in str(store.log().to_dict())


def test_hashes_are_upgraded_at_the_next_sign_in(store: UserStore, monkeypatch: pytest.MonkeyPatch) -> None:
    store.add("li", PASSWORD)
    assert "m=1024,t=1,p=1" in str(store.get_row("li")["password_hash"])  # type: ignore[index]
    stronger = PasswordHasher()  # what zzgeo ships
    monkeypatch.setattr(accounts, "_HASHER", stronger)
    assert store.verify("li", PASSWORD) is not None  # the old hash still verifies...
    upgraded = str(store.get_row("li")["password_hash"])  # type: ignore[index]
    assert f"m={stronger.memory_cost},t={stronger.time_cost},p={stronger.parallelism}" in upgraded  # ...and is redone
    assert store.verify("li", PASSWORD) is not None


def test_verify_right_wrong_and_unknown(store: UserStore) -> None:
    store.add("wang", PASSWORD, "viewer")
    assert store.verify("wang", PASSWORD) is not None
    assert store.verify("wang", PASSWORD + "x") is None
    assert store.verify("WANG", PASSWORD) is None  # names are exact
    assert store.verify("nobody", PASSWORD) is None
    assert store.verify("bad name!", PASSWORD) is None
    assert store.verify("wang", "x" * 5000) is None  # too long to be one: not hashed at all
    signed_in = store.get("wang")
    assert signed_in is not None
    assert signed_in.last_sign_in is not None
    assert LocalAuthenticator(store).authenticate("wang", PASSWORD) == store.get("wang")
    assert LocalAuthenticator(store).lookup("nobody") is None


def test_names_passwords_and_roles_are_checked(store: UserStore) -> None:
    with pytest.raises(AccountError, match="at least 8 characters") as exc:
        store.add("li", "short", "viewer")
    assert exc.value.message.zh == "密码太短：至少 8 个字符"
    with pytest.raises(AccountError, match="is not accepted"):
        store.add("li wei", PASSWORD)
    with pytest.raises(AccountError):
        store.add("a|b", PASSWORD)  # "|" separates name and session key in a session
    with pytest.raises(UnknownKeyError, match="valid: viewer, editor, admin"):
        store.add("li", PASSWORD, "root")
    assert store.add("张伟", PASSWORD).name == "张伟"  # Chinese names are fine
    store.add("li", PASSWORD)
    with pytest.raises(AccountError, match="exists already"):
        store.add("li", PASSWORD + "2", "admin")
    assert store.get("li").role == "viewer"  # type: ignore[union-attr]
    with pytest.raises(UnknownKeyError, match="unknown account 'zhao'; valid: li, 张伟"):
        store.set_role("zhao", "admin")


def test_password_change_ends_sessions_and_role_changes_apply(store: UserStore) -> None:
    first = store.add("li", PASSWORD, "viewer")
    store.set_role("li", "admin", who="cli:root")
    assert store.get("li").role == "admin"  # type: ignore[union-attr]
    assert store.get("li").session_key == first.session_key  # type: ignore[union-attr]
    store.set_password("li", "another good one", who="li")
    assert store.get("li").session_key != first.session_key  # type: ignore[union-attr]
    assert store.verify("li", PASSWORD) is None
    assert store.verify("li", "another good one") is not None
    store.remove("li", who="cli:root")
    assert store.get("li") is None
    assert store.users() == []
    log = store.log()
    assert list(log["action"]) == ["account_add", "account_role", "account_password", "account_remove"]
    assert list(log["who"]) == ["unknown", "cli:root", "li", "cli:root"]
    assert list(log["detail"]) == ["viewer", "viewer -> admin", "", "admin"]


def test_counts_by_role(store: UserStore) -> None:
    assert store.count() == 0
    assert store.count("editor") == 0
    assert not store.path.exists()  # reading never makes the database
    store.add("a", PASSWORD, "viewer")
    store.add("b", PASSWORD, "editor")
    store.add("c", PASSWORD, "admin")
    assert (store.count(), store.count("viewer"), store.count("editor"), store.count("admin")) == (3, 3, 2, 1)


def test_sign_ins_pause_after_five_wrong_passwords(store: UserStore) -> None:
    store.add("li", PASSWORD)
    for _ in range(accounts.MAX_FAILURES):
        assert store.verify("li", "wrong password") is None
    with pytest.raises(TooManyAttemptsError) as exc:
        store.verify("li", PASSWORD)  # even the right password waits
    assert "wait a minute" in str(exc.value)
    assert exc.value.message.zh
    other = store.add("wang", PASSWORD)  # other accounts are not affected
    assert store.verify(other.name, PASSWORD) is not None
    store.set_password("li", PASSWORD)  # an admin resetting the password lifts the pause
    assert store.verify("li", PASSWORD) is not None


def test_a_success_resets_the_failure_count(store: UserStore) -> None:
    store.add("li", PASSWORD)
    for _ in range(accounts.MAX_FAILURES - 1):
        store.verify("li", "wrong password")
    assert store.verify("li", PASSWORD) is not None
    for _ in range(accounts.MAX_FAILURES - 1):
        store.verify("li", "wrong password")
    assert store.verify("li", PASSWORD) is not None


def test_permission_denied_speaks_both_languages() -> None:
    anonymous = PermissionDeniedError("editor", None)
    assert str(anonymous).startswith("sign in as editor to import")
    assert anonymous.text("zh").startswith("请以编辑者身份登录")
    viewer = PermissionDeniedError("admin", "viewer", "wang")
    assert str(viewer) == "wang is a viewer; to manage accounts and revert changes needs the admin role"
    assert viewer.text("zh") == "wang是查看者；管理账户与撤销更改需要管理员权限"
    assert isinstance(viewer, ZzgeoError)
    assert isinstance(viewer, PermissionError)


def _add_users(path: str, prefix: str, n: int) -> None:
    store = UserStore(path)
    for i in range(n):
        store.add(f"{prefix}{i}", PASSWORD, "viewer")


def test_two_processes_adding_accounts_at_once(tmp_path: Path) -> None:
    path = str(tmp_path / "users.sqlite")
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_add_users, args=(path, p, 4)) for p in ("a", "b")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
    assert [p.exitcode for p in procs] == [0, 0]
    store = UserStore(path)
    assert sorted(u.name for u in store.users()) == [f"{p}{i}" for p in "ab" for i in range(4)]
    assert len(store.log()) == 8
    with sqlite3.connect(path) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_secret_key_is_made_once_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "secret_key"
    key = load_or_create_secret(path)
    assert len(key) == 64
    assert int(key, 16) >= 0
    assert load_or_create_secret(path) == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in path.parent.iterdir()) == ["secret_key"]  # no temporary file left


# ---------------------------------------------------------------------------------------------
# zzgeo users


def run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str, stdin: str = ""
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def users_env(fresh_settings: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    fresh_settings.setenv("ZZGEO_WORKSPACE", str(tmp_path / "ws" / "workspace.gpkg"))
    return tmp_path / "ws" / "users.sqlite"


def test_cli_users_add_list_role_passwd_remove(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, users_env: Path
) -> None:
    code, out, err = run(capsys, monkeypatch, "users", "add", "li", "--role", "editor", "--password-stdin",
                         stdin=PASSWORD + "\n")  # fmt: skip
    assert (code, err) == (0, "")
    assert out == f"added li (editor) to {users_env}\n"
    assert UserStore(users_env).verify("li", PASSWORD) is not None  # the newline is not part of it
    code, out, _ = run(capsys, monkeypatch, "users", "add", "wang", "--password-stdin", stdin=PASSWORD)
    assert code == 0
    assert "(viewer)" in out

    code, out, _ = run(capsys, monkeypatch, "users", "list")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"accounts in {users_env}: 2"
    assert lines[2].split()[:2] == ["li", "editor"]
    assert lines[3].split()[:2] == ["wang", "viewer"]

    assert run(capsys, monkeypatch, "users", "role", "wang", "--role", "admin")[:2] == (0, "wang is now admin\n")
    code, _, _ = run(capsys, monkeypatch, "users", "passwd", "li", "--password-stdin", stdin="new password 9\r\n")
    assert code == 0
    assert UserStore(users_env).verify("li", "new password 9") is not None
    assert run(capsys, monkeypatch, "users", "remove", "wang")[0] == 0
    assert [u.name for u in UserStore(users_env).users()] == ["li"]

    code, out, err = run(capsys, monkeypatch, "workspace", "log", "--format", "csv")
    assert code == 0, err
    assert PASSWORD not in out
    assert "new password" not in out
    actions = [line.split(",")[3] for line in out.splitlines()[1:]]
    assert actions == ["account_add", "account_add", "account_role", "account_password", "account_remove"]
    who = [line.split(",")[2] for line in out.splitlines()[1:]]
    assert all(w.startswith("cli:") for w in who)


def test_cli_users_refuses_bad_input(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, users_env: Path
) -> None:
    code, _, err = run(capsys, monkeypatch, "users", "add", "li")  # stdin is no terminal here
    assert code == 2
    assert "--password-stdin" in err
    code, _, err = run(capsys, monkeypatch, "users", "add", "li", "--password-stdin", stdin="short\n")
    assert code == 1
    assert err == "zzgeo: error: the password is too short: at least 8 characters\n"
    code, _, err = run(capsys, monkeypatch, "users", "add", "--password-stdin", stdin=PASSWORD)
    assert code == 2
    assert "needs an account name" in err
    code, _, err = run(capsys, monkeypatch, "users", "role", "nobody", "--role", "admin")
    assert code == 1
    assert "unknown account 'nobody'" in err
    code, _, err = run(capsys, monkeypatch, "users", "role", "nobody")
    assert code == 2
    assert "needs --role" in err
    with pytest.raises(SystemExit) as exit_:  # there is no way to give a password on the command line
        run(capsys, monkeypatch, "users", "add", "li", "--password", "x")
    assert exit_.value.code == 2
    assert not users_env.exists() or UserStore(users_env).users() == []


def test_cli_asks_twice_without_echo(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, users_env: Path
) -> None:
    answers = iter([PASSWORD, PASSWORD, PASSWORD, "typo " + PASSWORD])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stdin", Tty(""))
    assert main(["users", "add", "li"]) == 0
    assert main(["users", "passwd", "li"]) == 1  # the two answers differ: nothing changes
    assert "differ" in capsys.readouterr().err
    assert UserStore(users_env).verify("li", PASSWORD) is not None


def test_history_merges_data_and_account_changes(tmp_path: Path) -> None:
    from zzgeo.imports import import_file

    store = UserStore(tmp_path / "users.sqlite")
    ws = Workspace(tmp_path / "ws.gpkg")
    store.add("li", PASSWORD, "editor", who="cli:root")
    ws.add(import_file(Path(__file__).parent / "data" / "import" / "gbk_zh_headers.csv", "5g_sites"), who="li")
    table = history(ws, store)
    assert list(table["action"]) == ["account_add", "import"]
    assert list(table["who"]) == ["cli:root", "li"]
    assert table["seq"].isna().tolist() == [True, False]
    assert table["entry_id"].iloc[0] == "li"
    assert os.environ.get("ZZGEO_USERS") is None
