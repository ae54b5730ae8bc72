"""Basketball formulas shared by the models, written once."""

from __future__ import annotations

from datetime import date

from sqlglot import exp, parse_one
from sqlmesh import macro
from sqlmesh.core.macros import MacroEvaluator, safe_div

from nba_warehouse.nba import GAME_TYPES, IRREGULAR_SEASONS, TURNOVER, season_start


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
    return _sql("cast({y} as text) || '-' || lpad(cast(({y} + 1) % 100 as text), 2, '0')", y=start_year)


@macro()
def last_by(evaluator: MacroEvaluator, value: exp.Expression, order: exp.Expression) -> exp.Expression:
    """The group's ``value`` on its row with the greatest ``order``. DuckDB's ARG_MAX, which other engines lack (and
    sqlglot does not translate); there, an ordered ARRAY_AGG's first element, which means the same but on DuckDB
    runs some twenty times slower."""
    adapter = evaluator.locals.get("engine_adapter")  # none while the project loads
    if adapter is None or adapter.dialect == "duckdb":
        return _sql("arg_max({v}, {o})", v=value, o=order)
    return _sql("(array_agg({v} order by {o} desc))[1]", v=value, o=order)


@macro()
def calendar_date(evaluator: MacroEvaluator, year: exp.Expression, month: exp.Expression, day: exp.Expression) -> exp.Expression:
    """The date ``year``-``month``-``day`` (month and day literal): DuckDB's MAKE_DATE, in SQL that PostgreSQL (server
    mode) reads too."""
    return _sql(f"cast(cast({{y}} as text) || '-{int(month.name):02d}-{int(day.name):02d}' as date)", y=year)


@macro()
def overtime_periods(evaluator: MacroEvaluator, team_minutes: exp.Expression) -> exp.Expression:
    """Regulation is 240 team minutes; each overtime period adds 25."""
    return _sql("greatest(0, cast(({m} - 240) / 25 as int))", m=team_minutes)


@macro()
def season_of_date(evaluator: MacroEvaluator, day: exp.Expression) -> exp.Expression:
    """The season a date belongs to, by the one calendar in nba_warehouse/nba.py (its irregular seasons, then the
    1 July turnover)."""
    turnover = f"{TURNOVER[0]:02d}-{TURNOVER[1]:02d}"
    regular = season_label(evaluator, _sql(f"extract(year from {{d}}) - case when strftime({{d}}, '%m-%d') >= '{turnover}' then 0 else 1 end", d=day))
    irregular = " ".join(
        f"when {{d}} between date '{first}' and date '{last}' then '{season}'" for season, (first, last) in IRREGULAR_SEASONS.items()
    )
    return _sql(f"case {irregular} else {{regular}} end", d=day, regular=regular)


@macro()
def season_first_date(evaluator: MacroEvaluator, day: exp.Expression) -> exp.Expression:
    """The first date of the season ``day`` (a date literal, such as @start_ds) belongs to, as a date literal: a model
    that needs whole seasons reads from there, with a constant filter that reaches the scan."""
    return exp.cast(exp.Literal.string(season_start(date.fromisoformat(day.name)).isoformat()), exp.DataType.build("date"))


@macro()
def possessions(evaluator: MacroEvaluator, team: exp.Expression, opponent: exp.Expression) -> exp.Expression:
    """Basketball-Reference's possession estimate from both teams' box scores
    (``team`` and ``opponent`` are table aliases with fga, fgm, fta, oreb,
    dreb and tov); averaging both sides makes it the same for the two teams.
    Division is SQLMesh's @SAFE_DIV, here and in the models."""

    def side(own: str, other: str) -> str:
        offensive_rebound_share = safe_div(evaluator, *(parse_one(s) for s in (f"{own}.oreb", f"{own}.oreb + {other}.dreb")))
        return (
            f"{own}.fga + 0.4 * {own}.fta - 1.07 * {offensive_rebound_share.sql('duckdb')} * ({own}.fga - {own}.fgm) + {own}.tov"
        )

    t, o = team.sql("duckdb"), opponent.sql("duckdb")
    return parse_one(f"0.5 * (({side(t, o)}) + ({side(o, t)}))", dialect="duckdb")


@macro()
def true_shooting(evaluator: MacroEvaluator, pts: exp.Expression, fga: exp.Expression, fta: exp.Expression) -> exp.Expression:
    """Points per shooting possession, 0.44 free-throw attempts to a possession."""
    return safe_div(evaluator, pts, _sql("2 * ({a} + 0.44 * {t})", a=fga, t=fta))


@macro()
def effective_fg(evaluator: MacroEvaluator, fgm: exp.Expression, fg3m: exp.Expression, fga: exp.Expression) -> exp.Expression:
    """Field-goal percentage with a made three worth one and a half makes."""
    return safe_div(evaluator, _sql("{m} + 0.5 * {t}", m=fgm, t=fg3m), fga)


@macro()
def per_36(evaluator: MacroEvaluator, total: exp.Expression, minutes: exp.Expression) -> exp.Expression:
    """A counting stat scaled to 36 minutes."""
    return safe_div(evaluator, _sql("36.0 * {x}", x=total), minutes)
