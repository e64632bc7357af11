"""All six official languages: structure, detection, word diff, routine updates and verbs.

Corpus tests read ../shared/corpus/ga-akn/multilingual (23 General Assembly resolutions of
session 77 and their session-78 successors, each in Arabic, Chinese, English, French,
Russian and Spanish; source: the United Nations) and are skipped when it is absent. Short
texts written here are constructed for the tests and are not UN documents.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from resdiff.compare import _opening_verb, compare, compare_texts, is_routine_word
from resdiff.diff import word_ops
from resdiff.lang import CODES, detect
from resdiff.parse import parse
from resdiff.readers import read_path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "ga-akn"
MULTI = CORPUS / "multilingual"
needs_corpus = pytest.mark.skipif(not MULTI.is_dir(), reason="../shared/corpus/ga-akn is not here")

# Text renderings that parse.py reads differently from their markup, the same few resolutions in
# every language: sections with their own preamble and headings (77/255, 77/259, 78/245, 78/247),
# annexes (77/261, 78/249), and a chapeau run into an unmarked preambular line (ru 78/248, ar 77/260).
STRUCTURE_DIFFERS = {
    f"{lang}/A_RES_{n}" for lang in CODES for n in ("77_259", "77_261", "78_247", "78_249")
} | {f"{lang}/A_RES_{n}" for lang in ("fr", "es", "ar", "zh") for n in ("77_255", "78_245")} | {"ru/A_RES_78_248", "ar/A_RES_77_260"}

# Share of the English correspondences (old labels -> new labels) that each language's
# 77 -> 78 comparison also finds, as measured when these rules were written.
AGREEMENT = {"fr": 0.99, "es": 0.99, "ru": 0.985, "ar": 0.95, "zh": 0.985}


def _files(lang: str) -> list[Path]:
    return sorted((MULTI / lang).glob("*.xml"))


@needs_corpus
@pytest.mark.parametrize("lang", CODES)
def test_language_is_detected_from_the_text(lang):
    assert {detect(read_path(f).text) for f in _files(lang)} == {lang}


@needs_corpus
@pytest.mark.parametrize("lang", CODES)
def test_text_rendering_parses_to_the_structure_of_the_markup(lang):
    differs = set()
    for f in _files(lang):
        read = read_path(f)
        doc = parse(read.text, source=f.name)
        assert doc.lang == lang and doc.structured, f.name
        if compare(read.document, doc).differs:
            differs.add(f"{lang}/{f.stem}")
    assert differs <= STRUCTURE_DIFFERS, sorted(differs - STRUCTURE_DIFFERS)


def _series() -> list[tuple[str, str]]:
    titles = {}
    for session in (77, 78):
        for line in (CORPUS / "meta" / f"{session}.json").read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            titles[record["symbol"]] = record["title"]
    names = {f"A/RES/{f.stem.split('_')[2]}/{f.stem.split('_')[3]}": f.name for f in _files("en")}
    return sorted((names[a], names[b]) for a in names for b in names
                  if "/77/" in a and "/78/" in b and titles[a] == titles[b])


@needs_corpus
def test_session_77_to_78_pairs_the_same_paragraphs_in_every_language():
    pairs = _series()
    assert len(pairs) == 23

    def correspondences(lang, old, new):
        c = compare(read_path(MULTI / lang / old).document, read_path(MULTI / lang / new).document)
        return {(p.old_labels, p.new_labels) for p in c.pairs}

    reference = {pair: correspondences("en", *pair) for pair in pairs}
    total = sum(len(r) for r in reference.values())
    for lang, floor in AGREEMENT.items():
        same = sum(len(reference[pair] & correspondences(lang, *pair)) for pair in pairs)
        assert same / total >= floor, f"{lang}: {same}/{total} correspondences agree with English"


# ---------------------------------------------------------------- constructed texts

FR = ("L'Assemblée générale,\n\nRappelant sa résolution 77/1,\n\n1.\tEncourage les États à coopérer ;\n\n"
      "2.\tDécide de poursuivre l'examen de la question à sa soixante-dix-huitième session.\n\n52e séance plénière\n\n12 décembre 2022\n")


def test_french_structure_date_and_meeting():
    doc = parse(FR)
    assert [p.label for p in doc.paragraphs] == ["CHAPEAU", "PP1", "OP1", "OP2", "MEETING", "DATE"]
    assert (doc.body, doc.date, doc.lang) == ("General Assembly", "2022-12-12", "fr")


def test_french_verb_strengthened_and_ordinal_is_routine():
    new = FR.replace("Encourage les", "Exhorte les").replace("soixante-dix-huitième", "soixante-dix-neuvième")
    pairs = {p.old_labels: p for p in compare_texts(FR, new).pairs}
    assert pairs[("OP1",)].notes == ("opening verb: Encourage -> Exhorte (stronger)",)
    assert pairs[("OP2",)].routine


@pytest.mark.parametrize(("word", "lang"), [("soixante-dix-huitième", "fr"), ("septuagésimo", "es"), ("octavo", "es"),
                                            ("восьмой", "ru"), ("الثامنة", "ar"), ("والسبعين", "ar"), ("第七十八届", "zh"),
                                            ("décembre", "fr"), ("diciembre", "es"), ("декабря", "ru"), ("٢٠٢٣", "ar")])
def test_routine_words_in_each_language(word, lang):
    assert is_routine_word(word, lang)


@pytest.mark.parametrize(("word", "lang"), [("Pakistan", "fr"), ("exhorte", "fr"), ("insta", "es"), ("призывает", "ru"), ("يحث", "ar")])
def test_substantive_words_in_each_language(word, lang):
    assert not is_routine_word(word, lang)


@pytest.mark.parametrize(("text", "lang", "verb"), [
    ("Prie également le Secrétaire général de faire rapport ;", "fr", "Prie également"),
    ("Insta a todos los Estados a que cooperen;", "es", "Insta"),
    ("настоятельно призывает все государства сотрудничать;", "ru", "настоятельно призывает"),
    ("تطلب أيضا إلى الأمين العام أن يقدم تقريرا؛", "ar", "تطلب أيضا"),
    ("敦促各国合作;", "zh", "敦促"),
])
def test_opening_verbs(text, lang, verb):
    assert _opening_verb(text, lang) == verb


def test_chinese_edits_show_as_words_not_clauses():
    ops = word_ops("请秘书长向大会第七十八届会议提出报告", "请秘书长向大会第七十九届会议提出报告")
    changed = [t for op, t in ops if op]
    assert changed == ["第七十八届", "第七十九届"]


def test_arabic_vowel_marks_are_an_orthographic_change_not_a_substantive_one():
    head = "إن الجمعية العامة،\n\nوإذ تشير إلى قرارها 77/1،\n\n"
    old = head + "1 - تطلب إلى اللجنة الخاصة أن تواصل عملها؛\n"
    new = head + "1 - تطلُب إلى اللجنـة الخاصة أن تواصل عملها؛\n"
    (op1,) = [p for p in compare_texts(old, new).pairs if p.old_labels == ("OP1",)]
    assert op1.status.value == "modified" and op1.routine
    assert any(n.startswith("orthographic only") for n in op1.notes)


@needs_corpus
def test_two_languages_of_one_resolution_are_refused_as_a_translation():
    from resdiff.errors import InputError
    from resdiff.sources import check_comparable

    en, fr = (read_path(MULTI / lang / "A_RES_77_142.xml").document for lang in ("en", "fr"))
    with pytest.raises(InputError) as info:
        check_comparable(en, fr)
    assert "a translation, not a revision" in info.value.message and "--lang" in info.value.hint


def test_lang_overrides_detection():
    text = "The General Assembly,\n\nRecalling its resolution 1/1,\n\n1. Decides to act.\n"
    assert parse(text).lang == "en" and parse(text, lang="fr").lang == "fr"


def test_an_arabic_redline_is_marked_right_to_left_and_a_chinese_one_by_language():
    from resdiff.render import render_html

    head = "إن الجمعية العامة،\n\nوإذ تشير إلى قرارها 77/1،\n\n"
    c = compare_texts(head + "1 - تطلب إلى اللجنة الخاصة أن تواصل عملها؛\n", head + "1 - تطلب إلى اللجنة الخاصة أن تواصل عملها وتقدم تقريرا؛\n")
    html = render_html(c, old_name="old", new_name="new")
    assert html.count('class="text" lang="ar" dir="rtl"') >= 2 * len(c.pairs)  # both views
    zh = "大会,\n\n回顾其第77/1号决议,\n\n1.\t请秘书长向大会第七十八届会议提出报告。\n"
    html = render_html(compare_texts(zh, zh.replace("七十八", "七十九")), old_name="old", new_name="new")
    assert 'lang="zh" dir="ltr"' in html and "<del>第七十八届</del>" in html


def test_the_arabic_text_flows_right_to_left_in_the_browser(tmp_path):
    import importlib.util

    if importlib.util.find_spec("playwright") is None or not Path("/usr/bin/chromium").exists():
        pytest.skip("playwright and /usr/bin/chromium are needed")
    from playwright.sync_api import sync_playwright

    from resdiff.render import render_html

    head = "إن الجمعية العامة،\n\nوإذ تشير إلى قرارها 77/1،\n\n"
    c = compare_texts(head + "1 - تطلب إلى اللجنة الخاصة أن تواصل عملها؛\n", head + "1 - تطلب إلى اللجنة أن تواصل عملها؛\n")
    path = tmp_path / "ar.html"
    path.write_text(render_html(c, old_name="old", new_name="new"), encoding="utf-8")
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        page = browser.new_page()
        page.goto(path.as_uri())
        directions = page.eval_on_selector_all(".view-redline .text", "els => els.map(e => getComputedStyle(e).direction)")
        browser.close()
    assert directions and set(directions) == {"rtl"}


def test_word_redline_of_an_arabic_text_is_right_to_left_and_a_chinese_one_uses_an_east_asian_font():
    import io
    import zipfile

    from resdiff.docx_out import render_docx

    head = "إن الجمعية العامة،\n\nوإذ تشير إلى قرارها 77/1،\n\n"
    ar = compare_texts(head + "1 - تطلب إلى اللجنة الخاصة أن تواصل عملها؛\n", head + "1 - تطلب إلى اللجنة أن تواصل عملها؛\n")
    styles = zipfile.ZipFile(io.BytesIO(render_docx(ar, old_name="a", new_name="b"))).read("word/styles.xml").decode()
    operative = styles[styles.index('w:styleId="ResolutionOperative"'):]
    operative = operative[:operative.index("</w:style>")]
    assert "<w:bidi/>" in operative and 'w:bidi="ar-SA"' in operative
    zh = "大会,\n\n回顾其第77/1号决议,\n\n1.\t请秘书长向大会第七十八届会议提出报告。\n"
    styles = zipfile.ZipFile(io.BytesIO(render_docx(compare_texts(zh, zh.replace("七十八", "七十九")), old_name="a", new_name="b"))).read("word/styles.xml").decode()
    assert 'w:eastAsia="SimSun"' in styles and "<w:bidi/>" not in styles


def test_a_text_in_another_language_degrades_to_plain_paragraphs_with_a_warning():
    german = "Die Generalversammlung,\n\nunter Hinweis auf ihre Resolution 77/1,\n\nbeschliesst, sich weiter mit der Frage zu befassen.\n"
    doc = parse(german)
    assert not doc.structured and all(p.label.startswith("P") for p in doc.paragraphs)
    assert "is in none of the six official languages" in doc.warnings[0]
    english = parse("Some notes on the meeting.\n\nNothing numbered here at all.\n")
    assert "reads as English" in english.warnings[0]
