"""The layers contract (pyproject.toml) holds, and it would catch an import that runs upward."""

import shutil
import subprocess
import sys
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parents[2]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _copy(tmp_path: Path) -> Path:
    tree = tmp_path / "tree"
    tree.mkdir()
    shutil.copy(ROOT / "pyproject.toml", tree)
    for package in CONFIG["root_packages"]:
        shutil.copytree(ROOT / package, tree / package, ignore=shutil.ignore_patterns("*.pyc"))
    return tree


def test_the_apps_import_only_the_layers_below_them(tmp_path):
    result = _lint(_copy(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_an_import_from_a_higher_layer_breaks_the_contract(tmp_path):
    tree = _copy(tmp_path)
    # deliberation sits below consultations: a thread service may not ask a consultation.
    with (tree / "deliberation" / "selectors.py").open("a") as module:
        module.write("\n\ndef _upward():\n    from consultations.models import ConsultationPage\n")

    result = _lint(tree)

    assert result.returncode == 1
    assert "deliberation is not allowed to import consultations" in result.stdout
    assert "deliberation.selectors -> consultations.models" in result.stdout
