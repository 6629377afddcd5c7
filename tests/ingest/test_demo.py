from pandas.testing import assert_frame_equal

from samtaletjek.domain.validate import validate
from samtaletjek.ingest import demo
from samtaletjek.store import read_canonical
from samtaletjek.store.canonical import canonical_csv


def test_demo_data_is_deterministic_complete_and_valid(tmp_path, registry):
    first = demo.generate(registry)
    assert_frame_equal(first, demo.generate(registry))
    assert len(first) == 118 * 98 * 8  # 2017-01 … 2026-10, every municipality and group
    (tmp_path / "samtaler.csv").write_text(canonical_csv(first), encoding="utf-8")
    frame, errors = read_canonical(tmp_path)
    assert errors == []
    assert validate(frame, registry, "demo") == []


def test_demo_scales_with_population_and_suppresses_small_cells(registry):
    data = demo.generate(registry)
    latest = data[(data["period"] == "2026-10") & (data["target_group"] == "sygedagpenge")]
    persons = latest.set_index("municipality")["persons"]
    assert persons["København"] > 50 * persons["Læsø"]
    suppressed = data[data["persons_meeting"].isna() & data["persons"].notna()]
    assert len(suppressed) > 0
    assert (suppressed["persons"] < demo.SUPPRESS_BELOW).all()
    assert data["share_pct"].isna().sum() > 0  # missing, never 0 in place of missing
    dip = data[data["period"] == "2020-04"]["share_pct"].mean()
    before = data[data["period"] == "2020-01"]["share_pct"].mean()
    assert dip < before - 10


def test_demo_manifest_says_demo():
    assert demo.demo_manifest().demo is True
