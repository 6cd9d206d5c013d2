"""Drives the independent provider's login like a browser would, with plain HTTP."""

from urllib.parse import urlencode, urljoin, urlsplit

import httpx


def login_at_provider(django_client, start_url, account="dupont", abort=False):
    """Start the login on the QF page, complete it at the provider, return the callback path."""
    authorize = django_client.get(start_url)["Location"]
    with httpx.Client(follow_redirects=False, timeout=10) as browser:
        url = authorize
        for _ in range(12):
            response = browser.get(url)
            location = response.headers.get("location")
            assert location, f"no redirect from {url}: {response.status_code} {response.text[:200]}"
            location = urljoin(url, location)
            if location.startswith("http://testserver/"):
                parts = urlsplit(location)
                return f"{parts.path}?{parts.query}"
            if "/interaction/" in location:
                query = {"abort": "1"} if abort else {"account": account}
                location = f"{location}?{urlencode(query)}"
            url = location
    raise AssertionError("the provider never redirected back")


def end_session(logout_url):
    """Confirm the provider's logout page; return where it sends the citizen back."""
    with httpx.Client(follow_redirects=False, timeout=10) as browser:
        page = browser.get(logout_url)
        assert page.status_code == 200, page.text[:200]
        html = page.text
        action = html.split('action="', 1)[1].split('"', 1)[0]
        xsrf = html.split('name="xsrf" value="', 1)[1].split('"', 1)[0]
        done = browser.post(urljoin(logout_url, action), data={"xsrf": xsrf, "logout": "yes"})
        location = urljoin(logout_url, done.headers["location"])
        return location
