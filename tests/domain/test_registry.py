import pytest

from samtaletjek.domain.danish import slugify


def test_registry_has_98_municipalities_and_8_groups(registry):
    assert len(registry.municipalities) == 98
    assert len({m.code for m in registry.municipalities}) == 98
    assert registry.target_group_ids == (
        "dagpenge",
        "kontanthjaelp-jobparate",
        "kontanthjaelp-aktivitetsparate",
        "uddannelseshjaelp-uddannelsesparate",
        "uddannelseshjaelp-aktivitetsparate",
        "sygedagpenge",
        "jobafklaring",
        "ressourceforloeb",
    )
    assert sum(m.population for m in registry.municipalities) == 5_992_644


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("København", "koebenhavn"),
        ("Høje-Taastrup", "hoeje-taastrup"),
        ("Ærø", "aeroe"),
        ("Lyngby-Taarbæk", "lyngby-taarbaek"),
        ("Ringkøbing-Skjern", "ringkoebing-skjern"),
        ("Faaborg-Midtfyn", "faaborg-midtfyn"),
        ("Brønderslev", "broenderslev"),
        ("Tårnby", "taarnby"),
        ("Læsø", "laesoe"),
    ],
)
def test_slug_examples(name, slug):
    assert slugify(name) == slug


def test_slugs_of_all_98_are_unique_and_url_safe(registry):
    slugs = [m.slug for m in registry.municipalities]
    assert len(set(slugs)) == 98
    for slug in slugs:
        assert slug == slug.strip("-")
        assert set(slug) <= set("abcdefghijklmnopqrstuvwxyz0123456789-"), slug
        assert "--" not in slug


@pytest.mark.parametrize(
    ("source_name", "code"),
    [
        ("Nordfyns", 480),
        ("Vesthimmerlands *", 820),
        ("Vesthimmerland*", 820),
        ("Høje Taastrup", 169),
        ("Bornholms Regionskommune", 400),
        ("Århus", 751),
        ("  KØBENHAVN ", 101),
        ("Viborg*", 791),
    ],
)
def test_source_name_variants_find_the_municipality(registry, source_name, code):
    assert registry.find_municipality(source_name).code == code


def test_unknown_names_and_christiansoe_are_not_municipalities(registry):
    assert registry.find_municipality("Christiansø") is None
    assert registry.find_municipality("Hele landet") is None


def test_frikommune_flags(registry):
    fri_i = {m.name for m in registry.municipalities if m.frikommune_i}
    assert fri_i == {
        "Fredensborg",
        "Fredericia",
        "Gentofte",
        "Gladsaxe",
        "Odense",
        "Odsherred",
        "Vejle",
        "Vesthimmerland",
        "Viborg",
    }
    assert sum(m.frikommune_ii_nord for m in registry.municipalities) == 11


def test_every_group_has_rules_for_every_period(registry):
    for g in registry.target_groups:
        for month in ("2018-01", "2020-01", "2023-12", "2024-01", "2026-06", "2026-07", "2027-01"):
            rule = g.rule_for(month)
            assert rule is not None, (g.id, month)
            assert rule.requirement and rule.legal_source, (g.id, month)
        # The periods follow on without gaps or overlaps.
        for earlier, later in zip(g.rules, g.rules[1:], strict=False):
            assert earlier.valid_to and later.valid_from > earlier.valid_to, g.id


def test_the_rules_by_period_are_those_of_the_law(registry):
    dagpenge = registry.target_group("dagpenge")
    assert dagpenge.rule_for("2019-12").measured == 6
    assert dagpenge.rule_for("2020-01").measured == 4
    assert "a-kassen" in dagpenge.rule_for("2024-01").requirement.lower()
    reform = dagpenge.rule_for("2026-07")
    assert reform.flag.id == "lov" and reform.flag.pct == 75 and reform.measured == 2
    assert "1750" in reform.legal_source
    jobparate = registry.target_group("kontanthjaelp-jobparate").rule_for("2026-07")
    assert jobparate.flag.label == "under lovens krav på 75 %" and jobparate.measured == 4
    assert registry.target_group("sygedagpenge").rule_for("2026-07").uncertain
    expected = dagpenge.rule_for("2027-01")
    assert expected.expected and expected.uncertain and "5" in expected.uncertain_note
    uncertain = [r for g in registry.target_groups for r in g.rules if r.uncertain]
    assert uncertain and all(r.uncertain_note for r in uncertain)


def test_the_rule_a_month_is_held_against_by_period(registry):
    group = registry.target_group("kontanthjaelp-aktivitetsparate")
    assert not group.rule_for("2019-06").flag.sets_line  # no line before 2020
    assert group.rule_for("2020-06").flag.label == "under STAR's grænse på 80 %"
    assert registry.list_months == 6
    after = group.rule_for("2026-08").flag
    assert after.id == "star-efter-reform" and after.uncertain and after.uncertain_note


def test_series_breaks_per_group(registry):
    months = {g.id: [b.month for b in g.breaks] for g in registry.target_groups}
    assert months["dagpenge"] == ["2020-01", "2024-01", "2026-07", "2027-01"]
    assert months["kontanthjaelp-aktivitetsparate"] == ["2020-01", "2026-07", "2027-01"]
    sick = {b.month: b for b in registry.target_group("sygedagpenge").breaks}
    assert sick["2026-07"].uncertain and not sick["2020-01"].uncertain
    assert sick["2027-01"].expected
    dagpenge = registry.target_group("dagpenge")
    crossed = [b.month for b in dagpenge.breaks_between("2018-01", "2026-10")]
    assert crossed == ["2020-01", "2024-01", "2026-07"]
    assert [b.month for b in dagpenge.breaks_between("2025-10", "2026-10")] == ["2026-07"]
    assert dagpenge.breaks_between("2026-07", "2026-10") == ()  # from the break on: same rule


def test_a_rule_table_with_an_unknown_flag_rule_is_an_error(tmp_path):
    import shutil

    from samtaletjek.errors import DataErrors
    from samtaletjek.settings import Settings
    from samtaletjek.store.reference import load_registry

    shutil.copytree(Settings().reference_dir, tmp_path / "ref")
    path = tmp_path / "ref" / "maalgrupper.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace('flag = "lov"', 'flag = "loven"', 1),
        encoding="utf-8",
    )
    with pytest.raises(DataErrors) as caught:
        load_registry(tmp_path / "ref")
    assert "'loven' is not a [[flag_rule]] id" in str(caught.value.errors[0])


def test_a_group_may_begin_and_end(registry):
    from dataclasses import replace

    merged = replace(registry.target_group("jobafklaring"), valid_to="2026-12")
    assert merged.exists_in("2026-12") and not merged.exists_in("2027-01")


def test_the_words_of_a_rule_take_its_numbers_from_the_rule(tmp_path):
    """A rule's numbers are typed once: its texts say "{pct}", and an edit of the line moves
    every sentence that states it."""
    import shutil

    from samtaletjek.settings import Settings
    from samtaletjek.store.reference import load_registry

    folder = tmp_path / "reference"
    shutil.copytree(Settings().reference_dir, folder)
    text = (folder / "maalgrupper.toml").read_text(encoding="utf-8")
    law = 'id = "lov"\nkind = "share"\npct = 75'
    assert law in text
    (folder / "maalgrupper.toml").write_text(text.replace(law, law[:-2] + "70"), "utf-8")
    changed = load_registry(folder)
    lov = changed.flag_rule("lov")
    assert lov.label == "under lovens krav på 70 %"
    assert "mindst 70 % af målgruppen" in lov.explanation and "75" not in lov.explanation
    rule = changed.target_group("dagpenge").rule_for("2026-08")
    assert "mindst 70 % af sine dagpengemodtagere" in rule.requirement
