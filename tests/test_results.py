"""The one summary convention (etfcore._results): formatting by unit, natural table widths."""

from __future__ import annotations

import pandas as pd
from statsmodels.iolib.summary2 import Summary as StatsmodelsSummary

from etfcore._results import format_frame, frame_copy, make_summary


def test_summary_is_a_statsmodels_summary_with_html():
    s = make_summary("T", [pd.DataFrame({"x_bp": [1.0]})], ["a note"])
    assert isinstance(s, StatsmodelsSummary)
    assert "<table" in s._repr_html_()
    assert "a note" in str(s)


def test_units_format_without_scientific_notation_or_negative_zero():
    frame = pd.DataFrame({"cost_bp": [26.9, -0.0001], "cost_usd": [1.7e9, -3.2]}, index=["a", "b"])
    text = str(make_summary("Band", [frame, {"days": 5, "nav": 110.123456}]))
    assert "e+" not in text and "-0.00" not in text
    assert "1,700,000,000" in text and "26.90" in text and "0.00" in text
    assert "days" in text and " 5\n" in text + "\n"


def test_tables_keep_their_own_width():
    wide = pd.DataFrame({f"column_{i}_usd": [1e9] for i in range(6)})
    narrow = pd.DataFrame({"a_bp": [1.0], "b_bp": [2.0]}, index=["x"])
    lines = str(make_summary("W", [wide, narrow])).splitlines()
    narrow_header = next(ln for ln in lines if "a_bp" in ln)
    assert len(narrow_header.rstrip()) < 30  # not spread across the wide table's width
    widths = {len(ln) for ln in lines if set(ln) <= {"=", "-"} and ln}
    assert len(widths) == 1  # every rule spans the widest table


def test_format_frame_and_copy_leave_the_original_alone():
    frame = pd.DataFrame({"x_usd": [1.0]})
    out = format_frame(frame)
    assert out.iloc[0, 0] == "1" and frame.iloc[0, 0] == 1.0
    copy = frame_copy(frame)
    copy.iloc[0, 0] = 5.0
    assert frame.iloc[0, 0] == 1.0
