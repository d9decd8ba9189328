import gc

from vae_explorer.cli.imports import quick_imports


def test_no_collection_inside_and_the_callers_setting_kept_after():
    assert gc.isenabled()
    with quick_imports():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with quick_imports():
            pass
        assert not gc.isenabled()  # a caller that turned collection off keeps it off
    finally:
        gc.enable()


def test_freeze_leaves_what_the_block_made_out_of_later_collections():
    before = gc.get_freeze_count()
    try:
        with quick_imports(freeze=True):
            made = [[] for _ in range(1000)]
        assert gc.get_freeze_count() >= before + len(made) and gc.isenabled()
    finally:
        gc.unfreeze()
