"""Language variants in the store: a resolution's texts in other official languages kept
with its English version, compared by language, shown, refused when they cannot join.

The files are real: A/RES/77/102 and A/RES/78/107 in English, French, Spanish and Arabic,
copied from the shared corpus (see tests/data/akn/README.md; source: the United Nations).
The one altered French text below is CONSTRUCTED from the real one (a word changed) to
stand for a corrected translation.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from resdiff.cli.main import app, with_default_command
from resdiff.store import Received, Store
from series_fixtures import git

DATA = Path(__file__).parent / "data" / "akn" / "multilingual"
LANGS = ("en", "fr", "es", "ar")


def texts(*symbols: str) -> list[Path]:
    return [DATA / lang / f"A_RES_{s}.xml" for s in symbols for lang in LANGS]


def received(paths: list[Path]) -> list[Received]:
    return [Received(p.read_bytes(), str(p)) for p in paths]


def invoke(*args: str):
    return CliRunner().invoke(app, with_default_command(list(args)))


def refs(store: Path) -> str:
    """The branches and tags of a store with their commits (the notes hold wall-clock times)."""
    return git(store, "for-each-ref", "--format=%(refname) %(objectname)", "refs/heads", "refs/tags")


def test_variants_join_their_english_version_whatever_the_order(tmp_path: Path) -> None:
    paths = texts("77_102", "78_107")
    with Store.open(tmp_path / "ordered", seed=False) as s:
        outcomes = s.add(received(paths))
    assert [(r.symbol.short, r.lang, r.outcome) for r in outcomes][:4] == [
        ("77/102", "en", "added"), ("77/102", "fr", "added"), ("77/102", "es", "added"), ("77/102", "ar", "added")]
    assert len({r.series for r in outcomes}) == 1  # one series, not one per language
    shuffled = paths[:]
    random.Random(7).shuffle(shuffled)
    with Store.open(tmp_path / "shuffled", seed=False) as s:
        s.add(received(shuffled))
    # Two batches, the translations of 77/102 last: still the same history.
    with Store.open(tmp_path / "batches", seed=False) as s:
        s.add(received([p for p in paths if "en" in p.parts or "78_107" in p.name]))
        s.add(received([p for p in paths if "en" not in p.parts and "77_102" in p.name]))
    assert refs(tmp_path / "ordered") == refs(tmp_path / "shuffled") == refs(tmp_path / "batches")


def test_git_keeps_one_text_per_language_beside_the_english(tmp_path: Path) -> None:
    store = tmp_path / "s"
    with Store.open(store, seed=False) as s:
        s.add(received(texts("77_102", "78_107")))
        (name, version) = s.require(__import__("resdiff.symbols", fromlist=["x"]).parse_symbol("ga:78/107"))
    assert version.languages == ("en", "ar", "es", "fr")
    files = git(store, "ls-tree", "-r", "--name-only", "refs/tags/ga/78/107").split()
    assert {f"{name}/resolution.{lang}.txt" for lang in ("fr", "es", "ar")} <= set(files)
    assert f"{name}/sources/ga-78-107.fr.akn" in files
    # Plain git follows the French text from year to year.
    french = git(store, "log", "--format=%s", f"series/{name}", "--", f"{name}/resolution.fr.txt").splitlines()
    assert [line.split(":")[0] for line in french] == ["78/107", "77/102"]
    assert "Languages: en, ar, es, fr" in git(store, "log", "-1", "--format=%B", "refs/tags/ga/78/107")
    assert "Assemblée générale" in git(store, "show", f"refs/tags/ga/78/107:{name}/resolution.fr.txt")


def test_compare_stored_versions_in_a_language(tmp_path: Path) -> None:
    store = str(tmp_path / "s")
    assert invoke("add", str(DATA), "--store", store).exit_code == 0
    result = invoke("78/107", "--lang", "es", "-f", "json", "-q", "--store", store)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["old"]["symbol"], data["new"]["symbol"]) == ("77/102", "78/107")
    assert data["old"]["lang"] == data["new"]["lang"] == "es"
    assert data["old"]["title"].startswith("Programa de Asistencia de las Naciones Unidas")
    english = json.loads(invoke("78/107", "-f", "json", "-q", "--store", store).stdout)
    assert english["new"]["lang"] == "en" and english["new"]["title"].startswith("United Nations Programme")
    # The Spanish redline pairs the same paragraphs as the English one.
    pairs = lambda d: [(tuple(p["old"] or ()), tuple(p["new"] or ())) for p in d["pairs"]]  # noqa: E731
    same = len(set(pairs(data)) & set(pairs(english))) / len(pairs(english))
    assert same > 0.95, same
    arabic = invoke("77/102", "78/107", "--lang", "ar", "-o", str(tmp_path / "ar.html"), "--store", store)
    assert arabic.exit_code == 0, arabic.stderr
    assert 'dir="rtl"' in (tmp_path / "ar.html").read_text(encoding="utf-8")


def test_show_a_variant(tmp_path: Path) -> None:
    store = str(tmp_path / "s")
    invoke("add", str(DATA), "--store", store)
    text = invoke("show", "77/102", "--lang", "fr", "--store", store)
    assert text.exit_code == 0 and "CHAPEAU\tL’Assemblée générale," in text.stdout.replace("'", "’")
    source = invoke("show", "77/102", "--lang", "fr", "-f", "source", "--store", store)
    assert source.stdout_bytes == (DATA / "fr" / "A_RES_77_102.xml").read_bytes()
    record = json.loads(invoke("show", "77/102", "--lang", "ar", "-f", "json", "--store", store).stdout)
    assert record["lang"] == "ar" and record["languages"] == ["en", "ar", "es", "fr"]
    assert record["source"]["name"] == "A_RES_77_102.xml" and record["source"]["path"].endswith(".ar.akn")


def test_a_language_not_stored_says_which_are(tmp_path: Path) -> None:
    store = str(tmp_path / "s")
    invoke("add", *map(str, texts("77_102", "78_107")[:5]), "--store", store)  # 78/107 only in English
    result = invoke("78/107", "--lang", "fr", "--offline", "--store", store)
    assert result.exit_code == 2
    assert "error: 78/107 is stored in English, but not in French" in result.stderr
    assert "resdiff fetch 78/107 --lang fr" in result.stderr
    shown = invoke("show", "78/107", "--lang", "zh", "--store", store)
    assert shown.exit_code == 2 and "not in Chinese" in shown.stderr


def test_a_translation_without_its_english_version_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    store = tmp_path / "s"
    invoke("add", str(DATA / "en" / "A_RES_77_102.xml"), "--store", str(store))
    before = refs(store)
    result = invoke("add", str(DATA / "fr" / "A_RES_78_107.xml"), "--store", str(store))
    assert result.exit_code == 2
    assert "a French text of 78/107, whose English text is not stored" in result.stderr
    assert "add the English text of 78/107 first" in result.stderr and result.stderr.count("\n") == 2
    assert "Traceback" not in result.stderr and refs(store) == before
    # Options that belong to the English version are refused for a translation.
    dated = invoke("add", str(DATA / "fr" / "A_RES_77_102.xml"), "--date", "2022-12-07", "--store", str(store))
    assert dated.exit_code == 2 and "drop --date" in dated.stderr and refs(store) == before


def test_a_different_translation_needs_replace_and_the_earlier_one_is_kept(tmp_path: Path) -> None:
    store = tmp_path / "s"
    invoke("add", str(DATA / "en" / "A_RES_77_102.xml"), str(DATA / "fr" / "A_RES_77_102.xml"), "--store", str(store))
    again = invoke("add", str(DATA / "fr" / "A_RES_77_102.xml"), "--store", str(store))
    assert again.exit_code == 0 and "unchanged" in again.stderr
    real = (DATA / "fr" / "A_RES_77_102.xml").read_bytes()
    assert "Programme".encode() in real
    corrected = tmp_path / "corrected-fr.xml"  # CONSTRUCTED: the real French text with one word changed
    corrected.write_bytes(real.replace(">Remercie ".encode(), ">Félicite ".encode(), 1))
    assert corrected.read_bytes() != real
    refused = invoke("add", str(corrected), "--store", str(store))
    assert refused.exit_code == 2 and "already stored in French with a different text" in refused.stderr
    replaced = invoke("add", str(corrected), "--replace", "--store", str(store))
    assert replaced.exit_code == 0, replaced.stderr
    record = json.loads(invoke("show", "77/102", "-f", "json", "--store", str(store)).stdout)
    assert len(record["superseded"]) == 1 and record["superseded"][0]["path"].startswith("sources/superseded/ga-77-102.fr.")
    assert invoke("show", "77/102", "--lang", "fr", "-f", "source", "--store", str(store)).stdout_bytes == corrected.read_bytes()
    # A corrected English text keeps the translations.
    english = (DATA / "en" / "A_RES_77_102.xml").read_bytes()
    fixed = tmp_path / "corrected-en.xml"  # CONSTRUCTED: the real English text with one word changed
    fixed.write_bytes(english.replace(b">Reiterates ", b">Stresses ", 1))
    assert fixed.read_bytes() != english
    assert invoke("add", str(fixed), "--replace", "--store", str(store)).exit_code == 0
    record = json.loads(invoke("show", "77/102", "-f", "json", "--store", str(store)).stdout)
    assert record["languages"] == ["en", "fr"]


@pytest.mark.parametrize("lang", ["de", "EN"])
def test_an_unknown_language_code_is_bad_usage(tmp_path: Path, lang: str) -> None:
    result = invoke("fetch", "78/107", "--lang", lang, "--store", str(tmp_path / "s"))
    assert result.exit_code == 2 and f"--lang {lang}: not a language resdiff knows" in result.stderr
    assert not (tmp_path / "s").exists()


def french_docx(path: Path) -> bytes:
    """A Word rendering of the real French text of 77/102 (its paragraphs as the markup gives them)."""
    import docx

    from resdiff.readers import read_path

    document = docx.Document()
    for block in read_path(DATA / "fr" / "A_RES_77_102.xml").text.split("\n\n"):
        document.add_paragraph(" ".join(block.split()))
    document.save(path)
    return path.read_bytes()


def test_fetch_a_language_files_a_variant(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from fake_un_server import FakeUN, Reply

    store = str(tmp_path / "s")
    invoke("add", str(DATA / "en" / "A_RES_77_102.xml"), "--store", store)
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    with FakeUN() as fake:
        monkeypatch.setenv("RESDIFF_ODS_BASE", fake.ods_base)
        monkeypatch.setenv("RESDIFF_OHCHR_BASE", fake.ohchr_base)
        fake.ods("A/RES/77/102", "pdf", Reply(200, french_docx(tmp_path / "fr.docx")))
        result = invoke("fetch", "77/102", "--lang", "fr", "--store", store)
        assert result.exit_code == 0, result.stderr
        assert "fetched 77/102 in French from " + fake.ods_base in result.stderr
        assert all("l=fr" in seen.path for seen in fake.seen)
    record = json.loads(invoke("show", "77/102", "-f", "json", "--store", store).stdout)
    assert record["languages"] == ["en", "fr"]
    assert record["variants"][0]["source"]["name"].startswith(fake.ods_base)
