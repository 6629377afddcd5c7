"""The contract between page contexts and templates (Datasette's documented contexts):

- a template reads only fields its context has: every `page.<field>` in a template (and in the
  templates it extends, includes or imports) is a field or property of every page class
  rendered with it, unless the template asks `is defined` first; and rendering every page of a
  small site reads no missing attribute (StrictUndefined);
- a context carries no field that nothing reads: every field of every context dataclass in
  `samtaletjek/pages/` is read by a template while the small site is rendered, or by the
  package's Python code.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
from pathlib import Path

import jinja2
import pytest
from jinja2 import nodes

import samtaletjek.pages
from samtaletjek import build
from samtaletjek.ingest import demo
from samtaletjek.pages.downloads import canonical_table
from samtaletjek.publish.html import environment, labelled_svgs, svg_labels
from samtaletjek.publish.pictures import Rendered, pictures
from samtaletjek.publish.site import Staging
from samtaletjek.settings import Settings
from samtaletjek.store.content import read_content
from samtaletjek.store.reference import load_registry, load_topology

TEMPLATES = Settings().templates_dir


# Not contexts: a file of the site, and what the Excel worker writes (publish reads them).
NOT_CONTEXTS = {"Output", "Workbook", "Cut"}


def context_classes() -> list[type]:
    """Every dataclass defined in samtaletjek/pages/: the contexts and what they hold."""
    found = []
    for info in pkgutil.iter_modules(samtaletjek.pages.__path__):
        module = importlib.import_module(f"samtaletjek.pages.{info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            mine = cls.__module__ == module.__name__ and cls.__name__ not in NOT_CONTEXTS
            if dataclasses.is_dataclass(cls) and mine:
                found.append(cls)
    return found


def small_model():
    """A small site's model: every page context of every indicator, nothing drawn (the demo
    data of March to October 2026: every indicator, a rule change, the watch list)."""
    settings = Settings(site_url="https://x.dk")  # with a site URL: the sitemap is written
    registry = load_registry(settings.reference_dir)
    topology = load_topology(settings.reference_dir)
    frame = demo.generate(registry, start="2026-03", end="2026-10")
    releases = tuple(demo.demo_releases(frame, months=2))
    variables = build.content_variables(settings, registry, demo.demo_manifest())
    content = read_content(settings.content_dir, variables)
    metrics, others = build.measure_all(frame, registry, settings)
    return build.site_model(
        metrics,
        registry,
        build.options(settings),
        demo.demo_manifest(),
        releases,
        content,
        topology,
        others=others,
    )


class Recording(jinja2.Environment):
    """An environment whose templates read attributes with `getattr`, so a recording
    `__getattribute__` sees them."""

    def getattr(self, obj: object, attribute: str) -> object:
        try:
            return getattr(obj, attribute)
        except AttributeError:
            return super().getattr(obj, attribute)  # Undefined, as Jinja2 gives it


@pytest.fixture(scope="module")
def reads(tmp_path_factory: pytest.TempPathFactory) -> set[tuple[str, str]]:
    """Every (class, field) of a context read while the site model is made, every page is
    rendered and the build takes its charts, pictures and files: by templates and by code."""
    read: set[tuple[str, str]] = set()
    out = tmp_path_factory.mktemp("contract")

    def recorded(self, name: str) -> object:  # noqa: ANN001
        read.add((type(self).__name__, name))
        return object.__getattribute__(self, name)

    classes = context_classes()
    for cls in classes:
        cls.__getattribute__ = recorded
    try:
        model = small_model()
        read.add(("model", ""))  # the model itself, for the tests below
        reads_model.append(model)
        env = environment(TEMPLATES, model.site)
        recording = Recording(
            loader=env.loader,
            undefined=env.undefined,
            autoescape=env.autoescape,
            trim_blocks=env.trim_blocks,
            lstrip_blocks=env.lstrip_blocks,
            keep_trailing_newline=env.keep_trailing_newline,
        )
        recording.globals.update(env.globals)
        recording.filters.update(env.filters)
        for page in model.pages:  # StrictUndefined: a missing attribute fails here
            recording.get_template(page.template).render(page=page, current=page.path)
        # What the build reads of the model besides the templates.
        drawn = [p for item in (*model.charts, *model.share_images) for p in pictures(item)]
        labelled_svgs(svg_labels(model.charts), Rendered({p.id: b"<svg></svg>" for p in drawn}, 0))
        with Staging(out / "site") as site:
            site.write(model.outputs)
        # The downloads name each row's origin (pages/downloads.py).
        registry = load_registry(Settings().reference_dir)
        canonical_table(demo.generate(registry, "2026-10", "2026-10"), model.site.origins)
    finally:
        for cls in classes:
            del cls.__getattribute__
    return read


reads_model: list = []


@pytest.fixture(scope="module")
def model(reads):
    return reads_model[-1]


def test_every_field_of_a_context_is_read(reads):
    """A field no template and no code reads is dead weight that looks like a promise."""
    dead = [
        f"{cls.__module__.rsplit('.', 1)[-1]}.{cls.__name__}.{f.name}"
        for cls in context_classes()
        for f in dataclasses.fields(cls)
        if (cls.__name__, f.name) not in reads
    ]
    assert not dead, f"fields nothing reads: {', '.join(sorted(dead))}"


def _reads_of_page(template: str, seen: set[str] | None = None) -> set[str]:
    """The `page.<field>` a template and those it extends, includes or imports read, but
    those asked `is defined` first."""
    seen = set() if seen is None else seen
    if template in seen:
        return set()
    seen.add(template)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES))
    tree = env.parse(env.loader.get_source(env, template)[0])
    guarded = {  # `page.x is defined`: the template asks before it reads
        test.node.attr
        for test in tree.find_all(nodes.Test)
        if test.name == "defined" and isinstance(test.node, nodes.Getattr)
    }
    reads = {
        node.attr
        for node in tree.find_all(nodes.Getattr)
        if isinstance(node.node, nodes.Name) and node.node.name == "page"
    }
    reads -= guarded
    for other in (
        *tree.find_all(nodes.Extends),
        *tree.find_all(nodes.Include),
        *tree.find_all(nodes.Import),
        *tree.find_all(nodes.FromImport),
    ):
        if isinstance(other.template, nodes.Const):
            reads |= _reads_of_page(other.template.value, seen)
    return reads


def test_templates_read_only_what_their_contexts_have(model):
    """Checked on the template's text, so a branch the small site never takes is checked too."""
    by_template: dict[str, set[type]] = {}
    for page in model.pages:
        by_template.setdefault(page.template, set()).add(type(page))
    missing = []
    for template, classes in sorted(by_template.items()):
        for attr in sorted(_reads_of_page(template)):
            for cls in classes:
                names = {f.name for f in dataclasses.fields(cls)} | {
                    name for name, _ in inspect.getmembers(cls) if not name.startswith("_")
                }
                if attr not in names:
                    missing.append(f"{template} reads page.{attr}, which {cls.__name__} lacks")
    assert not missing, "; ".join(missing)


def test_a_template_reading_a_field_its_context_lacks_fails(tmp_path: Path, model):
    """StrictUndefined: a missing field is an error when the page is rendered."""

    (tmp_path / "t.html").write_text("{{ page.title }} {{ page.no_such_field }}", "utf-8")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(tmp_path), undefined=jinja2.StrictUndefined
    )
    page = next(p for p in model.pages if p.path == "")
    with pytest.raises(jinja2.UndefinedError):
        env.get_template("t.html").render(page=page)
