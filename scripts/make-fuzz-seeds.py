#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets into Fuzz/Corpus/TARGET/.

Seeds come from the interop vectors (made by Tornado, itsdangerous/Flask,
Django and PyJWT; Tests/TesseraTests/Fixtures/interop) and from hand-written
inputs below. Run it again after changing either; the files are named by the
SHA-1 of their content, so reruns are stable. Valid signed, sealed and JWT
samples made with the fuzzers' own keys are not stored here: the fuzz binary
writes them into its working corpus at start (FuzzTarget.samples), and the
seed tests replay them.

    python3 scripts/make-fuzz-seeds.py
"""
import hashlib
import json
import pathlib
import struct

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "Fuzz" / "Corpus"
INTEROP = ROOT / "Tests" / "TesseraTests" / "Fixtures" / "interop"

BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def base62(data: bytes, width: int) -> str:
    number = int.from_bytes(data, "big")
    digits = ""
    while number:
        number, rest = divmod(number, 62)
        digits = BASE62[rest] + digits
    return digits.rjust(width, "0")


def api_key(seed: int) -> str:
    h = hashlib.sha256(struct.pack(">Q", seed)).digest()
    body = "tsk_" + base62(h[:8], 12) + "_" + base62(hashlib.sha256(h).digest(), 43)
    return body + base62(hashlib.sha256(body.encode()).digest()[:4], 6)


def vectors(*names):
    for name in names:
        for vector in json.loads((INTEROP / f"{name}.json").read_text())["vectors"]:
            token = vector.get("token")
            if isinstance(token, str):
                yield token


SEEDS = {
    "cookie-header": [
        "sid=abc123", "a=1; b=2; c=3", "  spaced = value ; x=y", 'quoted="a b"; empty=; =novalue; noequals',
        "dup=1; dup=2; dup=3", "__Host-sid=S1.k1.1800000000.ZGF2ZQ.xyz; __Secure-x=1", "tab\t=\tvalue\t",
        "utf8=caf\u00e9; emoji=\U0001F36A", 'x=""y""; z="', ";;;=;a==b;;", "name=" + "v" * 300,
        "; ".join(f"c{i}={i}" for i in range(300)),
    ],
    "set-cookie": [
        "sid=abc; Path=/; HttpOnly; Secure; SameSite=Lax",
        "a=b; Domain=example.com; Max-Age=3600", "a=b; Domain=.www.example.com; Path=/app",
        "a=b; Domain=com", "a=b; Domain=other.org", "a=b; Expires=Wed, 21 Oct 2015 07:28:00 GMT",
        "a=b; Expires=Thu, 01-Jan-1970 00:00:01 GMT; Max-Age=10", "a=b; Max-Age=-1", "a=b; Max-Age=99999999999",
        "__Host-sid=1; Path=/; Secure", "__Host-sid=1; Path=/; Secure; Domain=www.example.com",
        "__Secure-a=1", "__secure-a=1; Secure", "a=b; SameSite=None", "a=b; SameSite=None; Secure",
        "a=b; SameSite=Strict; Partitioned; Secure", "nameless", "=value", "a=b;Path=app;path=/x;",
        'q="quoted value"; Comment=x', "a=b; Expires=Sun, 06 Nov 1994 08:49:37 GMT", "a=b; Expires=Sunday, 06-Nov-94 08:49:37 GMT",
        "a=b; Expires=Sun Nov  6 08:49:37 1994", "a=b; Expires=1 Jan 99999 00:00:00", "a=\x01b", "a=b\tc",
        "x" * 4095 + "=", "a=b; Domain=" + "d" * 1100, "a=b; Domain=localhost", "a=b; Domain=127.0.0.1",
        "a=b; Domain=xn--caf-dma.example.com",
        # Findings of the fuzzer, kept as regressions.
        "a=b;Path=app;path=/\u065a\udcef\udcbf#",  # "/" plus a combining mark: one Character
    ],
    "signed-value": [
        "S1.k2.1800000000.ZGF2ZQ.", "S1.k9.1800000000.ZGF2ZQ.AAAA", "S1..1.." , "S1.k2.01800000000.ZGF2ZQ.AAAA",
        "S2.k2.1800000000.ZGF2ZQ.AAAA", "S1.k2.-1.ZGF2ZQ.AAAA", "S1.k2.99999999999999999999.ZGF2ZQ.AAAA",
    ],
    "sealed-value": [
        "E1.k2.AAAA", "E1.k2.1800000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "E1..", "E1.k9.x.y.z",
    ],
    "html-form": [
        '<form method="post" action="/accounts/login/"><input type="hidden" name="csrfmiddlewaretoken" value="abc">'
        '<input type="text" name="username"><input type="password" name="password"><button type="submit">Log in</button></form>',
        '<form action=/login method=post><input name=_xsrf type=hidden value="2|aa|bb|1"><input name=user>'
        '<input name=pass type=password></form>',
        '<form accept-charset="UTF-8" action="/session" method="post"><input name="utf8" type="hidden" value="&#x2713;">'
        '<input type="hidden" name="authenticity_token" value="x+y/z=="><input type="email" name="user[email]">'
        '<input type="password" name="user[password]"><input type="checkbox" name="remember_me" value="1" checked>'
        '<select name="tz"><option value="utc" selected>UTC</option></select><textarea name="note">hi</textarea></form>',
        '<!-- <form><input name=hidden></form> --><form><input name="a" value=\'single\'>',
        '<script>"<form>"</script><FORM METHOD=GET><INPUT NAME=q VALUE="&amp;&lt;&#65;&#x42;&bogus;"></FORM>',
        '<form><input name="x" value="unterminated', "<form><form><input name=a></form></form>", "<!-->",
        '<form action="javascript:alert(1)"><input type=password name=p></form>',
    ],
    "api-key": [api_key(1), api_key(2), api_key(3)[:-1] + "0", "tsk_", "tsk_" + "0" * 12 + "_" + "0" * 49, api_key(4).upper()],
}


def cookies_txt_seeds():
    header = "# Netscape HTTP Cookie File\n# https://curl.se/docs/http-cookies.html\n\n"
    test31 = (ROOT / "Tests" / "TesseraTests" / "Client" / "CookieJarFileTests.swift").read_text()
    lines = [line.strip().strip('",').replace("\\t", "\t") for line in test31.splitlines() if line.strip().startswith('"') and "\\t" in line]
    return [
        header + "\n".join(lines) + "\n",
        header + ".example.com\tTRUE\t/\tTRUE\t2147483647\tsid\tabc\r\n#HttpOnly_www.example.com\tFALSE\t/app\tFALSE\t0\tx\ty\r\n",
        header + "example.com\tFALSE\t/\tFALSE\t1\texpired\tv\nbad line\n\t\t\t\t\t\t\nlocalhost\tFALSE\t/\tFALSE\t99999999999\tfar\tfuture\n",
        "www.example.com\tFALSE\t/\tFALSE\t0\t__Host-a\t1\n.example.com\tTRUE\t/\tTRUE\t0\t__Host-b\t2\n",
        # Findings of the fuzzer, kept as regressions.
        "#HttpOnly_..com\tFALSE\t/\tFALSE\t0\tsession\t1\n",  # an empty label
    ]


def main():
    seeds = dict(SEEDS)
    seeds["tornado"] = list(vectors("tornado_signed_value_v1", "tornado_signed_value_v2", "tornado_xsrf"))
    seeds["flask-session"] = list(vectors("flask_session", "itsdangerous_urlsafe_timed_serializer"))
    seeds["django"] = list(vectors("django_signed_cookie", "django_session_signed_cookies", "django_timestamp_signer"))
    seeds["jwt"] = list(vectors("jwt_hs256", "jwt_es256", "jwt_eddsa", "jwt_rs256"))
    seeds["cookies-txt"] = cookies_txt_seeds()
    for target, inputs in seeds.items():
        directory = CORPUS / target
        directory.mkdir(parents=True, exist_ok=True)
        for old in directory.iterdir():
            old.unlink()
        for text in dict.fromkeys(inputs):
            data = text.encode("utf-8", "surrogateescape")
            (directory / hashlib.sha1(data).hexdigest()).write_bytes(data)
        print(f"{target}: {len(list(directory.iterdir()))} seeds")


if __name__ == "__main__":
    main()
