from tm.quality.findings import Finding


def test_finding_to_dict() -> None:
    finding = Finding("term-missing", "warning", "expected “Ally”", (0, 5), None, "Ally")
    assert finding.to_dict() == {
        "code": "term-missing",
        "severity": "warning",
        "message": "expected “Ally”",
        "source_span": [0, 5],
        "target_span": None,
        "suggestion": "Ally",
    }
