"""The command group, its global options and the shared pieces of every command: the
store context and the translation of library errors into one-line messages (exit 1)."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from .. import __version__
from ..errors import MaalgraphError, ValidationError
from ..i18n import _, catalogue, error_text

if TYPE_CHECKING:  # the library loads when a command needs the graph, not for --help
    from ..api import MaalGraph

F = TypeVar("F", bound=Callable[..., Any])
OPTIONS = _("[OPTIONS]")  # click's usage line, in Danish
# click's modules that look their messages up with gettext (tests/test_i18n.py checks the list)
CLICK_MODULES = ("click.core", "click.decorators", "click.exceptions", "click.formatting",
                 "click.parser", "click.termui", "click.types", "click.utils",
                 "click.shell_completion", "click._termui_impl")  # fmt: skip


def speak_danish() -> None:
    """Click's own messages (Usage, Options, Error, Missing argument …) from the catalogue:
    click looks them up with ``gettext.gettext`` and ``ngettext`` bound in each of its
    modules at import, so those names are pointed at the Danish catalogue."""
    import importlib

    danish = catalogue()
    for name in CLICK_MODULES:
        module = importlib.import_module(name)
        if hasattr(module, "_"):
            module._ = danish.gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = danish.ngettext  # type: ignore[attr-defined]


speak_danish()


class DanishCommand(click.Command):
    """A command whose usage line reads ``[TILVALG]`` instead of ``[OPTIONS]``."""

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("options_metavar", OPTIONS)
        super().__init__(*args, **kwargs)


class DanishGroup(click.Group):
    """The command group, its commands :class:`DanishCommand`s."""

    command_class = DanishCommand

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("options_metavar", OPTIONS)
        kwargs.setdefault("subcommand_metavar", _("COMMAND [ARGS]..."))
        super().__init__(*args, **kwargs)


def friendly_errors(func: F) -> F:
    """Turn library errors into one Danish sentence and exit status 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ValidationError as exc:
            if exc.report:
                click.echo(exc.report, err=True)
            raise click.ClickException(error_text(exc)) from exc
        except MaalgraphError as exc:
            raise click.ClickException(error_text(exc)) from exc

    return wrapper  # type: ignore[return-value]


class Context:
    def __init__(
        self,
        store: str | None,
        base: str | None,
        gazetteer: str | None,
        endpoint: str | None = None,
        update_endpoint: str | None = None,
        endpoint_token: str | None = None,
        endpoint_user: str | None = None,
        endpoint_password: str | None = None,
    ):
        if store and endpoint:
            raise click.UsageError(_("use either --store or --endpoint, not both"))
        if update_endpoint and not endpoint:
            raise click.UsageError(_("--update-endpoint needs --endpoint (the query URL) too"))
        self.store_path = store
        self.base = base
        self.gazetteer = gazetteer
        self.endpoint = endpoint
        self.update_endpoint = update_endpoint
        self.endpoint_token = endpoint_token
        self.endpoint_user = endpoint_user
        self.endpoint_password = endpoint_password
        self._kg: MaalGraph | None = None

    @property
    def writable(self) -> bool:
        return bool(self.store_path or self.update_endpoint)

    def graph(self, *, read_only: bool = False) -> MaalGraph:
        from ..api import MaalGraph

        if self._kg is None:
            if self.endpoint:
                self._kg = MaalGraph.connect(
                    self.endpoint,
                    None if read_only else self.update_endpoint,
                    token=self.endpoint_token,
                    user=self.endpoint_user,
                    password=self.endpoint_password,
                    base_iri=self.base,
                    gazetteer=self.gazetteer,
                )
            else:
                self._kg = MaalGraph.open(
                    self.store_path,
                    read_only=read_only,
                    base_iri=self.base,
                    gazetteer=self.gazetteer,
                )
        return self._kg

    def close(self) -> None:
        if self._kg is not None:
            self._kg.close()


pass_context = click.make_pass_decorator(Context)


@click.group(cls=DanishGroup, context_settings={"help_option_names": ["-h", "--help"]},
             help=_("maalgraph: a knowledge graph of Danish municipal goal follow-ups."))  # fmt: skip
@click.option(
    "--store",
    envvar="MAALGRAPH_STORE",
    type=click.Path(file_okay=False),
    metavar=_("FOLDER"),
    help=_(
        "Persistent store folder (created if missing). Without it: the bundled example "
        "corpus, read-only. Env: MAALGRAPH_STORE."
    ),
)
@click.option(
    "--base",
    envvar="MAALGRAPH_BASE",
    metavar="IRI",
    help=_("Base IRI for minted data IRIs. Env: MAALGRAPH_BASE."),
)
@click.option(
    "--gazetteer",
    envvar="MAALGRAPH_GAZETTEER",
    type=click.Path(dir_okay=False, exists=True),
    metavar=_("FILE"),
    help=_("Extra gazetteer (TSV: label, kind, aliases). Env: MAALGRAPH_GAZETTEER."),
)
@click.option(
    "--endpoint",
    envvar="MAALGRAPH_ENDPOINT",
    metavar="URL",
    help=_(
        "Use an external SPARQL 1.1 server (its query URL) as the store. Env: MAALGRAPH_ENDPOINT."
    ),
)
@click.option(
    "--update-endpoint",
    envvar="MAALGRAPH_UPDATE_ENDPOINT",
    metavar="URL",
    help=_(
        "The external server's SPARQL Update URL (needed to ingest). Env: "
        "MAALGRAPH_UPDATE_ENDPOINT."
    ),
)
@click.option(
    "--endpoint-token",
    envvar="MAALGRAPH_ENDPOINT_TOKEN",
    metavar="TOKEN",
    help=_("Bearer token sent to the external server. Env: MAALGRAPH_ENDPOINT_TOKEN."),
)
@click.option(
    "--endpoint-user",
    envvar="MAALGRAPH_ENDPOINT_USER",
    metavar=_("USER"),
    help=_(
        "User name for the external server (Basic or Digest, as it asks); the password "
        "comes from MAALGRAPH_ENDPOINT_PASSWORD. Env: MAALGRAPH_ENDPOINT_USER."
    ),
)
@click.version_option(__version__, prog_name="maalgraph")
@click.pass_context
def main(
    ctx: click.Context,
    store: str | None,
    base: str | None,
    gazetteer: str | None,
    endpoint: str | None,
    update_endpoint: str | None,
    endpoint_token: str | None,
    endpoint_user: str | None,
) -> None:
    password = os.environ.get("MAALGRAPH_ENDPOINT_PASSWORD")
    if endpoint_user and password is None:
        raise click.UsageError(
            _("--endpoint-user needs the password in MAALGRAPH_ENDPOINT_PASSWORD")
        )
    if endpoint_user and endpoint_token:
        raise click.UsageError(_("use either --endpoint-token or --endpoint-user, not both"))
    ctx.obj = Context(store, base, gazetteer, endpoint, update_endpoint, endpoint_token,
                      endpoint_user, password)  # fmt: skip
    ctx.call_on_close(ctx.obj.close)
