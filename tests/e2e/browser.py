"""What the browser walks share: logging in, and the two screen sizes users have."""

import re

from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD

# A clerk's or official's desk, and a community secretary's phone.
VIEWPORTS = {"desk": (1366, 900), "phone": (390, 844)}


def log_in(page, live_server, username, password=PASSWORD):
    """Log in through the login form, as a fresh visitor (cookies cleared)."""
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("form button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
