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


def test_rules_change_in_january_2020(registry):
    dagpenge = registry.target_group("dagpenge")
    assert dagpenge.rule_for("2019-12").threshold == 6
    assert dagpenge.rule_for("2020-01").threshold == 4
    assert registry.rule_change == "2020-01"
    uncertain = [r for g in registry.target_groups for r in g.rules if r.uncertain]
    assert uncertain and all(r.uncertain_note for r in uncertain)
