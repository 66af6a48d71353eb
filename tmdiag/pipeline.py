"""One path from a `.tm` file to results; the CLI, the language server's threat worker and the
benchmarks call it, as D2's CLI calls its library entry point:

    loaded = pipeline.load("model.tm")           # read, parse, follow imports, validate
    model = loaded.require()                      # Refused (carrying every error) when it has errors
    result = pipeline.analyze(model, today=day)   # threats (pytm + custom rules, ranked) and lint
    built = pipeline.report(result)               # report files in memory, and the summary as data
    found = pipeline.check(loaded)                # what `tmdiag check` reports: diagnostics and lint

Nothing here prints: front ends decide where diagnostics go (`tmdiag.cli._common.refuse`).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from tmdiag.diagnostics import Diagnostic, Severity, TmdiagError, TmError
from tmdiag.limits import MAX_ANALYSED
from tmdiag.lint.config import LintConfig
from tmdiag.model.nodes import Model
from tmdiag.results import Finding, Summary, ThreatAnalysis
from tmdiag.semantics import rules as rule_types

if TYPE_CHECKING:
    from tmdiag.iac.resources import Infrastructure
    from tmdiag.loader import Files
    from tmdiag.register import Register
    from tmdiag.report import ReportInputs

Step = Callable[[str], None]  # told what is happening now, for a progress display

# These leave nothing worth validating. After other syntax errors the statements that parsed are
# validated; references to names written in the broken ones are not reported (model.unparsed_names).
_PARSE_ERRORS = frozenset({"E004", "E005", "E008"})


PARITY_NOTE = (
    "Threats as raw pytm 1.4 finds them (--pytm-parity): pytm's own conditions, no errata, nothing the "
    "model states closes a threat, lint findings listed apart (docs/threats.md)."
)


def no_progress(_message: str) -> None:
    """A `Step` that shows nothing."""


@dataclass(frozen=True)
class Loaded:
    """A model as read: None when the entry file could not be read; every diagnostic, sorted."""

    path: str  # as given
    model: Model | None
    diagnostics: tuple[Diagnostic, ...]
    checked_rules: Mapping[str, rule_types.Checked] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def sources(self) -> Mapping[str, str]:
        """Text of every file read (entry and imports), by the path diagnostics name."""
        return self.model.sources if self.model is not None else MappingProxyType({})

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity >= Severity.ERROR)

    @property
    def readable(self) -> bool:
        return self.model is not None

    def require(self) -> Model:
        """The model, when it has no errors; else raises Refused."""
        if self.model is None or self.errors:
            raise Refused(self)
        return self.model


class Refused(TmError):
    """A model that cannot be analysed: unreadable (exit 2) or with errors (exit 1)."""

    def __init__(self, loaded: Loaded):
        super().__init__(list(loaded.errors) or list(loaded.diagnostics))
        self.loaded = loaded

    @property
    def exit_code(self) -> int:
        return 2 if self.loaded.model is None else 1


def load(path: str | Path, *, validate: bool = True, files: Files | None = None) -> Loaded:
    """Read a model file and everything it imports; validate it unless told not to. `files`: where
    to read (default: the disk; `tmdiag.diff.git.GitFiles` reads a git revision)."""
    from tmdiag.loader import DISK, load_path

    model, diagnostics = load_path(path, files or DISK)
    return _checked(str(path), model, diagnostics, validate)


def load_text(text: str, path: str = "<string>", root: str | Path | None = None, *, validate: bool = True) -> Loaded:
    """A model from text; imports resolve against `root` (default: the current folder)."""
    from tmdiag.loader import load_text as loader_text

    model, diagnostics = loader_text(text, path, root)
    return _checked(path, model, diagnostics, validate)


def _checked(path: str, model: Model | None, diagnostics: list[Diagnostic], validate: bool) -> Loaded:
    checked: Mapping[str, rule_types.Checked] = MappingProxyType({})
    if validate and model is not None and not any(d.code in _PARSE_ERRORS for d in diagnostics):
        from tmdiag.semantics import check

        validation = check(model)
        diagnostics = diagnostics + list(validation.diagnostics)
        checked = validation.checked_rules
    ordered = tuple(sorted(dict.fromkeys(diagnostics), key=lambda d: d.sort_key))
    return Loaded(path, model, ordered, checked)


def check(
    loaded: Loaded,
    *,
    lint: LintConfig | bool = True,
    today: datetime.date | None = None,
    infrastructure: Infrastructure | None = None,
    elsewhere: frozenset[str] = frozenset(),
) -> tuple[Diagnostic, ...]:
    """What `tmdiag check` reports for one model, sorted: the load diagnostics, then (unless the
    file did not parse) the lint findings with the model's decisions applied, and (when there are no
    errors) its stale decisions on lint rules. `lint` as for `analyze`; `infrastructure` turns on
    the drift rules; `elsewhere`: resource addresses other models link (not unmodeled here, TM708)."""
    found = list(loaded.diagnostics)
    model = loaded.model
    if model is None or lint is False or any(d.code.startswith("E0") for d in found):
        return tuple(found)
    from tmdiag.lint import lint as run_lint
    from tmdiag.lint import load_config
    from tmdiag.lint.waiting import shown_while_broken

    day = today or datetime.date.today()
    config = lint if isinstance(lint, LintConfig) else load_config(Path(model.path).resolve().parent)
    linted = shown_while_broken(run_lint(model, config, day, infrastructure, elsewhere), found, model.sources)
    if model.risks:  # decisions cover lint findings, or are stale (the register is imported only then)
        from tmdiag.lint.registry import judged_codes
        from tmdiag.register import as_decided, lint_decisions

        linted = as_decided(model, linted, day)
        if not any(d.severity >= Severity.ERROR for d in found):
            linted += lint_decisions(model, linted, day, judged_codes(infrastructure is not None))
    return tuple(sorted(found + linted, key=lambda d: (*d.sort_key, d.message)))


class TooLarge(TmdiagError):
    """A model larger than the threat analysis takes on in bounded memory (limits.MAX_ANALYSED)."""


@dataclass(frozen=True)
class Analysis:
    """Everything the analyses found in one model. With lint, `register` ranks the threats and the
    lint findings that are risks together; `findings`, `excluded`, `diagnostics` and `summary` are
    the register's (the threats' alone without lint)."""

    model: Model
    today: datetime.date
    threats: ThreatAnalysis
    lint: tuple[Diagnostic, ...] = ()
    register: Register | None = None
    parity: bool = False  # threats exactly as raw pytm finds them; the register leaves lint findings out

    @property
    def findings(self) -> tuple[Finding, ...]:
        return self.register.findings if self.register is not None else self.threats.findings

    @property
    def excluded(self) -> tuple[Finding, ...]:
        return self.register.excluded if self.register is not None else self.threats.excluded

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        """Stale and expired decisions, unused exclusions and control claims."""
        return self.register.diagnostics if self.register is not None else self.threats.diagnostics

    @property
    def summary(self) -> Summary:
        return Summary.of(self.findings)


def analyze(
    source: Loaded | Model,
    *,
    today: datetime.date | None = None,
    lint: LintConfig | bool = True,
    parity: bool = False,
    step: Step = no_progress,
    infrastructure: Infrastructure | None = None,
) -> Analysis:
    """Threats (pytm's library and the model's rules, ranked, decided) and lint. `lint`: a
    configuration, True for the one nearest the model's file, False to skip linting. `parity`:
    pytm's own conditions and `check()`, exactly; no errata, no facts closing threats.
    `infrastructure` (`tmdiag.iac.read`): also compare the model with it (the TM7xx drift rules), so
    that drift which is a risk (an open port, public in reality, encryption or logging off) joins the
    register; without it, decisions on drift rules are not judged."""
    from tmdiag.threats import analyze as enumerate_threats

    model = source.require() if isinstance(source, Loaded) else source
    size = len(model.elements) + len(model.flows)
    if size > MAX_ANALYSED:
        raise TooLarge(
            f"{model.path} has {size:,} elements and flows; the threat analysis takes at most {MAX_ANALYSED:,} "
            "(pytm needs 13-65 KB of memory for each): split the model, or check and draw it without threats"
        )
    checked = source.checked_rules if isinstance(source, Loaded) else None
    day = today or datetime.date.today()
    step(f"Enumerating threats with pytm ({len(model.elements)} elements, {len(model.flows)} flows)…")
    threats = enumerate_threats(model, today=day, checked_rules=checked, parity=parity)
    if lint is False:
        return Analysis(model, day, threats, parity=parity)
    from tmdiag import register
    from tmdiag.lint import lint as run_lint
    from tmdiag.lint import load_config
    from tmdiag.lint.registry import judged_codes

    step("Linting…")
    config = lint if isinstance(lint, LintConfig) else load_config(Path(model.path).resolve().parent)
    # Every rule: `select`/`ignore` shape the `check` gate, not the register (a risk leaves the
    # register by a decision with an owner, or an inline suppression with a reason).
    config = dataclasses.replace(config, select=("TM",), ignore=())
    found = tuple(run_lint(model, config, today=day, infrastructure=infrastructure))
    if parity:  # pytm's findings only; the lint findings stay diagnostics
        return Analysis(model, day, threats, found, parity=True)
    judged = judged_codes(compared=infrastructure is not None)
    return Analysis(model, day, threats, found, register.build(model, threats, found, day, judged=judged))


@dataclass(frozen=True)
class Report:
    """A rendered report, in memory: {file name: bytes}, and what it says in numbers."""

    files: Mapping[str, bytes]
    summary: Summary
    notes: Sequence[str] = ()


def report_inputs(
    analysis: Analysis,
    *,
    generated: datetime.date | None = None,
    draw: bool = True,
    mermaid: bool = False,
    step: Step = no_progress,
) -> ReportInputs:
    """What a report is made of: the analysis, and the diagram (unless `draw` is False; a diagram
    that cannot be drawn leaves a note instead). `mermaid`: also as Mermaid, for report.md."""
    from tmdiag.report import ReportInputs
    from tmdiag.version import __version__

    svg, views, diagram_notes, notes = "", [], [], []
    if analysis.parity:
        notes.append(PARITY_NOTE)
    flowchart, flowchart_views = "", []
    model_views: list[tuple[str, str, str]] = []  # (view id, SVG, Mermaid)
    pictures: dict[str, str] = {}
    if draw:
        from tmdiag.diagram import DiagramError, context, render

        step("Drawing each element in its context…")
        top: dict[str, str] = {}
        for finding in analysis.findings:  # the worst open risk per element, for the outline
            if finding.is_open and (finding.target_id not in top or finding.risk > top[finding.target_id]):
                top[finding.target_id] = finding.risk
        flows = context.index(analysis.model)
        pictures = {e.id: context.picture(analysis.model, e.id, flows, top) for e in analysis.model.elements}
        step("Drawing the data-flow diagram with Graphviz…")
        try:
            diagram = render(analysis.model, fmt="svg", style="dfd", findings=analysis.findings, warn=False)
            for declared in analysis.model.views:  # every view the model declares: a section of its own
                picture = render(analysis.model, fmt="svg", view=declared.id, findings=analysis.findings)
                model_views.append((declared.id, picture.data.decode("utf-8"), ""))
        except DiagramError as problem:
            notes.append(f"The diagram was not drawn: {problem}")
        else:
            svg = diagram.data.decode("utf-8")
            views = [(bid, data.decode("utf-8")) for bid, data in diagram.views]
            diagram_notes = list(diagram.notes)
        if mermaid:  # links stay in report.md: `#el-web`, `#view-<boundary>`
            chart = render(
                analysis.model, fmt="mermaid", findings=analysis.findings, view_names="#view-{id}", warn=False
            )
            flowchart = chart.data.decode("utf-8")
            flowchart_views = [(bid, data.decode("utf-8")) for bid, data in chart.views]
            drawn = {vid: svg_text for vid, svg_text, _ in model_views}
            model_views = [
                (v.id, drawn.get(v.id, ""),
                 render(analysis.model, fmt="mermaid", view=v.id, findings=analysis.findings).data.decode("utf-8"))
                for v in analysis.model.views
            ]  # fmt: skip
    return ReportInputs(
        model=analysis.model, findings=analysis.findings, analysis_diagnostics=analysis.diagnostics,
        lint_diagnostics=analysis.lint, diagram_svg=svg, diagram_notes=diagram_notes, diagram_views=views,
        diagram_mermaid=flowchart, diagram_mermaid_views=flowchart_views, model_views=model_views,
        element_pictures=pictures,
        excluded=analysis.excluded, today=analysis.today, generated=generated, notes=notes,
        tool_version=__version__,
    )  # fmt: skip


def report(
    analysis: Analysis,
    *,
    template: Path | None = None,
    generated: datetime.date | None = None,
    draw: bool = True,
    mermaid: bool = False,
    step: Step = no_progress,
) -> Report:
    """Every report file rendered in memory, with the register's summary. Raises
    tmdiag.report.ReportError for a broken template."""
    from tmdiag.report import render_report

    inputs = report_inputs(analysis, generated=generated, draw=draw, mermaid=mermaid, step=step)
    step("Rendering the report…")
    return Report(render_report(inputs, template), analysis.summary, tuple(inputs.notes))
