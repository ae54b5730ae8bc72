"""The pictures, drawn from the frames ``nba_warehouse.explore.questions`` returns.

Figures are built with matplotlib's object API rather than pyplot, so the
report can draw them without a display and without pyplot's global state;
the notebook displays the same objects.
"""

from __future__ import annotations

import io

import matplotlib
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

CONFERENCE_COLORS = {"East": "#1d428a", "West": "#c8102e"}


def _figure(title: str, width: float = 9.0, height: float = 5.0) -> tuple[Figure, Axes]:
    fig = Figure(figsize=(width, height), layout="constrained")
    ax = fig.subplots()
    ax.set_title(title, loc="left", fontsize=12, fontweight="bold")
    ax.grid(alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def _lines_by_team(frame: pd.DataFrame, x: str, y: str, title: str, ylabel: str, *, percent: bool = False) -> Figure:
    """One line per team, labelled at its right end instead of in a legend."""
    fig, ax = _figure(title)
    colors = matplotlib.colormaps["tab20"]
    teams = sorted(frame["team"].unique())
    for i, team in enumerate(teams):
        rows = frame[frame["team"] == team].sort_values(x)
        color = colors(i % 20)
        ax.plot(pd.to_datetime(rows[x]), rows[y], color=color, linewidth=1.6)
        ax.annotate(team, (pd.to_datetime(rows[x].iloc[-1]), rows[y].iloc[-1]), xytext=(4, 0), textcoords="offset points",
                    color=color, fontsize=8, va="center")  # fmt: skip
    ax.set_ylabel(ylabel)
    if percent:
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_ylim(-0.02, 1.02)
    fig.autofmt_xdate()
    return fig


def standings_race(frame: pd.DataFrame, conference: str) -> Figure:
    fig = _lines_by_team(frame, "as_of_date", "wins_above_500", f"{conference}: the standings race", "wins above .500 (W − L)")
    fig.axes[0].axhline(0, color="black", linewidth=0.8)
    return fig


def elo(frame: pd.DataFrame) -> Figure:
    return _lines_by_team(frame, "game_date", "elo", "Elo rating after each game", "Elo")


def playoff_odds(frame: pd.DataFrame, conference: str) -> Figure:
    return _lines_by_team(
        frame, "as_of_date", "playoffs_probability", f"{conference}: chance to make the playoffs", "simulated probability", percent=True
    )


def ratings(frame: pd.DataFrame) -> Figure:
    """Offense right, defence up: the best teams sit top right."""
    fig, ax = _figure("Offensive vs defensive rating (points per 100 possessions)", width=8, height=6.5)
    for conference, rows in frame.groupby("conference", dropna=False):
        color = CONFERENCE_COLORS.get(str(conference), "grey")
        ax.scatter(rows["offensive_rating"], rows["defensive_rating"], color=color, label=str(conference), s=36)
        for row in rows.itertuples():
            ax.annotate(row.team, (row.offensive_rating, row.defensive_rating), xytext=(4, 3), textcoords="offset points", fontsize=8)
    ax.axvline(frame["offensive_rating"].mean(), color="grey", linestyle="--", linewidth=0.8)
    ax.axhline(frame["defensive_rating"].mean(), color="grey", linestyle="--", linewidth=0.8)
    ax.invert_yaxis()
    ax.set_xlabel("offensive rating (higher is better)")
    ax.set_ylabel("defensive rating (lower is better)")
    ax.legend(frameon=False)
    return fig


CHECKPOINT_COLORS = {"1 December": "#9aa9c9", "All-Star break": "#1d428a", "1 March": "#c8102e"}


def reliability(frame: pd.DataFrame) -> Figure:
    """Predicted against observed, one panel per outcome and one line per checkpoint: calibrated odds lie on the
    diagonal. Marker area grows with the team-seasons behind each point."""
    outcomes = list(dict.fromkeys(frame["outcome"]))
    fig = Figure(figsize=(4.5 * len(outcomes), 4.8), layout="constrained")
    for ax, outcome in zip(fig.subplots(1, len(outcomes), squeeze=False)[0], outcomes):
        rows = frame[frame["outcome"] == outcome]
        ax.plot([0, 1], [0, 1], color="grey", linestyle="--", linewidth=0.8)
        for checkpoint, points in rows.groupby("checkpoint", sort=False):
            label = f"{checkpoint} (Brier {points['brier_score'].iloc[0]:.3f}, {int(points['seasons'].iloc[0])} seasons)"
            color = CHECKPOINT_COLORS.get(str(checkpoint), "grey")
            ax.plot(points["mean_predicted"], points["observed_rate"], color=color, linewidth=1.2, label=label)
            ax.scatter(points["mean_predicted"], points["observed_rate"], s=8 + points["team_seasons"], color=color, alpha=0.8)
        ax.set_title(f"Season odds: {outcome}", loc="left", fontsize=12, fontweight="bold")
        ax.set_xlabel("simulated probability")
        ax.set_ylabel("share that happened")
        for axis in (ax.xaxis, ax.yaxis):
            axis.set_major_formatter(PercentFormatter(1.0))
        ax.set_xlim(-0.02, 1.02)
        ax.set_ylim(-0.02, 1.02)
        ax.grid(alpha=0.3)
        ax.legend(frameon=False, fontsize=8, loc="upper left")
    return fig


def player_form(frame: pd.DataFrame) -> Figure:
    player = frame["player"].iloc[0] if not frame.empty else "?"
    fig, ax = _figure(f"{player}: points by game and rolling form")
    dates = pd.to_datetime(frame["game_date"])
    ax.bar(dates, frame["pts"], color="#c9d3e3", label="points")
    ax.plot(dates, frame["last5_pts"], color="#1d428a", linewidth=1.8, label="last 5 games")
    ax.plot(dates, frame["last10_pts"], color="#c8102e", linewidth=1.8, label="last 10 games")
    ax.set_ylabel("points")
    ax.legend(frameon=False, loc="upper left")
    fig.autofmt_xdate()
    return fig


def png(fig: Figure, dpi: int = 100) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()
