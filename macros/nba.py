"""Basketball formulas shared by the models, written once."""

from __future__ import annotations

from sqlglot import exp, parse_one
from sqlmesh import macro
from sqlmesh.core.macros import MacroEvaluator

GAME_TYPES = {
    "001": "Pre Season",
    "002": "Regular Season",
    "003": "All Star",
    "004": "Playoffs",
    "005": "PlayIn",
    "006": "NBA Cup Final",
}


def _sql(template: str, **args: exp.Expression) -> exp.Expression:
    return parse_one(template.format(**{k: v.sql("duckdb") for k, v in args.items()}), dialect="duckdb")


@macro()
def game_type(evaluator: MacroEvaluator, game_id: exp.Expression) -> exp.Expression:
    """The season type encoded in the first three digits of a GAME_ID."""
    whens = " ".join(f"when '{prefix}' then '{label}'" for prefix, label in GAME_TYPES.items())
    return _sql(f"case left({{game_id}}, 3) {whens} end", game_id=game_id)


@macro()
def season_label(evaluator: MacroEvaluator, start_year: exp.Expression) -> exp.Expression:
    """``2025`` -> ``'2025-26'``, the label stats.nba.com uses for a season."""
    return _sql("format('{{}}-{{:02d}}', {y}, ({y} + 1) % 100)", y=start_year)


@macro()
def overtime_periods(evaluator: MacroEvaluator, team_minutes: exp.Expression) -> exp.Expression:
    """Regulation is 240 team minutes; each overtime period adds 25."""
    return _sql("greatest(0, cast(({m} - 240) / 25 as int))", m=team_minutes)
