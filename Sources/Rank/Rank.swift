// Rank: Bradley-Terry ratings with confidence intervals, and the held-out overfitting check.
