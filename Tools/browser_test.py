#!/usr/bin/env python3
"""The web pages in a real browser: headless Chromium through Selenium, axe-core in every page.

Run through Tools/browser-test, which finds the built `incidents` and checks the browser is installed.
Makes a fresh ledger in a temporary folder (40 generated incidents, GitHub's bundled history, and
three open incidents: one with what is due, one titled right to left, one titled with markup), one
token per role and a signing key, starts `incidents serve --listen 127.0.0.1:0`, and checks the pages
(docs/web.md) against the CLI's own answers: what each role sees and may do (docs/server.md, "Roles"),
a forged recording refused, a refused update's rule beside its field, the list and its filter, the
timeline filter, the replay control against `incidents replay --at`,
a public update appearing live in a second window, the review's figures against `incidents review
--format json`, verify and an export from the audit page (checked by Tools/verify-export.py), user
text escaped and isolated, no SEVERE entry in the console, and no serious or critical axe-core
violation on any page at desktop width. With --screenshots DIR it also saves NAME-desktop.png and
NAME-phone.png of every page, full height. Prints one line per failure and exits 1 when any; a page
wider than a phone is a `note:` line, not a failure.
"""
import argparse
import datetime
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import urllib.parse

from axe_selenium_python import Axe
from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException, TimeoutException, WebDriverException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DESKTOP = (1280, 900)
PHONE = (390, 844)
MAX_SCREENSHOT_HEIGHT = 6000
ROLES = ("responder", "reviewer", "auditor", "admin")
STATE_FIELDS = ("phase", "severity", "kind", "title", "eventCount", "publicUpdateCount", "messageCount", "escalationCount", "lastPosition")
# The timeline's kinds as `incidents timeline --json` names them (EventDescription's categories); the
# filter must offer at least the five of issue #16. The page contract's own names map onto them.
TIMELINE_KINDS = ("status", "customer", "public", "internal", "escalation")
KIND_ALIASES = {"communication": "customer", "public_update": "public"}
RECORD_VERBS = ("status", "update", "message", "reply", "escalate", "note")
POSTMORTEM_VERBS = ("postmortem-root-cause", "postmortem-factor", "postmortem-finding", "postmortem-action", "postmortem-start")
RTL_TITLE = "قطعی سرویس پرداخت برای مشتریان تهران"
MARKUP_TITLE = "Checkout down <script>alert(1)</script> & \"quoted\""
CSP_PARTS = ("default-src 'none'", "script-src 'self'", "frame-ancestors 'none'", "form-action 'self'")
WAIT = 10


class Failed(Exception):
    """A check that did not pass; the message is its one line."""


class OutOfTime(Exception):
    """The run went over its time budget."""


def say(message):
    print(f"browser-test: {message}", file=sys.stderr, flush=True)


class Ledger:
    """The fresh ledger in a temporary folder and the `incidents` tool over it."""

    def __init__(self, incidents, work):
        self.incidents = incidents
        self.env = dict(os.environ, INCIDENTS_LEDGER=os.path.join(work, "ledger"))
        self.work = work

    def run(self, *args, stdin=None):
        """Runs `incidents ARGS` and returns its standard output; a failure is one line."""
        done = subprocess.run([self.incidents, *args], input=stdin, capture_output=True, text=True, env=self.env, timeout=120)
        if done.returncode != 0:
            raise Failed(f"`incidents {' '.join(args)}` failed: {done.stderr.strip().splitlines()[-1:] or done.returncode}")
        return done.stdout

    def json(self, *args):
        return json.loads(self.run(*args))

    def fill(self):
        self.run("init")
        generated = self.run("generate", "--incidents", "40", "--seed", "7")
        self.run("append", stdin=generated)
        self.run("import", "statuspage", os.path.join(ROOT, "Data", "githubstatus_incidents_2010-2023.json"))
        self.run("templates", "add", os.path.join(ROOT, "docs", "examples", "templates-en.json"), "--actor", "tool:browser-test")
        # Every generated incident is closed: three open ones to record on, one with what is due.
        now = datetime.datetime.now(datetime.timezone.utc)
        self.open = self.declare("WEB-1", "Checkout errors for customers in the EU", at=now - datetime.timedelta(minutes=25))
        self.run("update", self.open, "--status", "investigating", "--audience", "public", "--channels", "status_page,email",
                 "--text", "We are looking into failed checkouts in the EU.", "--next-update-by", rfc3339(now + datetime.timedelta(minutes=5)),
                 "--at", rfc3339(now - datetime.timedelta(minutes=20)), "--actor", "tool:browser-test")
        self.run("message", self.open, "--message-id", "m-1", "--channel", "email", "--customer", "acct-42", "--tier", "enterprise",
                 "--subject", "Cannot pay", "--at", rfc3339(now - datetime.timedelta(minutes=15)), "--actor", "tool:browser-test")
        self.rtl = self.declare("WEB-2", RTL_TITLE)
        self.markup = self.declare("WEB-3", MARKUP_TITLE)
        self.tokens = {}
        for role in ROLES:
            out = self.run("tokens", "create", "--role", role, "--name", f"browser-{role}", "--actor", "tool:browser-test")
            self.tokens[role] = out.splitlines()[1].strip()
        self.run("keys", "create")
        self.public_key = os.path.join(self.work, "ledger.pub")
        self.run("keys", "export", "--output", self.public_key)

    def declare(self, incident, title, at=None):
        """Declares INCIDENT titled TITLE (now, or AT) and returns its id."""
        when = ["--at", rfc3339(at)] if at else []
        self.run("declare", incident, "--title", title, "--kind", "unplanned", "--severity", "sev2", "--actor", "tool:browser-test", *when)
        return incident

    def show(self, incident):
        """The incident's state: the first line of `incidents show --json` (its events follow)."""
        return json.loads(self.run("show", incident, "--json").splitlines()[0])


class Server:
    """`incidents serve` on a free loopback port."""

    def __init__(self, ledger):
        self.log = open(os.path.join(ledger.work, "server.log"), "w")
        self.process = subprocess.Popen(
            [ledger.incidents, "serve", "--listen", "127.0.0.1:0", "--log-level", "error"],
            stdout=subprocess.PIPE, stderr=self.log, text=True, env=ledger.env)
        first = []
        reader = threading.Thread(target=lambda: first.append(self.process.stdout.readline()), daemon=True)
        reader.start()
        reader.join(60)
        line = first[0] if first else ""
        match = re.match(r"listening on (http://([^: ]+):(\d+))", line)
        if not match:
            self.stop()
            raise Failed(f"the server did not start (see {self.log.name}): {line.strip()!r}")
        say(line.strip())
        self.url, self.host, self.port = match.group(1), match.group(2), int(match.group(3))
        # Nothing else is read from standard output: drain it so the server never blocks on it.
        threading.Thread(target=lambda: [None for _ in self.process.stdout], daemon=True).start()

    def request(self, method, path, cookie=None, form=None):
        """One request without following redirects: (status, headers, body)."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=15)
        headers = {}
        if cookie:
            headers["Cookie"] = cookie
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body, headers)
            response = connection.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read().decode("utf-8", "replace")
        finally:
            connection.close()

    def stop(self):
        """SIGTERM, and whether it exited cleanly."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                return False
        return self.process.returncode == 0


class Browser:
    """One headless Chromium with its own profile and download folder."""

    def __init__(self, server, work, name):
        self.server = server
        self.name = name
        self.downloads = os.path.join(work, f"downloads-{name}")
        os.makedirs(self.downloads)
        options = Options()
        options.binary_location = "/usr/bin/chromium"
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--lang=en-US",
                         f"--window-size={DESKTOP[0]},{DESKTOP[1]}", f"--user-data-dir={os.path.join(work, 'profile-' + name)}"):
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        options.add_experimental_option("prefs", {"download.default_directory": self.downloads, "download.prompt_for_download": False})
        self.driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        self.driver.set_page_load_timeout(30)
        self.driver.set_script_timeout(30)
        self.driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": self.downloads})
        self.page = "(no page)"

    # Navigation and reading.

    def get(self, path, page=None, expect_status=None):
        """Opens PATH on the server; the console is checked when the next page opens or at check_console."""
        self.check_console()
        self.driver.get(self.server.url + path)
        self.loaded(page or path, expect_status)

    def loaded(self, page, expect_status=None):
        """Marks the page now open (after a navigation by a click or a submit)."""
        WebDriverWait(self.driver, WAIT).until(lambda d: d.execute_script("return document.readyState") == "complete")
        self.page = page
        self.expect_status = expect_status

    def path(self):
        parts = urllib.parse.urlsplit(self.driver.current_url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def all(self, selector, within=None):
        return (within or self.driver).find_elements(By.CSS_SELECTOR, selector)

    def one(self, selector, within=None):
        found = self.all(selector, within)
        if not found:
            raise Failed(f"{self.page}: no `{selector}`")
        return found[0]

    def wait_for(self, selector, seconds=WAIT):
        try:
            WebDriverWait(self.driver, seconds).until(lambda d: d.find_elements(By.CSS_SELECTOR, selector))
        except TimeoutException:
            raise Failed(f"{self.page}: `{selector}` did not appear within {seconds} s") from None
        return self.one(selector)

    def text(self, selector, within=None):
        return self.one(selector, within).get_attribute("textContent").strip()

    def submit(self, form, page=None, expect_status=None, button=None):
        """Submits FORM as a person would (its submit button, or the one BUTTON selects), and waits for the next page."""
        self.check_console()
        old = self.driver.find_element(By.TAG_NAME, "html")
        press(self.driver, form, button)
        try:
            WebDriverWait(self.driver, WAIT).until(lambda d: _stale(old))
        except TimeoutException:
            raise Failed(f"{self.page}: submitting form#{form.get_attribute('id') or form.get_attribute('data-verb')} loaded no page within {WAIT} s") from None
        self.loaded(page or self.page, expect_status)

    def cookie(self, name):
        found = self.driver.get_cookie(name)
        return found["value"] if found else None

    # Checks every page gets.

    def check_console(self):
        """No SEVERE entry in the console of the page open until now (an expected error status aside)."""
        for entry in self.driver.get_log("browser"):
            if entry.get("level") != "SEVERE":
                continue
            message = entry.get("message", "")
            status = getattr(self, "expect_status", None)
            if status and f"status of {status}" in message:
                continue
            record(f"console on {self.page} ({self.name}): {message[:240]}")

    def axe(self, page):
        """axe-core on the open page: every serious or critical violation is a failure."""
        engine = Axe(self.driver)
        engine.inject()
        self.driver.set_script_timeout(180)
        try:
            results = engine.run(options='{"resultTypes": ["violations"]}')
        finally:
            self.driver.set_script_timeout(30)
        for violation in results.get("violations", []):
            if violation.get("impact") in ("serious", "critical"):
                nodes = violation.get("nodes") or [{}]
                target = (nodes[0].get("target") or ["?"])[0]
                record(f"axe on {page}: {violation['id']} ({violation['impact']}) at `{target}`, {len(nodes)} element(s): {violation.get('help', '')}")

    def emulate(self, size, mobile, height=None):
        """The viewport at SIZE (a phone's: mobile, overlay scrollbars); HEIGHT for a full-page picture."""
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": size[0], "height": height or size[1], "deviceScaleFactor": 1, "mobile": mobile})

    def phone_overflow(self, page):
        """A note when the page is wider than a phone's screen (a table may scroll inside its own box)."""
        self.emulate(PHONE, True)
        try:
            wide = self.driver.execute_script("return document.documentElement.scrollWidth")
            if wide > PHONE[0] + 1:
                # The outermost element sticking out that no scrolling box of its own holds in.
                culprit = self.driver.execute_script(
                    "const w = document.documentElement.clientWidth;"
                    "const held = e => { for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {"
                    "  if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(p).overflowX)) return true; } return false; };"
                    "const e = Array.from(document.querySelectorAll('body *')).find(e => e.getBoundingClientRect().right > w + 1 && !held(e));"
                    "return e ? e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ')[0] : '') : '?'")
                say(f"note: {page} is {wide} px wide on a {PHONE[0]} px phone (first too wide: `{culprit}`)")
        finally:
            self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    def screenshot(self, folder, page):
        """NAME-desktop.png and NAME-phone.png, the whole page up to MAX_SCREENSHOT_HEIGHT pixels."""
        for label, size, mobile in (("desktop", DESKTOP, False), ("phone", PHONE, True)):
            self.emulate(size, mobile)
            time.sleep(0.2)
            full = self.driver.execute_script("return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)")
            self.emulate(size, mobile, min(max(full, size[1]), MAX_SCREENSHOT_HEIGHT))
            self.driver.execute_script("window.scrollTo(0, 0)")
            time.sleep(0.3)
            self.driver.save_screenshot(os.path.join(folder, f"{page}-{label}.png"))
        self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    # Sessions.

    def sign_in(self, secret, role=None):
        """Signs in with SECRET from a clean slate and lands on /incidents."""
        self.driver.delete_all_cookies()
        self.get("/sign-in", "sign-in")
        form = self.one("form#sign-in")
        self.one("input#token[name=token]", form).send_keys(secret)
        self.submit(form, "incidents")
        if not self.path().startswith("/incidents"):
            raise Failed(f"signing in as {role or 'a token'} landed on {self.path()}, not /incidents")
        if not self.cookie("incidents_session"):
            raise Failed(f"signing in as {role or 'a token'} set no incidents_session cookie")

    def quit(self):
        try:
            self.driver.quit()
        except WebDriverException:
            pass


def press(driver, form, selector=None):
    """Presses FORM's first visible submit button (or the one SELECTOR picks), or submits it when it shows none."""
    selector = selector or "button[type=submit], input[type=submit], button:not([type])"
    buttons = [button for button in form.find_elements(By.CSS_SELECTOR, selector) if button.is_displayed()]
    if buttons:
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", buttons[0])
        buttons[0].click()
    else:
        driver.execute_script("arguments[0].requestSubmit()", form)


def _stale(element):
    try:
        element.tag_name
        return False
    except WebDriverException:
        return True


FAILURES = []


def record(message):
    FAILURES.append(message)
    say(f"FAIL {message}")


def check(condition, message):
    if not condition:
        record(message)
    return condition


def fill(browser, form, values):
    """Sets each named control of FORM: text, selects, radios and checkboxes (a list of values).

    A form inside a closed disclosure (`details`) is opened first, as a person would.
    """
    browser.driver.execute_script("const d = arguments[0].closest('details'); if (d && !d.open) d.querySelector('summary').click()", form)
    for name, value in values.items():
        controls = browser.all(f"[name='{name}']", form)
        if not controls:
            raise Failed(f"{browser.page}: the form has no control named {name}")
        first = controls[0]
        tag, kind = first.tag_name.lower(), (first.get_attribute("type") or "").lower()
        if tag == "select":
            Select(first).select_by_value(value)
        elif kind in ("checkbox", "radio"):
            wanted = set(value if isinstance(value, list) else [value])
            for control in controls:
                if control.is_selected() != (control.get_attribute("value") in wanted):
                    browser.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", control)
                    control.click()
        elif kind == "datetime-local":
            browser.driver.execute_script("arguments[0].value = arguments[1]", first, value.replace(" ", "T"))
        else:
            first.clear()
            first.send_keys(value)


def shows(cell, want):
    """Whether a `dd[data-field]` shows WANT (a value of the CLI's JSON): its data-value, else its text."""
    expected = "" if want is None else str(want)
    value = cell.get_attribute("data-value")
    text = cell.get_attribute("textContent").strip()
    if value is None:
        return text == expected or (want is None and text in ("—", "-", "not recorded")), text
    return value == expected and (want is None or text == expected), value if value != expected else text


def rfc3339(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def quarter_of(timestamp):
    moment = datetime.datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
    return f"{moment.year}-Q{(moment.month - 1) // 3 + 1}"


class Run:
    """The scenarios, in order, each reporting its own failures and going on to the next."""

    def __init__(self, ledger, server, work, screenshots):
        self.ledger, self.server, self.work, self.screenshots = ledger, server, work, screenshots
        if screenshots:
            # Before the first scenario: the refused and templated updates are pictured before every page is.
            os.makedirs(screenshots, exist_ok=True)
        self.browsers = []
        self.pick_incidents()

    def browser(self, name):
        browser = Browser(self.server, self.work, name)
        self.browsers.append(browser)
        return browser

    def pick_incidents(self):
        """The generated incident whose pages are checked and pictured; the open one to record on."""
        listed = [json.loads(line) for line in self.ledger.run("list", "--json").splitlines() if line.strip()]
        generated = [item for item in listed if item["incident"].startswith("INC-")]
        if not generated:
            raise Failed("the generator made no INC- incidents")
        # The smallest with an escalation and a published postmortem: every part of the pages has
        # something to show, and axe-core checks its page in seconds (a 400-event page takes a minute).
        full = [item for item in generated if item.get("escalationCount", 0) > 0 and item.get("postmortem") == "published"]
        self.subject = min(full or generated, key=lambda item: item.get("eventCount", 0))["incident"]
        self.open = self.ledger.open
        self.listed = listed

    def incident_path(self, incident, suffix=""):
        return "/incidents/" + urllib.parse.quote(incident, safe="") + suffix

    def scenario(self, name, body):
        say(f"{name} …")
        started = time.monotonic()
        try:
            body()
        except Failed as failure:
            record(f"{name}: {failure}")
        except OutOfTime:
            raise
        except (WebDriverException, OSError, KeyError, ValueError, subprocess.SubprocessError) as error:
            record(f"{name}: {type(error).__name__}: {str(error).strip().splitlines()[0] if str(error).strip() else ''}")
        for browser in self.browsers:
            try:
                browser.check_console()
            except WebDriverException:
                pass
        say(f"{name} done in {time.monotonic() - started:.1f} s")

    def all(self):
        self.a = self.browser("a")
        self.scenario("signed out", self.signed_out)
        self.scenario("incident list", self.incident_list)
        self.scenario("roles", self.roles)
        self.scenario("forged recording", self.forged)
        self.scenario("timeline filter", self.timeline_filter)
        self.scenario("replay", self.replay)
        self.scenario("refused update", self.refused_update)
        self.scenario("templated update", self.templated_update)
        self.scenario("live update", self.live_update)
        self.scenario("review", self.review)
        self.scenario("audit", self.audit)
        self.scenario("user text", self.user_text)
        self.scenario("every page", self.every_page)

    # Scenarios.

    def signed_out(self):
        a = self.a
        a.driver.delete_all_cookies()
        a.get("/incidents", "incidents (signed out)")
        check(a.path().startswith("/sign-in") and "next=" in a.path(), f"signed out, /incidents went to {a.path()}, not /sign-in?next=…")
        form = a.one("form#sign-in")
        check(a.one("input#token", form).get_attribute("type") == "password", "sign-in: input#token is not type=password")
        check(bool(a.all("input[type=hidden][name=csrf]", form)), "sign-in: form#sign-in has no hidden csrf field")
        a.one("input#token", form).send_keys("il_" + "0" * 64)
        a.submit(form, "sign-in (bad token)", expect_status=401)
        check(bool(a.all("p.error[role=alert]")), "sign-in with a bad token: no p.error[role=alert]")
        check(not a.cookie("incidents_session"), "sign-in with a bad token set a session cookie")
        a.sign_in(self.ledger.tokens["responder"], "responder")
        session = a.driver.get_cookie("incidents_session")
        check(session.get("httpOnly") is True, "the session cookie is not HttpOnly")
        check(session.get("sameSite") == "Strict", f"the session cookie is SameSite={session.get('sameSite')}, not Strict")
        check(session.get("path") == "/", f"the session cookie's path is {session.get('path')}, not /")
        lifetime = session.get("expiry", 0) - time.time()
        check(7 * 3600 < lifetime <= 8 * 3600 + 60, f"the session cookie lasts {lifetime / 3600:.1f} h, not 8 h")
        a.submit(a.one("form#sign-out"), "signed out")
        a.get("/incidents", "incidents (after sign-out)")
        check(a.path().startswith("/sign-in"), f"after signing out, /incidents went to {a.path()}, not /sign-in")
        # `next` brings a person back where they were going.
        target = self.incident_path(self.subject)
        a.get(target, "incident (signed out)")
        form = a.one("form#sign-in")
        a.one("input#token", form).send_keys(self.ledger.tokens["reviewer"])
        a.submit(form, "incident")
        check(a.path() == target, f"signing in with next={target} landed on {a.path()}")

    def incident_list(self):
        a = self.a
        a.sign_in(self.ledger.tokens["responder"], "responder")
        a.get("/incidents", "incidents")
        count = a.text("p#count")
        check(count.split()[0] == str(len(self.listed)), f"incidents: p#count says {count!r}, `incidents list` lists {len(self.listed)}")
        rows = a.all("table#incidents tbody tr[data-incident]")
        opened = set(self.ledger.run("list", "--status", "open", "--ids").split())
        first = [row.get_attribute("data-incident") for row in rows[:len(opened)]]
        check(set(first) == opened, f"incidents: the first rows are {first}, not the open incidents {sorted(opened)}")
        web = [row for row in rows if row.get_attribute("data-incident") == self.open]
        if check(bool(web), f"incidents: no row for {self.open}"):
            due = {item.get_attribute("data-kind") for item in a.all("td.due li.due-item", web[0])}
            # The enterprise customer's message, 15 minutes old, owes a first reply within 30 (the policy's target): due within the window.
            check("first-reply" in due, f"incidents: {self.open}'s td.due lists {sorted(due)}, not the first reply its customer message is owed")
            a.one(f"a[href='{self.incident_path(self.open)}']", web[0])
        # A filter is the CLI's: the open ones are `incidents list --status open`.
        form = a.one("form#filters")
        a.driver.execute_script("arguments[0].value = 'open'", a.one("[name=status]", form))
        a.submit(form, "incidents (status open)")
        shown = {row.get_attribute("data-incident") for row in a.all("table#incidents tbody tr[data-incident]")}
        check(shown == opened, f"incidents?status=open shows {sorted(shown)}, `incidents list --status open` {sorted(opened)}")
        check("status=open" in a.path(), f"the filters' address {a.path()} does not hold status=open")
        # The next page holds other incidents.
        a.get("/incidents", "incidents")
        nxt = a.all("nav.pagination a[rel=next]")
        if check(bool(nxt), "incidents: no nav.pagination a[rel=next] with more incidents than a page"):
            before = {row.get_attribute("data-incident") for row in a.all("table#incidents tbody tr[data-incident]")}
            href = nxt[0].get_attribute("href").replace(self.server.url, "")
            a.get(href, "incidents (page 2)")
            after = {row.get_attribute("data-incident") for row in a.all("table#incidents tbody tr[data-incident]")}
            check(after and not (after & before), f"incidents: the next page ({href}) repeats or lacks rows")
            check(bool(a.all("nav.pagination a[rel=prev]")), "incidents: page 2 has no a[rel=prev]")

    def roles(self):
        a = self.a
        incident = self.incident_path(self.subject)
        for role in ROLES:
            a.sign_in(self.ledger.tokens[role], role)
            who = a.text("span#who")
            check(role in who and f"browser-{role}" in who, f"{role}: span#who says {who!r}, not 'browser-{role} · {role}'")
            links = {link.get_attribute("href").replace(self.server.url, "") for link in a.all("header nav#site a")}
            for must in ("/incidents", "/review", "/playbook"):
                check(must in links, f"{role}: nav#site has no link to {must}")
            # docs/server.md, "Roles": only a responder records incident events, only a reviewer the postmortem.
            audits = role in ("auditor", "admin")
            records = role == "responder"
            reviews = role == "reviewer"
            check(("/audit" in links) == audits, f"{role}: nav#site {'lacks' if audits else 'has'} the Audit link")
            a.get(incident, f"incident as {role}")
            verbs = {form.get_attribute("data-verb") for form in a.all("section#record form.record")}
            if records:
                check(verbs >= set(RECORD_VERBS), f"{role}: section#record lacks forms for {sorted(set(RECORD_VERBS) - verbs)}")
                for form in a.all("section#record form.record"):
                    check(bool(a.all("input[type=hidden][name=csrf]", form)), f"{role}: form.record[data-verb={form.get_attribute('data-verb')}] has no csrf field")
            else:
                check(not a.all("section#record form"), f"{role}: the incident page offers recording forms ({sorted(verbs)})")
            a.get(incident + "/postmortem", f"postmortem as {role}")
            verbs = {form.get_attribute("data-verb") for form in a.all("form.record")}
            if reviews:
                check(verbs >= set(POSTMORTEM_VERBS), f"{role}: the postmortem page lacks forms for {sorted(set(POSTMORTEM_VERBS) - verbs)}")
            else:
                check(not verbs, f"{role}: the postmortem page offers forms {sorted(verbs)}")
            status, _, _ = self.server.request("GET", "/audit", cookie=f"incidents_session={a.cookie('incidents_session')}")
            check((status == 200) == audits, f"{role}: GET /audit answered {status}")
            if audits:
                a.get("/audit", f"audit as {role}")
                a.one("section#head")
            # The role may not record what it is not shown: a POST with its own csrf value is refused.
            if not records:
                self.refused_post(a, role)

    def refused_post(self, a, role):
        """A role without recording rights posting a note with a right csrf value is refused, nothing recorded."""
        before = self.ledger.show(self.open)["eventCount"]
        a.get(self.incident_path(self.open), f"incident as {role}")
        csrf = a.all("input[name=csrf]")
        form = {"text": "not allowed", "csrf": csrf[0].get_attribute("value") if csrf else ""}
        status, _, _ = self.server.request("POST", self.incident_path(self.open, "/record/note"), cookie=self.session_cookie(a), form=form)
        check(status in (403, 404), f"{role}: POST …/record/note answered {status}, not 403")
        check(self.ledger.show(self.open)["eventCount"] == before, f"{role}: a note was recorded through a page that offers no form")

    def session_cookie(self, browser):
        """The Cookie header the browser itself would send."""
        return "; ".join(f"{c['name']}={c['value']}" for c in browser.driver.get_cookies())

    def forged(self):
        a = self.a
        a.sign_in(self.ledger.tokens["responder"], "responder")
        path = self.incident_path(self.open)
        before = self.ledger.show(self.open)["eventCount"]
        # From the page itself: the note form with its csrf field removed, then with it changed.
        for how, script in (("removed", "arguments[0].remove()"), ("changed", "arguments[0].value = 'forged' + arguments[0].value.slice(6)")):
            a.get(path, "incident (forged)")
            form = a.one("form.record[data-verb=note]")
            a.driver.execute_script(script, a.one("input[name=csrf]", form))
            fill(a, form, {"text": f"forged note, csrf {how}"})
            a.submit(form, f"refused note (csrf {how})", expect_status=403)
            check(bool(a.all("p.error")), f"a note with its csrf field {how}: the answer has no p.error")
            check(self.ledger.show(self.open)["eventCount"] == before, f"a note with its csrf field {how} was recorded")
        # From outside, with the session cookie: without csrf, and with a wrong one.
        cookie = self.session_cookie(a)
        for how, form in (("without csrf", {"text": "forged"}), ("with a wrong csrf", {"text": "forged", "csrf": "0" * 43})):
            status, _, _ = self.server.request("POST", self.incident_path(self.open, "/record/note"), cookie=cookie, form=form)
            check(status == 403, f"a note posted {how} answered {status}, not 403")
        check(self.ledger.show(self.open)["eventCount"] == before, "a forged note was recorded")
        # The same form untouched is recorded: the refusals above were the csrf check's.
        a.get(path, "incident")
        form = a.one("form.record[data-verb=note]")
        fill(a, form, {"text": "a genuine note from the browser test"})
        a.submit(form, "incident (after a note)")
        after = self.ledger.show(self.open)["eventCount"]
        check(after == before + 1, f"the untouched note form recorded {after - before} events, not 1 (at {a.path()})")
        check(re.search(r"#event-\d+$", a.driver.current_url) is not None, f"after recording a note the page is {a.driver.current_url}, not …#event-N")

    def timeline_filter(self):
        a = self.a
        a.sign_in(self.ledger.tokens["reviewer"], "reviewer")
        entries = [json.loads(line) for line in self.ledger.run("timeline", self.subject, "--json").splitlines() if line.strip()]
        entries = [entry for entry in entries if "position" in entry]
        a.get(self.incident_path(self.subject), "incident")
        shown = [row.get_attribute("data-position") for row in a.all("#timeline tbody tr[data-position]")]
        check(sorted(map(int, shown)) == sorted(entry["position"] for entry in entries),
              f"incident {self.subject}: table#timeline shows {len(shown)} rows, `incidents timeline` {len(entries)}")
        for row in a.all("#timeline tbody tr[data-position]")[:3]:
            check(row.get_attribute("id") == f"event-{row.get_attribute('data-position')}", f"timeline row {row.get_attribute('data-position')} has id {row.get_attribute('id')!r}")
        offered = [box.get_attribute("value") for box in a.all("form#timeline-filter input[type=checkbox][name=kind]")]
        lacking = set(TIMELINE_KINDS) - {KIND_ALIASES.get(kind, kind) for kind in offered}
        check(not lacking, f"form#timeline-filter offers kinds {offered}, without {sorted(lacking)}")
        kinds = [kind for kind in offered if any(entry["kind"] == KIND_ALIASES.get(kind, kind) for entry in entries)]
        if len(kinds) < 2:
            raise Failed(f"{self.subject} has entries of fewer than two of the filter's kinds ({kinds}); pick a richer incident")
        for kind in kinds:
            a.get(self.incident_path(self.subject), "incident")
            form = a.one("form#timeline-filter")
            # Set without change events (the script applies the filter on each change), then Apply.
            a.driver.execute_script("arguments[0].querySelectorAll('input[name=kind]').forEach(b => { b.checked = b.value === arguments[1] })", form, kind)
            a.submit(form, f"incident (timeline of {kind})")
            check(f"kind={kind}" in a.path(), f"the timeline filter's URL {a.path()} does not hold kind={kind}")
            shown = sorted(int(row.get_attribute("data-position")) for row in a.all("#timeline tbody tr[data-position]"))
            wanted = sorted(entry["position"] for entry in entries if entry["kind"] == KIND_ALIASES.get(kind, kind))
            check(shown == wanted, f"the timeline filtered to {kind} shows positions {shown[:8]}…, the CLI's entries of that kind are {wanted[:8]}…")
            say(f"  timeline of {self.subject} filtered to {kind}: {len(shown)} rows, `incidents timeline` has {len(wanted)}")
            boxes = {box.get_attribute("value"): box.is_selected() for box in a.all("form#timeline-filter input[name=kind]")}
            check(boxes.get(kind) and sum(boxes.values()) == 1, f"after filtering to {kind} the checkboxes are {boxes}")

    def replay(self):
        a = self.a
        a.sign_in(self.ledger.tokens["reviewer"], "reviewer")
        path = self.incident_path(self.subject, "/replay")
        a.get(path, "replay")
        control = a.one("input#replay-step")
        check(control.get_attribute("type") == "range", "input#replay-step is not type=range")
        last = int(control.get_attribute("max") or 0)
        check(last == self.ledger.show(self.subject)["eventCount"], f"input#replay-step goes to {last}, the incident has {self.ledger.show(self.subject)['eventCount']} events")
        step = max(1, last // 2)
        # Letting go of the slider loads the step (the script submits on change); without the script, Show step does.
        old = a.driver.find_element(By.TAG_NAME, "html")
        a.check_console()
        a.driver.execute_script("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true})); arguments[0].dispatchEvent(new Event('change', {bubbles: true}))", control, str(step))
        try:
            WebDriverWait(a.driver, 5).until(lambda d: _stale(old))
            a.loaded(f"replay step {step}")
        except TimeoutException:
            record(f"replay: moving input#replay-step did not load the step (the script's change handler)")
            a.submit(a.one("form#replay"), f"replay step {step}")
        check(f"step={step}" in a.path(), f"replay: after moving the slider to {step} the address is {a.path()}")
        self.compare_replay(a, f"step {step}")
        for _ in range(1):
            nxt = a.one("a#step-next")
            old = a.driver.find_element(By.TAG_NAME, "html")
            a.check_console()
            nxt.click()
            WebDriverWait(a.driver, WAIT).until(lambda d: _stale(old))
            a.loaded("replay (next step)")
            self.compare_replay(a, "after a#step-next")
        # As occurred: the same moment with everything learned since.
        form = a.one("form#replay")
        fill(a, form, {"mode": "occurred"})
        a.submit(form, "replay as occurred")
        self.compare_replay(a, "as occurred")

    def compare_replay(self, a, label):
        """section#replay-state against `incidents replay INC --at T --json` for the moment the page holds."""
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(a.driver.current_url).query)
        moment = (query.get("at") or [a.one("input#replay-at").get_attribute("value")])[0]
        if not moment:
            raise Failed(f"replay {label}: neither the URL ({a.path()}) nor input#replay-at holds the moment")
        mode = (query.get("mode") or ["known"])[0]
        args = ["replay", self.subject, "--at", moment, "--json"] + (["--as-occurred"] if mode == "occurred" else [])
        expected = self.ledger.json(*args)
        check(bool(a.text("p#replay-moment")), f"replay {label}: p#replay-moment is empty")
        say(f"  replay {label}: the page's state against `incidents replay {self.subject} --at {moment}{' --as-occurred' if mode == 'occurred' else ''}` (eventCount {expected.get('eventCount')})")
        for field in STATE_FIELDS:
            cells = a.all(f"section#replay-state dd[data-field={field}]")
            if not check(bool(cells), f"replay {label}: no section#replay-state dd[data-field={field}]"):
                continue
            want = expected.get(field)
            same, shown = shows(cells[0], want)
            check(same, f"replay {label} at {moment} ({mode}): {field} shows {shown!r}, `incidents {' '.join(args[:2])} --at {moment}{' --as-occurred' if mode == 'occurred' else ''}` says {want!r}")

    def refused_update(self):
        """A public update promising its next one in the past: refused by the rule, beside the field, nothing recorded."""
        a = self.a
        a.sign_in(self.ledger.tokens["responder"], "responder")
        before = self.ledger.show(self.open)["eventCount"]
        a.get(self.incident_path(self.open), "incident")
        form = a.one("form.record[data-verb=update]")
        text = "We have found the cause (this promise is in the past)"
        fill(a, form, {"status": "identified", "audience": "public", "channels": ["status_page"], "text": text, "nextUpdateBy": "2001-01-01 00:00"})
        a.submit(form, "incident-refused", expect_status=422)
        check(self.ledger.show(self.open)["eventCount"] == before, "a refused update was recorded")
        errors = a.all("p.field-error#update-nextUpdateBy-error")
        if check(bool(errors), f"the refused update shows no p.field-error#update-nextUpdateBy-error (errors: {[e.get_attribute('id') for e in a.all('p.field-error, p.error')]})"):
            control = a.one("form.record[data-verb=update] [name=nextUpdateBy]")
            check("update-nextUpdateBy-error" in (control.get_attribute("aria-describedby") or ""), "the refused field is not aria-describedby its error")
        kept = a.one("form.record[data-verb=update] [name=text]").get_attribute("value")
        check(kept == text, f"the refused form did not keep the text typed ({kept!r})")
        a.axe("incident-refused")
        if self.screenshots:
            a.screenshot(self.screenshots, "incident-refused")

    def templated_update(self):
        """The template form: a preview of every channel's text on the page (nothing recorded; axe with it shown), then a publication."""
        a = self.a
        a.sign_in(self.ledger.tokens["responder"], "responder")
        before = self.ledger.show(self.open)["eventCount"]
        a.get(self.incident_path(self.open), "incident")
        form = a.one("form.record[data-verb=template]")
        offered = {option.get_attribute("value") for option in a.all("select[name=template] option", form)}
        listed = {json.loads(line)["templateId"] for line in self.ledger.run("templates", "list", "--json").splitlines() if line.strip()}
        check(offered == listed, f"the template form offers {sorted(offered)}, `incidents templates list` has {sorted(listed)}")
        # WEB-1 records no scope: the placeholders' values give it, as `--set` would.
        fill(a, form, {"template": "acknowledge-en", "channels": ["status_page", "sms"], "values": "service=Checkout\nregions=the EU"})
        a.submit(form, "incident-template", button="button[name=intent][value=preview]")
        check(self.ledger.show(self.open)["eventCount"] == before, "a preview of a templated update was recorded")
        items = a.all("section#template-preview li[data-channels]")
        channels = sorted(item.get_attribute("data-channels") for item in items)
        check(channels == ["sms", "status_page"], f"the preview shows texts for {channels}, not sms and status_page")
        for item in items:
            text = a.text("p.text", item)
            check("Checkout" in text and "the EU" in text and "{" not in text, f"the preview's {item.get_attribute('data-channels')} text is not filled: {text!r}")
        chosen = Select(a.one("form.record[data-verb=template] select[name=template]")).first_selected_option.get_attribute("value")
        check(chosen == "acknowledge-en", f"after the preview the form's template is {chosen!r}, not the one chosen")
        a.axe("incident-template")
        a.phone_overflow("incident-template")
        if self.screenshots:
            a.screenshot(self.screenshots, "incident-template")
        a.submit(a.one("form.record[data-verb=template]"), "incident (after a templated update)", button="button[name=intent][value=publish]")
        if not re.search(r"#event-\d+$", a.driver.current_url):
            errors = [e.get_attribute("textContent").strip() for e in a.all("p.error, p.field-error")]
            raise Failed(f"the templated update was not recorded: the page is {a.path()}, saying {errors}")
        events = [json.loads(line) for line in self.ledger.run("show", self.open, "--json").splitlines()[1:] if line.strip()]
        templated = [event for event in events if event.get("payload", {}).get("templateId") == "acknowledge-en"]
        check(len(events) == before + 2 and len(templated) == 2,
              f"publishing recorded {len(events) - before} events, {len(templated)} of them from acknowledge-en, not 2 and 2")

    def live_update(self):
        a, b = self.a, self.browser("b")
        a.sign_in(self.ledger.tokens["responder"], "responder")
        b.sign_in(self.ledger.tokens["reviewer"], "reviewer")
        path = self.incident_path(self.open)
        b.get(path, "incident (window B)")
        b.one("main[data-live]")
        before = {row.get_attribute("data-position") for row in b.all("#timeline tbody tr[data-position]")}
        b.driver.execute_script("window.browserTestMarker = 'still this page'")
        time.sleep(1)  # the stream connects
        a.get(path, "incident (window A)")
        form = a.one("form.record[data-verb=update]")
        text = f"Browser test: the fix is rolling out ({int(time.time())})"
        promised = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=30)).strftime("%Y-%m-%d %H:%M")
        fill(a, form, {"status": "identified", "audience": "public", "channels": ["status_page"], "text": text, "nextUpdateBy": promised})
        a.submit(form, "incident (after an update)")
        match = re.search(r"#event-(\d+)$", a.driver.current_url)
        if not match:
            errors = [e.get_attribute("textContent").strip() for e in a.all("p.error, p.field-error")]
            raise Failed(f"the public update was not recorded: the page is {a.path()}, saying {errors}")
        position = match.group(1)
        check(position not in before, f"window B already had row {position}")
        started = time.monotonic()
        row = b.wait_for(f"#timeline tbody tr[data-position='{position}']")
        say(f"  the update (#{position}) appeared in window B after {time.monotonic() - started:.1f} s, without a reload")
        check(text in row.get_attribute("textContent"), f"window B's new row {position} does not hold the update's text")
        check(b.path() == path, f"window B moved to {b.path()}")
        check(b.driver.execute_script("return window.browserTestMarker") == "still this page", "window B reloaded the page instead of updating it in place")
        b.check_console()

    def review(self):
        a = self.a
        a.sign_in(self.ledger.tokens["reviewer"], "reviewer")
        period = self.review_period()
        a.get(f"/review?period={period}", "review")
        form = a.one("form#period")
        check(a.one("input[name=period]", form).get_attribute("value") == period, f"review: form#period does not hold {period}")
        figures = self.cli_review_counts(period)
        rows = a.all("#figures tbody tr[data-metric]")
        check(len(rows) > 0, f"review {period}: no #figures tbody tr[data-metric] rows")
        compared = 0
        for row in rows:
            name = row.get_attribute("data-metric")
            cells = a.all("td.current[data-count]", row)
            if not check(bool(cells), f"review {period}: tr[data-metric={name}] has no td.current[data-count]"):
                continue
            shown = cells[0].get_attribute("data-count")
            if check(name in figures, f"review {period}: metric {name} is not in `incidents review --format json`"):
                compared += 1
                check(shown == str(figures[name]), f"review {period}: {name} shows data-count={shown}, `incidents review` says {figures[name]}")
        say(f"  review {period}: {compared} figures compared with `incidents review {period} --format json`")
        missing = sorted(set(figures) - {row.get_attribute("data-metric") for row in rows})
        check(not missing, f"review {period}: table#figures lacks the CLI's metrics {missing[:6]}")
        check(bool(a.all("a.download[data-format=csv]")), f"review {period}: no a.download[data-format=csv]")
        # The drill-down from the first figure with incidents behind it.
        drills = [row for row in rows if a.all("a.drill", row) and a.all("td.current[data-count]", row)
                  and a.one("td.current[data-count]", row).get_attribute("data-count") not in ("0", "")]
        if check(bool(drills), f"review {period}: no a.drill on a figure with a count"):
            row = drills[0]
            name = row.get_attribute("data-metric")
            link = a.one("a.drill", row)
            expected = f"/review/metric/{name}?period={period}"
            check(link.get_attribute("href").replace(self.server.url, "") == expected, f"review: a.drill of {name} goes to {link.get_attribute('href')}, not {expected}")
            a.get(expected, "review-drill")
            ids = sorted(r.get_attribute("data-incident") for r in a.all("table#drill tbody tr[data-incident]"))
            behind = self.ledger.json("metrics", name, "--by", "incident", "--period", period, "--format", "json")
            wanted = sorted(group["name"] for group in behind.get("groups", []))
            check(len(ids) > 0 and ids == wanted, f"review-drill {name} {period}: table#drill lists {ids}, `incidents metrics {name} --by incident --period {period}` {wanted}")
            self.drill = expected

    def review_period(self):
        """The quarter holding the most generated incidents."""
        quarters = {}
        for item in self.listed:
            if item["incident"].startswith("INC-") and item.get("declaredAt"):
                quarters[quarter_of(item["declaredAt"])] = quarters.get(quarter_of(item["declaredAt"]), 0) + 1
        if not quarters:
            raise Failed("no generated incident has a declaredAt in `incidents list --json`")
        self.period = max(quarters, key=quarters.get)
        return self.period

    def cli_review_counts(self, period):
        """Each observed metric's count in `incidents review P --format json`: its rows' metric and current.count.

        A row with nothing observed and nothing left out in either period is named, not tabled (as in the
        CLI's HTML review), so it is left out here too.
        """
        review = self.ledger.json("review", period, "--format", "json")
        counts = {row["metric"]: row["current"]["count"] for row in review.get("rows", [])
                  if row["current"]["count"] or row["previous"]["count"] or row["current"]["excluded"] or row["previous"]["excluded"]}
        if not counts:
            raise Failed(f"`incidents review {period} --format json` has no rows")
        return counts

    def audit(self):
        a = self.a
        a.sign_in(self.ledger.tokens["auditor"], "auditor")
        a.get("/audit", "audit")
        position = a.text("section#head dd[data-field=position]")
        hash_ = a.text("section#head dd[data-field=hash]")
        check(position.isdigit() and int(position) > 0, f"audit: the head's position is {position!r}")
        check(re.fullmatch(r"[0-9a-f]{64}", hash_) is not None, f"audit: the head's hash is {hash_!r}")
        for section in ("section#checkpoint", "section#how-to-check"):
            check(bool(a.all(section)), f"audit: no {section}")
        a.submit(a.one("form#verify, #verify form"), "audit (verified)")
        result = a.all("section#verify-result")
        check(bool(result) and result[0].get_attribute("data-ok") == "true",
              f"audit: verify gave {result[0].get_attribute('data-ok') if result else 'no section#verify-result'}, not data-ok=true")
        # The whole ledger, then one incident with CSV: each downloaded, unpacked and checked independently.
        self.export(a, {}, "full")
        self.export(a, {"incident": self.subject, "csv": True}, f"incident {self.subject} with CSV")

    def export(self, a, values, label):
        a.get("/audit", "audit")
        form = a.one("form#export, #export form")
        for name, value in values.items():
            control = a.one(f"[name={name}]", form)
            if value is True:
                if not control.is_selected():
                    a.driver.execute_script("arguments[0].click()", control)
            else:
                fill(a, form, {name: value})
        # Each export names its file by the head's position: an empty folder tells this one apart.
        for name in os.listdir(a.downloads):
            os.remove(os.path.join(a.downloads, name))
        exports = getattr(self, "exports", 0) + 1
        self.exports = exports
        a.check_console()
        press(a.driver, form)
        deadline = time.monotonic() + 60
        new = []
        while time.monotonic() < deadline:
            new = [name for name in os.listdir(a.downloads) if not name.endswith(".crdownload")]
            partial = [name for name in os.listdir(a.downloads) if name.endswith(".crdownload")]
            if new and not partial:
                break
            time.sleep(0.2)
        if not new:
            raise Failed(f"audit: the export ({label}) downloaded nothing within 60 s")
        archive = os.path.join(a.downloads, new[0])
        unpacked = os.path.join(self.work, f"export-{exports}")
        with tarfile.open(archive) as tar:
            tar.extractall(unpacked, filter="data")
        bundles = [root for root, _, files in os.walk(unpacked) if "manifest.json" in files]
        if len(bundles) != 1:
            raise Failed(f"audit: the export ({label}) {new[0]} holds {len(bundles)} manifest.json files, not 1")
        checked = subprocess.run([sys.executable, os.path.join(HERE, "verify-export.py"), bundles[0], "--key", self.ledger.public_key],
                                 capture_output=True, text=True, timeout=120)
        if check(checked.returncode == 0, f"audit: Tools/verify-export.py refuses the export ({label}): {checked.stderr.strip()[:300]}"):
            say(f"  export ({label}): {new[0]}, {os.path.getsize(archive)} bytes, passes Tools/verify-export.py")
        if "csv" in values:
            check(os.path.exists(os.path.join(bundles[0], "events.csv")), f"audit: the export ({label}) has no events.csv")

    def user_text(self):
        a = self.a
        a.sign_in(self.ledger.tokens["responder"], "responder")
        for incident, title, label in ((self.ledger.markup, MARKUP_TITLE, "markup"), (self.ledger.rtl, RTL_TITLE, "right-to-left")):
            for path, page in ((self.incident_path(incident), f"incident ({label} title)"),
                               ("/incidents?text=" + urllib.parse.quote(title[:8]), f"incidents ({label} title)")):
                a.get(path, page)
                try:
                    alert = a.driver.switch_to.alert
                    alert.dismiss()
                    record(f"{page}: the title ran as script (an alert opened)")
                except NoAlertPresentException:
                    pass
                scripts = a.driver.execute_script("return Array.from(document.scripts).map(s => s.getAttribute('src'))")
                check(all(src == "/static/incidents.js" for src in scripts), f"{page}: the page has scripts {scripts}, not only /static/incidents.js")
                holders = a.driver.execute_script(
                    "const t = arguments[0]; return Array.from(document.querySelectorAll('body *'))"
                    ".filter(e => e.children.length === 0 && e.textContent.trim() === t)"
                    ".map(e => e.closest('[dir=auto], bdi') ? 'isolated' : e.tagName + (e.id ? '#' + e.id : ''))", title)
                check(bool(holders), f"{page}: the title {title!r} is not shown as text anywhere")
                check(all(h == "isolated" for h in holders), f"{page}: the title is shown without dir=auto in {[h for h in holders if h != 'isolated']}")
        a.get(self.incident_path(self.ledger.markup), "incident (markup title)")
        check(a.text("section#state dd[data-field=title]") == MARKUP_TITLE, f"incident {self.ledger.markup}: dd[data-field=title] is {a.text('section#state dd[data-field=title]')!r}")

    def every_page(self):
        """Every page, as the role that has the most on it: state fields, CSP, console, axe; screenshots when asked."""
        a = self.a
        pages = [
            ("sign-in", "/sign-in", None), ("incidents", "/incidents", "responder"), ("incident", self.incident_path(self.subject), "responder"),
            ("incident-open", self.incident_path(self.open), "responder"),
            ("replay", self.incident_path(self.subject, "/replay?step=" + str(max(1, self.ledger.show(self.subject)["eventCount"] // 2))), "reviewer"),
            ("postmortem", self.incident_path(self.subject, "/postmortem"), "reviewer"),
            ("review", f"/review?period={getattr(self, 'period', None) or self.review_period()}", "reviewer"),
            ("review-drill", getattr(self, "drill", None), "reviewer"), ("playbook", "/playbook", "reviewer"), ("audit", "/audit", "auditor")]
        signed_in_as = None
        for name, path, role in pages:
            if path is None:
                record(f"{name}: no page to open (an earlier scenario failed to find it)")
                continue
            if role is None:
                a.driver.delete_all_cookies()
            elif role != signed_in_as:
                a.sign_in(self.ledger.tokens[role], role)
            signed_in_as = role
            a.get(path, name)
            status, headers, _ = self.server.request("GET", path, cookie=self.session_cookie(a))
            check(status == 200, f"{name}: GET {path} answered {status}")
            policy = headers.get("content-security-policy", "")
            missing = [part for part in CSP_PARTS if part not in policy]
            check(not missing, f"{name}: the Content-Security-Policy lacks {missing}")
            if name == "incident":
                show = self.ledger.show(self.subject)
                for field in STATE_FIELDS:
                    cells = a.all(f"section#state dd[data-field={field}]")
                    want = show.get(field)
                    if check(bool(cells), f"incident: no section#state dd[data-field={field}]"):
                        same, shown = shows(cells[0], want)
                        check(same, f"incident {self.subject}: {field} shows {shown!r}, `incidents show --json` says {want!r}")
                # The contract's names, or the postmortem report's sections the page reuses.
                for section in ("figure#picture svg, #picture svg", "section#communications", "section#escalations", "section#sla, section#figures",
                                "section#surveys, section#satisfaction", "section#postmortem-state, section#follow-up"):
                    check(bool(a.all(section)), f"incident: no {section}")
            if name == "incidents":
                rows = a.all("table#incidents tbody tr[data-incident]")
                check(bool(rows), "incidents: no table#incidents rows")
                check(bool(a.all("p#count")), "incidents: no p#count")
            if name == "postmortem":
                formats = {link.get_attribute("data-format") for link in a.all("a.download")}
                check(formats >= {"markdown", "html", "json"}, f"postmortem: downloads {sorted(formats)}, not markdown, html and json")
            a.axe(name)
            a.phone_overflow(name)
            a.check_console()
            if self.screenshots:
                a.screenshot(self.screenshots, name)


def main():
    parser = argparse.ArgumentParser(description="The web pages in a real browser.")
    parser.add_argument("--incidents", required=True, help="the built incidents tool")
    parser.add_argument("--seconds", type=int, default=420, help="the time budget of the whole run")
    parser.add_argument("--screenshots", metavar="DIR", help="also save NAME-desktop.png and NAME-phone.png of every page in DIR")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (ledger, server log, downloads)")
    args = parser.parse_args()
    screenshots = os.path.abspath(args.screenshots) if args.screenshots else None

    def out_of_time(signum, frame):
        raise OutOfTime()

    signal.signal(signal.SIGALRM, out_of_time)
    signal.alarm(args.seconds)
    started = time.monotonic()
    work = tempfile.mkdtemp(prefix="browser-test.")
    server = None
    run = None
    try:
        ledger = Ledger(os.path.abspath(args.incidents), work)
        ledger.fill()
        server = Server(ledger)
        run = Run(ledger, server, work, screenshots)
        run.all()
    except Failed as failure:
        record(str(failure))
    except OutOfTime:
        record(f"the run took longer than its {args.seconds} s (BROWSER_TEST_SECONDS)")
    finally:
        signal.alarm(0)
        for browser in (run.browsers if run else []):
            browser.quit()
        if server is not None:
            if not server.stop():
                record(f"the server did not shut down cleanly: {open(server.log.name).read().strip()[-300:]}")
            else:
                verified = subprocess.run([args.incidents, "verify"], capture_output=True, text=True, env=ledger.env)
                check(verified.returncode == 0, f"the ledger does not verify after the run: {verified.stderr.strip()[:200]}")
        if args.keep:
            say(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    elapsed = time.monotonic() - started
    if FAILURES:
        say(f"{len(FAILURES)} failure(s) in {elapsed:.0f} s")
        return 1
    say(f"every page passed in {elapsed:.0f} s" + (f"; screenshots in {screenshots}" if screenshots else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
