import pytest

from core.words import number_to_words, number_to_words_en


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "صفر"),
        (7, "هفت"),
        (15, "پانزده"),
        (21, "بیست و یک"),
        (110, "صد و ده"),
        (999, "نهصد و نود و نه"),
        (1000, "هزار"),
        (2012, "دو هزار و دوازده"),
        (1_000_000, "یک میلیون"),
        (1_250_000, "یک میلیون و دویست و پنجاه هزار"),
        (50_000_000, "پنجاه میلیون"),
        (3_000_000_005, "سه میلیارد و پنج"),
        (10**15, "یک کوادریلیون"),
        (-40, "منفی چهل"),
    ],
)
def test_numbers_are_spelled_in_persian_words(number, words):
    assert number_to_words(number) == words


def test_the_largest_supported_number_is_spelled_and_a_larger_one_refused():
    words = number_to_words(10**18 - 1)
    assert words.startswith("نهصد و نود و نه کوادریلیون")
    assert words.endswith("هزار و نهصد و نود و نه")
    with pytest.raises(ValueError):
        number_to_words(10**18)


def test_only_integers_are_spelled():
    with pytest.raises(TypeError):
        number_to_words(1.5)


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "zero"),
        (12, "twelve"),
        (40, "forty"),
        (95, "ninety-five"),
        (1_000, "one thousand"),
        (1_250, "one thousand two hundred fifty"),
        (50_000_000, "fifty million"),
        (2_000_007, "two million seven"),
    ],
)
def test_numbers_are_spelled_in_english_words_for_the_english_sheet(number, words):
    assert number_to_words_en(number) == words
