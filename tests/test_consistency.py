"""Consistency groups: same French with clashing English, same English for different French."""

from __future__ import annotations

from tm.quality.consistency import SOURCE, TARGET, Entry, candidates, judge, masked, report

ROWS = [
    (1, "Le ministre peut prendre des règlements.", "The Minister may make regulations."),
    (2, "Le ministre peut prendre des règlements.", "The Governor in Council may issue orders."),
    (3, "Le Ministre peut prendre des reglements.", "The Minister may make regulations."),
    (4, "Voir l'article 5.", "See section 5."),
    (5, "Voir l'article 6.", "See section 6."),
    (6, "Titre abrégé", "Short title"),
    (7, "Entrée en vigueur", "Short title"),
    (8, "Titres abrégés", "Short titles"),
]


def test_masked_folds_and_hides_numbers() -> None:
    assert (
        masked("Voir l’Article 1 000,5 !") == masked("voir l'article 6 !") == "voir l'article # !"
    )


def test_candidates_only_groups_with_variants() -> None:
    same_source, same_target = candidates(ROWS)
    assert sorted(map(sorted, same_source)) == [[1, 2, 3]]
    assert sorted(map(sorted, same_target)) == [[6, 7]]  # 1 and 3 fold to one source


def test_judge_reports_real_disagreements_only() -> None:
    entries = {i: Entry(i, s, t, changed=f"2024-01-0{i}") for i, s, t in ROWS}
    clash = judge(SOURCE, [entries[1], entries[2], entries[3]])
    assert clash is not None and clash.entries[0].id == 3 and clash.agreement < 50
    assert judge(TARGET, [entries[1], entries[3]]) is None  # near-identical French
    different = judge(TARGET, [entries[6], entries[7]])
    assert different is not None and [e.id for e in different.entries] == [7, 6]
    assert [g.newest for g in report([clash, different])] == ["2024-01-07", "2024-01-03"]
