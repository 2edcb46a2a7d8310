"""A real browser (headless Chromium from Debian, driven by Selenium through
/usr/bin/chromedriver) on the pages of `tessera serve`: log in, see the
account page, revoke a session, log out; and one login shared by two
subdomains through --cookie-domain."""

from __future__ import annotations

import json
import os
from urllib.parse import urlsplit

import pytest

from tessera_e2e import ARTIFACTS, admin_login, assert_problem, cookie_header, me, require_tool

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
WAIT = 15


@pytest.fixture
def browser(tmp_path):
    require_tool(CHROMIUM, "the browser tests drive Chromium")
    require_tool(CHROMEDRIVER, "the browser tests drive Chromium through chromedriver")
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must not look for drivers online
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in [
        "--headless=new", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1000",
        f"--user-data-dir={tmp_path / 'chromium-profile'}", "--no-first-run", "--no-default-browser-check",
        "--no-proxy-server", "--password-store=basic", "--disable-crash-reporter", "--disable-background-networking",
        "--disable-features=HttpsUpgrades,HttpsFirstBalancedModeAutoEnable,PasswordLeakDetection",
        "--host-resolver-rules=MAP *.tessera.test 127.0.0.1",
    ]:
        options.add_argument(argument)
    if os.geteuid() == 0:
        options.add_argument("--no-sandbox")  # Chromium's sandbox refuses to run as root
    service = Service(CHROMEDRIVER, log_output=str(tmp_path / "chromedriver.log"))
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def wait_for_path(driver, path: str, host: str | None = None):
    from selenium.webdriver.support.ui import WebDriverWait

    def arrived(d):
        url = urlsplit(d.current_url)
        return url.path == path and (host is None or url.hostname == host)

    WebDriverWait(driver, WAIT).until(arrived, f"never reached {path}; at {driver.current_url}")


def log_in(driver, username: str, password: str):
    from selenium.webdriver.common.by import By

    form = driver.find_element(By.ID, "login-form")
    form.find_element(By.NAME, "username").send_keys(username)
    form.find_element(By.NAME, "password").send_keys(password)
    form.find_element(By.CSS_SELECTOR, "button[type=submit], button:not([type]), input[type=submit]").click()


def submit(form):
    from selenium.webdriver.common.by import By

    form.find_element(By.CSS_SELECTOR, "button, input[type=submit]").click()


def page_json(driver) -> dict:
    from selenium.webdriver.common.by import By

    return json.loads(driver.find_element(By.TAG_NAME, "body").text)


def test_browser_logs_in_revokes_a_session_and_logs_out(server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(server.url("/login?rd=/account"))
    log_in(browser, "admin", server.admin_password)
    wait_for_path(browser, "/account")
    assert browser.find_element(By.ID, "username").text.strip() == "admin"
    mine = browser.get_cookie("tessera_session")
    assert mine and mine["httpOnly"], mine
    assert me(server, cookie_header(mine["value"])).json()["method"] == "session"

    # A second device logs in; the page lists it beside this one.
    other = admin_login(server)
    other_handle = other.handle()
    browser.refresh()
    rows = browser.find_elements(By.CSS_SELECTOR, "#sessions tr[data-handle]")
    assert len(rows) == 2, [r.get_attribute("outerHTML") for r in rows]
    current = [r for r in rows if "current" in (r.get_attribute("class") or "").split()]
    assert len(current) == 1 and current[0].get_attribute("data-handle") != other_handle

    screenshot = ARTIFACTS / "screenshots" / "account.png"
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    screenshot.unlink(missing_ok=True)
    assert browser.save_screenshot(str(screenshot))
    data = screenshot.read_bytes()
    assert len(data) > 1000 and data.startswith(b"\x89PNG\r\n\x1a\n"), f"{screenshot}: not a PNG ({len(data)} bytes)"

    row = browser.find_element(By.CSS_SELECTOR, f'#sessions tr[data-handle="{other_handle}"]')
    form = row.find_element(By.TAG_NAME, "form")
    assert urlsplit(form.get_attribute("action")).path == f"/account/sessions/{other_handle}/revoke"
    submit(form)
    WebDriverWait(browser, WAIT).until(EC.staleness_of(row))
    wait_for_path(browser, "/account")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#sessions tr[data-handle]")) == 1
    assert_problem(other.get("/api/me"), 401)  # the revoked session is dead for its owner too

    browser.find_element(By.ID, "logout").click()
    wait_for_path(browser, "/login")
    assert me(server, cookie_header(mine["value"])).status_code == 401, "the browser's session outlived the logout"
    browser.get(server.url("/account"))
    wait_for_path(browser, "/login")  # sent back to log in


def test_ASVS_3_3_3_cookie_domain_shares_the_login_across_subdomains(make_sqlite_server, browser):
    server = make_sqlite_server(args=["--cookie-domain", "tessera.test", "--public-url", "http://app.tessera.test:{port}"])
    app = f"http://app.tessera.test:{server.port}"
    api = f"http://api.tessera.test:{server.port}"

    browser.get(api + "/api/me")
    assert page_json(browser)["status"] == 401  # not yet logged in

    browser.get(app + "/login?rd=/account")
    log_in(browser, "admin", server.admin_password)
    wait_for_path(browser, "/account", host="app.tessera.test")

    browser.get(api + "/api/me")
    body = page_json(browser)
    assert (body.get("username"), body.get("method")) == ("admin", "session"), body
    cookie = browser.get_cookie("tessera_session")
    assert cookie and cookie["domain"].lstrip(".") == "tessera.test", cookie
