// Judge: pairwise comparisons sent to a judge model over chat completions, verdicts into the store.
