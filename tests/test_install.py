"""The light install: camel-tools' data-free parts work without torch and transformers.

scripts/env.sh installs camel-tools with scripts/light-overrides.txt, which drops the torch and
transformers it declares (and with them several GB of CUDA wheels). These tests check that the
parts forumminer uses still import and behave in that environment, and that the heavy packages
are really gone from it.
"""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys


from .conftest import ROOT

HEAVY = ("torch", "transformers", "triton")


def test_camel_tools_utils_behave_without_torch() -> None:
    from camel_tools.utils.charmap import CharMapper
    from camel_tools.utils.dediac import dediac_ar
    from camel_tools.utils.normalize import (normalize_alef_ar, normalize_alef_maksura_ar, normalize_teh_marbuta_ar,
                                             normalize_unicode)

    assert dediac_ar("العَمِيلُ") == "العميل"
    assert normalize_alef_ar("أإآ") == "ااا"
    assert normalize_alef_maksura_ar("على") == "علي"
    assert normalize_teh_marbuta_ar("الخدمة") == "الخدمه"
    assert normalize_unicode("\ufefb") == "لا"  # the lam-alef ligature
    assert CharMapper.builtin_mapper("arclean")("\ufecb\ufee4\ufef4\ufede") == "عميل"  # presentation forms


def test_simple_word_tokenize_behaves_without_torch() -> None:
    from camel_tools.tokenizers.word import simple_word_tokenize

    assert simple_word_tokenize("العميل، دائماً على حق!") == ["العميل", "،", "دائماً", "على", "حق", "!"]


def test_text_functions_never_import_torch_or_transformers() -> None:
    code = ("import sys, forumminer as fm\n"
            "fm.normalize('العَمِيلُ دائماً على حقّ'); fm.tokenize('العميل على حق', lang='ar')\n"
            f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout.strip() == "[]"


def test_the_set_up_leaves_out_heavy_packages() -> None:
    installed = [name for name in HEAVY if _is_installed(name)]
    assert installed == [], ("set up with scripts/env.sh (uv with scripts/light-overrides.txt), "
                             "which leaves these out; pip install -e . pulls them in")


def _is_installed(distribution: str) -> bool:
    try:
        importlib.metadata.distribution(distribution)
    except importlib.metadata.PackageNotFoundError:
        return False
    return True
