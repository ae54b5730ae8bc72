"""Working without stats.nba.com: the recordings format, the replay server and the synthetic league."""
