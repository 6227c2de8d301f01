from pathlib import Path

import pytest

from classification.taxonomy import SPEC_DIR, load_taxonomy

SHARED_SPEC = Path(__file__).resolve().parents[2].parent / "shared" / "spec"


def test_shipped_taxonomy_has_ordered_types_in_known_volumes():
    tax = load_taxonomy()
    assert tax.profile == "police_criminal"
    assert [v.code for v in tax.volumes] == ["procedural", "evidence"]
    assert tax.type("interrogation_record").label == "讯问笔录"
    orders = [t.order for t in tax.types]
    assert len(set(orders)) == len(orders)
    assert all(tax.volume(t.volume) for t in tax.types)


def test_unknown_volume_in_a_custom_profile_is_rejected(tmp_path):
    profile = tmp_path / "p.yaml"
    profile.write_text(
        "profile: x\nvolumes: [{code: a, label: A}]\ntypes: [{code: t, label: T, volume: b, order: 1}]\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="unknown volume"):
        load_taxonomy(profile)


@pytest.mark.parametrize("name", ["taxonomy.yaml", "catalog.schema.json"])
def test_spec_copies_are_in_sync_with_shared(name):
    shared = SHARED_SPEC / name
    if not shared.exists():
        pytest.skip(f"{shared} is absent: no shared/ beside the checkout")
    assert (SPEC_DIR / name).read_text(encoding="utf-8") == shared.read_text(encoding="utf-8")
