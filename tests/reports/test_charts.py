"""The SVG charts of the dashboard and the PDF reports: valid SVG, readable by screen readers, Persian digits."""

import xml.etree.ElementTree as ET

from reports.charts import Series, bar_chart, line_chart, nice_maximum, stacked_bar

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314  (our own output, not untrusted input)


def texts(root: ET.Element) -> list[str]:
    return [element.text or "" for element in root.iter(f"{SVG}text")]


def test_a_line_chart_is_valid_svg_with_a_title_for_screen_readers_and_persian_digits_on_its_axis():
    svg = line_chart(
        [Series("تولید", [0, 120, 340]), Series("تحویل", [0, 100, 300])],
        ["هفته ۱", "هفته ۲", "هفته ۳"],
        title="تولید و تحویل هفتگی",
    )
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-label") == "تولید و تحویل هفتگی"
    assert root.find(f"{SVG}title").text == "تولید و تحویل هفتگی"
    assert len(root.findall(f"{SVG}polyline")) == 2
    axis = " ".join(texts(root))
    assert "۴۰۰" in axis  # the axis top, rounded up from 340
    assert not any(ch in axis for ch in "0123456789")


def test_a_line_chart_in_english_uses_latin_digits_and_runs_left_to_right():
    root = parse(line_chart([Series("Produced", [5, 10])], ["W1", "W2"], title="Weekly", persian=False))
    points = root.find(f"{SVG}polyline").get("points").split()
    first_x, last_x = (float(point.split(",")[0]) for point in (points[0], points[-1]))
    assert first_x < last_x
    assert "10" in texts(root)


def test_a_persian_line_chart_puts_the_oldest_week_on_the_right():
    root = parse(line_chart([Series("تولید", [5, 10])], ["۱", "۲"], title="هفتگی"))
    points = root.find(f"{SVG}polyline").get("points").split()
    assert float(points[0].split(",")[0]) > float(points[-1].split(",")[0])


def test_labels_are_escaped_so_a_province_name_cannot_inject_markup():
    svg = bar_chart(['<script>alert("x")</script>'], [10], title="<b>gap</b>")
    root = parse(svg)
    assert root.find(f"{SVG}script") is None
    assert '<script>alert("x")</script>' in texts(root)
    assert root.get("aria-label") == "<b>gap</b>"


def test_a_bar_chart_writes_each_value_in_persian_digits_and_scales_the_longest_bar_to_the_track():
    root = parse(bar_chart(["تهران", "اصفهان"], [1_500_000, 750_000], title="کسری بودجه"))
    assert "۱٬۵۰۰٬۰۰۰" in texts(root) and "۷۵۰٬۰۰۰" in texts(root)
    widths = [float(rect.get("width")) for rect in root.findall(f"{SVG}rect")]
    assert widths[0] == 2 * widths[1]


def test_a_stacked_bar_shows_every_status_with_its_count_and_share():
    root = parse(stacked_bar([("پیشنهاد", 1), ("پذیرفته", 3), ("رد شده", 0)], title="سهمیه‌ها"))
    legend = " ".join(texts(root))
    assert "پذیرفته: ۳ (۷۵٪)" in legend
    assert "رد شده: ۰ (۰٪)" in legend


def test_charts_without_data_still_render_a_titled_svg_saying_so():
    for svg in (
        line_chart([], [], title="خالی", empty_message="داده‌ای نیست"),
        bar_chart([], [], title="خالی", empty_message="داده‌ای نیست"),
        stacked_bar([("a", 0)], title="خالی", empty_message="داده‌ای نیست"),
    ):
        root = parse(svg)
        assert root.get("aria-label") == "خالی"
        assert "داده‌ای نیست" in texts(root)


def test_axis_tops_are_round_numbers():
    assert [nice_maximum(v) for v in (0, 7, 12, 340, 2600, 10_000)] == [4, 8, 20, 400, 4000, 10000]
