"""Screenshots of vigil's HTML report of a real tree, for docs/: the top of
the page (summary, filters, first findings) and one dataflow finding with
its path marked in the code, found with the page's own filters.

    python3 bench/report_screenshot.py [--vigil target/release/vigil] [--select ALL]

Reviews cinder 29.0.0 (fetched into bench/corpora/ by corpora.py) from its
own folder, writes bench/corpora/cinder-report.html, and has headless
Chromium (Debian's `chromium`) draw docs/html-report.png and
docs/html-report-finding.png. Needs only the machine: the page fetches
nothing."""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

from corpora import CORPORA, sdist

HERE = os.path.dirname(os.path.abspath(__file__))
DOCS = os.path.join(HERE, "..", "docs")


def chromium():
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    sys.exit("no chromium on PATH: apt-get install chromium")


def screenshot(browser, page, out, size):
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--no-first-run", "--hide-scrollbars", "--virtual-time-budget=5000", f"--user-data-dir={profile}",
                        f"--window-size={size}", f"--screenshot={out}", page],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    print(f"wrote {os.path.relpath(out)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vigil", default=os.path.join(HERE, "..", "target", "release", "vigil"))
    parser.add_argument("--select", default="ALL", help="rules to select (default: ALL, for more findings)")
    args = parser.parse_args()
    tree = sdist("cinder", "29.0.0")
    report = os.path.join(CORPORA, "cinder-report.html")
    with open(report, "w") as out:
        # Exit 1 means findings: what we want to look at.
        status = subprocess.run([os.path.abspath(args.vigil), "review", "--select", args.select,
                                 "--format", "html", "cinder"], cwd=tree, stdout=out).returncode
    if status not in (0, 1):
        sys.exit(f"vigil exited with {status}")
    with open(report) as f:
        html = f.read()
    print(f"{report}: {len(html) // 1024} KiB, {html.count('<article class=')} findings")
    browser = chromium()
    url = "file://" + os.path.abspath(report)
    screenshot(browser, url, os.path.join(DOCS, "html-report.png"), "1400,1500")
    # The first dataflow finding (not a log injection, the commonest) whose
    # path has three steps or more, shown as a reader finds it: the page's
    # own filters set to its rule and file, the summary scrolled past.
    # (Headless Chromium draws a blank page when a screenshot is scrolled
    # to a fragment, so the copy hides the summary instead.)
    pattern = r'<article class="finding \w+" id="(f\d+)" data-severity="\w+" data-rules="(T(?!117)\d+)[^"]*" data-path="([^"]*)"'
    for m in re.finditer(pattern, html):
        article = html[m.start():html.index("</article>", m.start())]
        if article.count('class="stepno"') < 3:
            continue
        rule, path = m.group(2), m.group(3)
        show = f"""<script>
document.getElementById("rule-filter").value = "{rule}";
document.getElementById("rule-filter").dispatchEvent(new Event("change"));
document.getElementById("path-filter").value = "{path}";
document.getElementById("path-filter").dispatchEvent(new Event("input"));
document.getElementById("overview").hidden = true;
</script>"""
        at = html.rindex("</body>")
        copy = os.path.join(CORPORA, "cinder-report-finding.html")
        with open(copy, "w") as f:
            f.write(html[:at] + show + html[at:])
        screenshot(browser, "file://" + os.path.abspath(copy), os.path.join(DOCS, "html-report-finding.png"),
                   "1400,1000")
        break

if __name__ == "__main__":
    main()
