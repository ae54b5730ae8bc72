"""Basketball logic shared by the Python models: Elo ratings and the league's tiebreakers."""
