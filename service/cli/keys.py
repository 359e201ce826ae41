"""`tm keys`: create, list and revoke API keys for the HTTP service."""

from dataclasses import asdict
from typing import TYPE_CHECKING, Annotated

import typer

from service.cli.common import emit, lazy, memory, out

if TYPE_CHECKING:
    from service import keys
else:
    keys = lazy("service.keys")

app = typer.Typer(
    help="API keys for the HTTP service (roles: translator, maintainer, admin).",
    no_args_is_help=True,
)


@app.command("create")
def create(
    role: Annotated[str, typer.Option(help="translator, maintainer or admin.")],
    name: Annotated[str, typer.Option(help="Who or what the key is for.")] = "",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Create a key; the secret is printed once and stored only as a hash.

    \b
    Example: tm keys create --role translator --name "Anne (CAT tool)"
    """
    with memory() as tm:
        secret, record = keys.create(tm.db, role=role, name=name)
    if as_json:
        emit({"key": secret, **asdict(record)})
    else:
        out.print(f"key {record.id} ({record.role}): {secret}", markup=False, highlight=False)
        out.print("Keep it: it is not shown again.")


@app.command("list")
def listing(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Keys with their role and state (never the secrets).

    \b
    Example: tm keys list --json
    """
    with memory() as tm:
        records = keys.listing(tm.db)
    if as_json:
        emit([asdict(record) for record in records])
        return
    for record in records:
        state = f"revoked {record.revoked}" if record.revoked else "active"
        out.print(f"{record.id}\t{record.role}\t{record.name}\t{state}", markup=False)


@app.command("revoke")
def revoke(
    key_id: Annotated[int, typer.Argument(help="The key's number (see tm keys list).")],
) -> None:
    """Revoke a key at once.

    \b
    Example: tm keys revoke 3
    """
    with memory() as tm:
        keys.revoke(tm.db, key_id)
    out.print(f"key {key_id} revoked")
