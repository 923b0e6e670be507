"""The docs name real things: every file path, every function written as
`name()` and every snake_case name in README.md and docs/*.md must exist in
the tree. A chapter that falls behind the code fails here. A path under
build/ names what make writes there, so it is looked for in the build being
tested (HOST_BUILD_DIR, as for the other scenarios)."""
import os
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md"] + sorted((ROOT / "docs").glob("*.md"))
SOURCES = [p for ext in ("*.c", "*.h", "*.S", "*.py", "*.sh", "*.mk", "*.ld")
           for p in ROOT.glob(f"**/{ext}") if "build" not in p.parts and "dist" not in p.parts]
INCLUDE_BASES = [ROOT, ROOT / "include", ROOT / "arch" / "aarch64" / "include"]
PATH_RE = re.compile(r"^(?:[\w.-]+/)+[\w.-]+\.(?:c|h|S|py|sh|md|mk|ld|ld\.S)$")
FUNC_RE = re.compile(r"^([a-z_][a-z0-9_]*)\(\)$")
# snake_case names (functions, variables, fields) written without parentheses.
IDENT_RE = re.compile(r"^([a-z][a-z0-9]*(?:_[a-z0-9]+)+)$")
# Names from outside the tree that the docs quote on purpose.
EXTERNAL_NAMES = {"vmsa_ttbr_write", "e_version"}


def code_spans(text):
    # Inline code only: fenced blocks hold output and commands, not names.
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    return re.findall(r"`([^`\n]+)`", text)


@pytest.fixture(scope="module")
def source_text():
    return "\n".join(p.read_text(errors="replace") for p in SOURCES)


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_docs_name_real_files_and_functions(doc, source_text):
    missing = []
    for span in code_spans(doc.read_text()):
        if PATH_RE.match(span):
            rel = span
            if span.startswith("build/"):
                bases = [ROOT / os.environ.get("HOST_BUILD_DIR", "build")]
                rel = span[len("build/"):]
            else:
                # Headers are often named the way #include names them.
                bases = INCLUDE_BASES
            if not any((base / rel).exists() for base in bases):
                missing.append(span)
        else:
            m = FUNC_RE.match(span) or IDENT_RE.match(span)
            if m and m.group(1) not in EXTERNAL_NAMES and \
                    not re.search(rf"\b{re.escape(m.group(1))}\b", source_text):
                missing.append(span)
    assert not missing, f"{doc.name} names things that do not exist: {sorted(set(missing))}"
