"""GitHub's additions to Markdown on the site: math, Mermaid diagrams, focusable code blocks; a page
rebuilt when a proposal it links to by file name appears."""

from __future__ import annotations

import re

import pytest

from sitehelpers import build, copy_fixtures, cpu_bounded

from pepctl.site import diagrams, texmath
from pepctl.site.links import LinkContext
from pepctl.site.markdown import Renderer


def render(text: str, links: LinkContext | None = None, drawn: bool = True):
    return Renderer(diagrams_drawn=drawn).render(text, links)


def html(text: str, links: LinkContext | None = None) -> str:
    return render(text, links).html


# -- math ----------------------------------------------------------------------------------------------


def test_inline_and_display_math_become_mathml():
    rendered = render("Cost $a_1 + b$ and $$\\sum_i x_i$$ here.\n\n$$\n\\frac{1}{2}\n$$\n")
    assert rendered.has_math
    out = rendered.html
    assert out.count('<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline">') == 1
    assert out.count('display="block"') == 2
    assert "<msub><mi>a</mi><mn>1</mn></msub>" in out and "<mfrac>" in out
    assert "$" not in out


def test_fenced_math_is_a_display_formula():
    rendered = render("```math\nE = mc^2\n```\n")
    assert rendered.html.startswith('<div class="math-block"><math xmlns="http://www.w3.org/1998/Math/MathML" '
                                    'display="block">')
    assert "<msup><mi>c</mi><mn>2</mn></msup>" in rendered.html and rendered.has_math


def test_code_spans_win_over_dollars_that_pair_across_them():
    out = html("Run `x $a` and `b$ y` first.\n")
    assert out == "<p>Run <code>x $a</code> and <code>b$ y</code> first.</p>\n"


def test_backtick_math_form():
    out = html("Here $`\\sqrt{x}`$ is inline.\n")
    assert "<msqrt>" in out and "`" not in out


def test_math_is_not_mangled_by_markdown():
    out = html("Both $a_1 * b_2 * c_3$ and $x_i y_j$ stay math, and *this* is emphasis.\n")
    assert "<em>" not in out.split("and <em>")[0]  # no emphasis made of the TeX's _ and *
    assert out.count("<msub>") == 5 and "<em>this</em>" in out


@pytest.mark.parametrize("text", [
    "It costs $5 and $10.\n",  # a closing $ followed by a digit: money
    "A $ b$ c\n",  # opening $ followed by a space
    "A $b $ c\n",  # closing $ preceded by a space
    "Escaped \\$a$ here\n",
    "In code `$a$` only\n",
    "```\n$a$\n```\n",
    "    $a$ indented code\n",
    "~~~sh\necho $HOME $PATH\n~~~\n",
])
def test_what_is_not_math(text):
    rendered = render(text)
    assert "<math" not in rendered.html and not rendered.has_math
    assert "$" in rendered.html


RENDER = ("import sys\n"
          "from pepctl.site.markdown import Renderer\n"
          "html = Renderer(diagrams_drawn=False).render(open(sys.argv[1], encoding='utf-8').read()).html\n")


def test_dollars_that_open_no_formula_cost_linear_time(tmp_path):
    # "$a $a $a ...": each `$` opens a formula that no `$` closes (each candidate follows a space),
    # and each looked at every later `$`: 60 KB of it took minutes of CPU. The bound is a hundred
    # times what the work takes.
    out = cpu_bounded(RENDER + "print(html.count('<math'))\n", "Text " + "$a " * 20_000 + "\n\nand $x$.\n", tmp_path, 20)
    assert out == "1\n"


def test_many_formulas_cost_linear_time(tmp_path):
    # each formula's place (in a tag? in code?) was found by looking back through the page to its
    # start: 800 KB of "$x$ " in an indented code block took minutes of CPU
    out = cpu_bounded(RENDER + "print(html.count('<math'), html.count('$x$'))\n",
                      "Text\n\n    " + "$x$ " * 200_000 + "\n\nand $y$.\n", tmp_path, 30)
    assert out == "1 200000\n"


def test_a_formula_that_repeats_is_converted_once(monkeypatch):
    # each formula was converted on its own (a fifth of a millisecond each): a page of a MB of
    # `$x$` took a minute. The same TeX, inline or as a block, is converted once per process, with
    # the same bytes out.
    from latex2mathml import converter

    real, calls = converter.convert, []

    def counting(source, *args, **kwargs):
        calls.append(source)
        return real(source, *args, **kwargs)

    monkeypatch.setattr(converter, "convert", counting)
    tex = "q_{once} + r^{once}"  # no other test converts it
    text = f"Let ${tex}$ be, and ${tex}$ again.\n\n$${tex}$$\n\n$${tex}$$\n"
    first, second = html(text), html(text)
    assert first == second and first.count("<math") == 4
    assert calls.count(tex) == 2  # once inline, once as a block
    inline = real(tex, display="inline")
    assert texmath.clean(inline) in first and texmath.to_mathml(tex, False) == texmath.clean(inline)
    long = "+".join(["z_{once}"] * 40)  # past MEMO_LONGEST: converted each time, and not kept
    assert len(long) > texmath.MEMO_LONGEST
    assert texmath.to_mathml(long, False) == texmath.to_mathml(long, False) == texmath.clean(real(long, display="inline"))
    assert calls.count(long) == 2


def test_math_in_a_link_target_or_image_is_left_alone_and_a_heading_keeps_a_plain_anchor():
    out = html("[see $x$](https://example.org/$a$b$) ![alt $y$](p$q$.png)\n\n## The $O(n)$ bound\n")
    assert 'href="https://example.org/$a$b$"' in out and 'alt="alt $y$"' in out and 'src="p$q$.png"' in out
    assert out.count("<math") == 2  # the link text's and the heading's
    assert '<h2 id="the-on-bound">' in out
    assert render("## The $O(n)$ bound\n").headings == [(2, "the-on-bound", "The O(n) bound")]


def test_placeholders_cannot_collide_with_the_text():
    text = "MathZ0X and MathZq0X stay; $y$ is math.\n"
    extracted = texmath.extract(text)
    assert extracted.marker not in text
    out = html(text)
    assert "MathZ0X and MathZq0X stay;" in out and out.count("<math") == 1


@pytest.mark.parametrize("tex, why", [
    ("x^", "missing super script or subscript"),
    ("\\left( x", "extra left or missing right"),
    ("\\nosuchcommand{x}", "unknown command \\nosuchcommand"),
])
def test_invalid_tex_is_shown_as_code_with_a_reason(tex, why):
    out = html(f"Bad ${tex}$ here.\n")
    found = re.search(r'<code class="math-error" title="([^"]*)">([^<]*)</code>', out)
    assert found, out
    assert why in found.group(1) and "could not be shown as math" in found.group(1)
    block = html(f"```math\n{tex}\n```\n")
    assert '<pre class="math-error" tabindex="0" title="' in block


def test_the_math_cleaner_keeps_mathml_and_drops_script_href_and_handlers():
    out = html("$\\text{<script>alert(1)</script>}\\href{javascript:alert(2)}{x}$\n")
    assert "<math" in out and "<mi>x</mi>" in out
    assert "script" not in out and "href" not in out and "alert" not in out
    cleaned = texmath.clean('<math display="block"><mrow href="javascript:x" onclick="y" style="color:red">'
                            '<mi mathvariant="bold">x</mi><mtext><img src=x onerror=z></mtext>'
                            '<maction actiontype="statusline">s</maction></mrow></math>')
    assert cleaned == '<math display="block"><mrow><mi mathvariant="bold">x</mi><mtext></mtext>s</mrow></math>'


def test_a_page_without_math_or_diagrams_says_so():
    rendered = render("Plain text with a price of $5.\n\n```python\nx = 1\n```\n")
    assert not rendered.has_math and not rendered.has_mermaid


# -- diagrams ----------------------------------------------------------------------------------------


def test_a_mermaid_block_becomes_a_figure_with_its_source_as_text():
    rendered = render("```mermaid\ngraph TD\n  A[<img src=x onerror=alert(1)>] --> B\n```\n")
    assert rendered.has_mermaid
    assert rendered.html.startswith('<figure class="mermaid-diagram"><pre class="mermaid-source" tabindex="0" '
                                    'data-lang="mermaid"><code>graph TD\n  A[&lt;img src=x onerror=alert(1)&gt;]')
    assert "<img" not in rendered.html


def test_without_the_script_a_diagram_is_its_source_with_a_note():
    rendered = render("```mermaid\ngraph TD; A-->B\n```\n", drawn=False)
    assert not rendered.has_mermaid and diagrams.MARK not in rendered.html
    assert "A--&gt;B" in rendered.html and "shown as its source" in rendered.html


def test_the_script_is_found_in_node_modules_above_the_build_or_by_the_environment(tmp_path, monkeypatch):
    monkeypatch.delenv(diagrams.ENVIRONMENT, raising=False)
    script = tmp_path / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
    below = tmp_path / "docs" / "peps"
    below.mkdir(parents=True)
    assert diagrams.script_path(str(below)) is None or not diagrams.script_path(str(below)).startswith(str(tmp_path))
    script.parent.mkdir(parents=True)
    script.write_text("window.mermaid = {};")
    assert diagrams.script_path(str(below)) == str(script)
    named = tmp_path / "elsewhere.js"
    monkeypatch.setenv(diagrams.ENVIRONMENT, str(named))
    assert diagrams.script_path(str(below)) is None  # a name that is no file: not silently another one
    named.write_text("x")
    assert diagrams.script_path(str(below)) == str(named)


MERMAID_PEP = """# PEP-0009: Diagrams

| Field | Value |
|---|---|
| **PEP** | 0009 |
| **Title** | Diagrams |
| **Status** | Draft |
| **Authors** | Ada Lovelace (@ada) |
| **Created** | 2024-01-10 |

## Summary

```mermaid
graph TD; A-->B
```
"""


def test_only_pages_with_diagrams_load_the_script_served_with_the_site(tmp_path, monkeypatch):
    script = tmp_path / "mermaid.min.js"
    script.write_text("window.mermaid = {initialize() {}, render() {}};")
    monkeypatch.setenv(diagrams.ENVIRONMENT, str(script))
    folder = copy_fixtures(tmp_path)
    (folder / "PEP-0009-diagrams.md").write_text(MERMAID_PEP, encoding="utf-8")
    result = build(folder, tmp_path / "site")
    assert not any("Mermaid" in warning for warning in result.warnings)
    site = tmp_path / "site"
    assert (site / "static" / "mermaid.min.js").read_text() == script.read_text()
    assert (site / "static" / "diagrams.js").exists()
    page = (site / "pep" / "PEP-0009-diagrams.html").read_text()
    assert '<script src="../static/mermaid.min.js" defer></script><script src="../static/diagrams.js" defer>' in page
    for other in (site / "pep").glob("*.html"):
        if other.name != "PEP-0009-diagrams.html":
            text = other.read_text()
            assert "mermaid" not in text and "diagrams.js" not in text, other.name
    for shared in ("index.html", "search.html", "dashboard.html"):
        assert "mermaid" not in (site / shared).read_text()
    (folder / "PEP-0009-diagrams.md").unlink()  # no diagram left: the script is not shipped
    build(folder, tmp_path / "other")
    assert not (tmp_path / "other" / "static" / "mermaid.min.js").exists()


def test_without_the_script_the_build_warns_once_and_the_page_loads_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv(diagrams.ENVIRONMENT, str(tmp_path / "missing.js"))
    folder = copy_fixtures(tmp_path)
    (folder / "PEP-0009-diagrams.md").write_text(MERMAID_PEP, encoding="utf-8")
    (folder / "PEP-0010-more.md").write_text(MERMAID_PEP.replace("0009", "0010"), encoding="utf-8")
    result = build(folder, tmp_path / "site")
    said = [warning for warning in result.warnings if "Mermaid" in warning]
    assert len(said) == 1 and "missing.js" in said[0] and "not a file" in said[0]
    page = (tmp_path / "site" / "pep" / "PEP-0009-diagrams.html").read_text()
    assert "<script src=\"../static/mermaid" not in page and "shown as its source" in page
    assert not (tmp_path / "site" / "static" / "mermaid.min.js").exists()


# -- focusable code blocks ----------------------------------------------------------------------------


def test_every_pre_is_focusable():
    out = html("```python\nx = 1\n```\n\n```\nplain\n```\n\n    indented\n\n<pre>raw <b>html</b></pre>\n")
    pres = re.findall(r"<pre\b[^>]*>", out)
    assert len(pres) == 4 and all('tabindex="0"' in tag for tag in pres)


def test_rst_code_blocks_are_focusable():
    pytest.importorskip("docutils")
    from pepctl.site.rst import render_rst

    out = render_rst("Title\n=====\n\nText::\n\n    code here\n").html
    pres = re.findall(r"<pre\b[^>]*>", out)
    assert pres and all('tabindex="0"' in tag for tag in pres)


def test_a_page_linking_an_eip_by_file_name_is_rebuilt_when_its_target_appears(tmp_path):
    folder = copy_fixtures(tmp_path)
    linking = folder / "PEP-0008-links.md"
    linking.write_text(MERMAID_PEP.replace("0009", "0008").replace("```mermaid\ngraph TD; A-->B\n```",
                                                                   "See [fees](./eip-1559.md)."), encoding="utf-8")
    build(folder, tmp_path / "site")
    page = tmp_path / "site" / "pep" / "PEP-0008-links.html"
    assert 'class="missing-link"' in page.read_text()
    (folder / "PEP-1559-fees.md").write_text(MERMAID_PEP.replace("0009", "1559"), encoding="utf-8")
    build(folder, tmp_path / "site")
    assert '<a href="../pep/PEP-1559-fees.html">fees</a>' in page.read_text()
