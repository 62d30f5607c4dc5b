// Report: the self-contained HTML page, the Markdown summary and the nightly leaderboard.
