"""Scoring: collect answers and ratings, score every answer, pick the best per question.

One module per idea:

* input — `answer_import` (filled answer templates), `review_sheet` (blind XLSX per
  reviewer), `ratings_import` (filled review sheets), `spreadsheet` (reading/writing cells),
  `answer_codes` (opaque codes reviewers see), `quiz_data` (loading a quiz);
* signals, each a 0-1 `signal.Signal` with a reason — `similarity` (reference and
  leave-one-out consensus), `keypoints` (facts covered / missed / contradicted), `style`
  (politeness, cold phrases, over-promising, length, closing, choices);
* `ratings` (reviewer-bias model, per-dimension aggregation, Krippendorff's alpha,
  disagreements), `combine` (weights, ranks, winners, tie-breaks), `leaderboard`;
* `scorer` (`scriptlab score`), `report` + `templates/`, `export`, `quality` (measured on
  simulated answers), `demo`.
"""
