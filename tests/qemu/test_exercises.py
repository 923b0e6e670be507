"""Every chapter's exercises have a checker and a solution (scripts/exercise.py).

Fast checks only: that each numbered exercise in the docs has a checker
entry, a solution file and a "Check:" line, that every solution patch still
applies, and that every answers checker passes with its model answers and
fails with an empty file. make check-solutions (CI) builds and runs the code
exercises' checkers."""
import pathlib
import re
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import exercise  # noqa: E402

CHAPTERS = {1: "part1-boot.md", 2: "part2-ipc.md", 3: "part3-interrupts.md",
            4: "part4-memory.md", 5: "part5-user-mode.md"}


def exercises_in_docs():
    """{"2.3": text of exercise 3 of part 2}, from each chapter's Exercises section."""
    found = {}
    for part, name in CHAPTERS.items():
        text = (ROOT / "docs" / name).read_text()
        m = re.search(r"^## [\d.]* ?Exercises\n(.*?)(?=^## |\Z)", text, re.M | re.S)
        assert m, f"{name} has no Exercises section"
        items = re.split(r"^(\d+)\. ", m.group(1), flags=re.M)
        for number, body in zip(items[1::2], items[2::2]):
            found[f"{part}.{number}"] = body
    return found


DOCS = exercises_in_docs()


def test_every_exercise_in_the_docs_has_a_checker_and_back():
    assert sorted(DOCS) == sorted(exercise.EXERCISES), \
        "the docs' exercises and scripts/exercise.py's list differ"


@pytest.mark.parametrize("number", sorted(DOCS, key=exercise.key))
def test_exercise_has_a_check_line_and_a_solution(number):
    path = exercise.solution_path(number)
    assert (ROOT / path).exists(), f"{path} is missing"
    line = f"Check: `make exercise N={number}`. Solution: [docs/solutions/{number}."
    assert line in " ".join(DOCS[number].split()), \
        f"exercise {number} does not end with its Check:/Solution: line"
    assert exercise.EXERCISES[number]["doc"].endswith(CHAPTERS[int(number.split(".")[0])])


@pytest.mark.parametrize("number", sorted((n for n in exercise.EXERCISES
                                           if exercise.kind(n) == "code"), key=exercise.key))
def test_solution_patch_applies(number):
    proc = subprocess.run(["git", "apply", "--check", exercise.solution_path(number)], cwd=ROOT,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert proc.returncode == 0, proc.stdout.decode()


@pytest.mark.parametrize("number", sorted((n for n in exercise.EXERCISES
                                           if exercise.kind(n) == "answers"), key=exercise.key))
def test_answers_checker_takes_the_solution_and_refuses_nothing(number, capsys):
    exercise.verify_answers(number)
