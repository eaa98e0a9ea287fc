"""The benchmark command runs end to end and writes a complete report (its structure, never its speed)."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from devtools.benchmarking.figures import FIGURES, NOT_BUILT
from devtools.benchmarking.measuring import autovacuum_as_configured
from devtools.demo.records import demo_people
from partners.models import Organization
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

PAGE_FIGURES = {
    "changelist_plain",
    "changelist_search",
    "changelist_expertise",
    "candidate_finder",
    "finder_text_name",
    "finder_text_character",
    "changelist_search_short",
}


def run_benchmark(path, **options):
    call_command(
        "benchmark",
        people=200,
        json_file=str(path),
        repeat=2,
        export_repeat=1,
        import_rows=200,
        untuned_rows=20,
        verbosity=0,
        **options,
    )
    return json.loads(path.read_text(encoding="utf-8"))


def test_benchmark_runs_end_to_end_and_writes_every_figure(tmp_path):
    report = run_benchmark(tmp_path / "benchmark.json")

    assert report["people"] == 200
    assert demo_people().count() == 200
    assert report["demo_data"]["generated"] is True
    assert set(report["database"]) == {"vendor", "version", "name"}
    assert report["database"]["vendor"] in {"sqlite", "postgresql"}
    assert {"cpus", "platform", "python"} <= set(report["machine"])
    assert all(report["machine"][key] > 0 for key in ("python_loop_seconds", "python_loop_seconds_after"))
    assert set(report["git"]) == {"commit", "dirty"}
    assert list(report["figures"]) == [key for key, *_rest in FIGURES]
    for key, figure in report["figures"].items():
        assert figure["status"] in {"measured", NOT_BUILT}, (key, figure["status"])
        if figure["status"] == NOT_BUILT:
            assert figure["median"] is None and figure["samples"] == []
            continue
        assert figure["samples"], key
        assert figure["min"] <= figure["median"] <= figure["max"], key
        assert all(sample > 0 for sample in figure["samples"]), key
        if figure["target"] is not None:
            assert figure["met"] in {True, False}, key
    for key in PAGE_FIGURES:
        figure = report["figures"][key]
        if figure["status"] == "measured":
            assert len(figure["samples"]) == 2
            assert figure["queries"] > 0
    name, character = report["figures"]["finder_text_name"], report["figures"]["finder_text_character"]
    assert len(name["word"]) == 3 and character["word"] == name["word"][0]
    assert 1 <= name["found"] <= character["found"]  # the demo person whose name it is, at least
    assert report["figures"]["changelist_search_short"]["word"] == name["word"][:2]
    for key in ("export_csv", "export_xlsx", "export_raw_csv"):
        if report["figures"][key]["status"] == "measured":
            assert report["figures"][key]["rows"] == 200
    if report["figures"]["import_preview"]["status"] == "measured":
        composition = report["figures"]["import_preview"]
        assert (composition["duplicates"], composition["changed"], composition["new"]) == (10, 2, 188)
        assert composition["outcome"]["errors"] == []


def test_benchmark_reuses_demo_data_of_the_right_size(tmp_path):
    run_benchmark(tmp_path / "first.json")
    uuids = set(demo_people().values_list("uuid", flat=True))

    report = run_benchmark(tmp_path / "second.json")

    assert report["demo_data"]["generated"] is False
    assert set(demo_people().values_list("uuid", flat=True)) == uuids


def test_benchmark_refuses_a_database_with_real_people(tmp_path):
    PersonFactory(full_name="Real Partner", source="report of 2022")

    with pytest.raises(CommandError, match="real data"):
        run_benchmark(tmp_path / "refused.json")
    assert demo_people().count() == 0


def test_benchmark_measures_the_overview_and_the_new_lists_as_superuser_and_viewer(tmp_path):
    report = run_benchmark(tmp_path / "overview.json", only=["overview"])

    for key in ("overview", "overview_viewer", "reconfirm_list", "reconfirm_list_viewer", "interaction_list"):
        figure = report["figures"][key]
        assert figure["status"] == "measured", (key, figure["status"])
        assert len(figure["samples"]) == 2 and figure["queries"] > 0, key
    assert report["figures"]["overview_viewer"]["hidden_people"] == demo_people().filter(sensitive=True).count()
    assert report["figures"]["changelist_plain"]["status"] == "not measured in this run (--only)"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's autovacuum")
@pytest.mark.django_db(transaction=True)
def test_the_benchmark_applies_autovacuums_rule_where_the_server_has_autovacuum_off():
    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        server_vacuums = cursor.fetchone()[0] == "on"
    Organization.objects.bulk_create(Organization(name=f"Gone {number}") for number in range(300))
    Organization.objects.filter(name__startswith="Gone ").delete()  # 300 dead rows: over 50 + a fifth of 0

    done = autovacuum_as_configured()

    if server_vacuums:
        assert done == []  # the server's own autovacuum does it
        return
    assert "public.partners_organization" in done
    assert "public.partners_organization" not in autovacuum_as_configured()  # nothing dead any more
    with transaction.atomic():
        assert autovacuum_as_configured() == []  # VACUUM cannot run in a transaction
