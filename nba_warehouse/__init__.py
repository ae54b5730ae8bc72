"""The NBA warehouse around the dlt pipeline: run orchestration (``runs``), offline data (``offline``),
reading the prod views (``explore``), the Python models' basketball logic (``basketball``), the NBA
vocabulary (``nba``) and where the project and the warehouse live (``project``)."""
