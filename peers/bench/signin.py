"""Sign a demo account in over HTTP, as a browser would: the password form, then the
authenticator code for the roles that must use two-factor authentication. Returns the
Cookie header that the load generator sends."""

import base64
import hashlib
import hmac
import http.cookiejar
import re
import struct
import time
import urllib.parse
import urllib.request

# The demo accounts' password and authenticator key (peers/management/commands/seed_demo.py;
# a test checks they agree). This module runs without Django, so it cannot import them.
DEMO_PASSWORD = "peers-demo-2026"
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def totp(secret: str, at: float | None = None, period: int = 30) -> str:
    """RFC 6238's six-digit code, as an authenticator app shows it."""
    counter = int(at if at is not None else time.time()) // period
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def _post_form(opener, url: str, page: str, fields: dict[str, str]):
    token = CSRF.search(page)
    if not token:
        raise RuntimeError(f"no form at {url}")
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1), **fields}).encode()
    return opener.open(urllib.request.Request(url, data=data, headers={"Referer": url}))


def sign_in(base_url: str, email: str, password: str = DEMO_PASSWORD, secret: str = DEMO_TOTP_SECRET) -> str:
    """The Cookie header of a signed-in session for `email`."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login = f"{base_url}/accounts/login/"
    response = _post_form(opener, login, opener.open(login).read().decode(), {"login": email, "password": password})
    for _ in range(3):  # a code read at the end of its 30 s may be refused: wait for the next
        if "/2fa/authenticate/" not in response.geturl():
            break
        time.sleep(max(0.0, 2 - (time.time() % 30)))  # keep clear of a period's first instant
        if time.time() % 30 > 27:
            time.sleep(30 - time.time() % 30 + 0.5)
        response = _post_form(opener, response.geturl(), response.read().decode(), {"code": totp(secret)})
    if "/accounts/" in urllib.parse.urlparse(response.geturl()).path:
        raise RuntimeError(f"{email} did not sign in (ended at {response.geturl()})")
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)
