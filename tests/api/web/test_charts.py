"""Server-side chart geometry."""

from __future__ import annotations

from datetime import date, timedelta

from api.web.charts import bar_chart, nice_max, timeline_chart


def test_nice_max() -> None:
    assert [nice_max(v) for v in (0, 1, 3, 7, 12, 45, 101)] == [1, 1, 5, 10, 20, 50, 200]


def test_timeline_stacks_series_inside_the_plot() -> None:
    days = [date(2029, 2, 1) + timedelta(days=i) for i in range(5)]
    values = [
        {"hoax": 2, "undisclosed_paid_political": 1},
        {},
        {"hoax": 4},
        {},
        {"undisclosed_paid_political": 3},
    ]
    chart = timeline_chart(days, values, ["hoax", "undisclosed_paid_political"])
    left, top, right, bottom = chart.plot
    assert chart.max_value == 4 and len(chart.bars) == 4
    for bar in chart.bars:
        assert (
            left <= bar.x
            and bar.x + bar.width <= right
            and top <= bar.y
            and bar.y + bar.height <= bottom + 0.01
        )
    first = [b for b in chart.bars if b.label == "2029-02-01"]
    assert first[0].y > first[1].y  # stacked: the second series sits on top of the first
    assert chart.rows[2] == ("2029-02-03", [4, 0])


def test_empty_and_bar_charts() -> None:
    assert timeline_chart([date(2029, 1, 1)], [{}], ["hoax"]).empty
    chart = bar_chart([("a", 10), ("b", 5)])
    assert chart.bars[0].width == 2 * chart.bars[1].width
