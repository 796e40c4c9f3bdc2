"""A strict Content-Security-Policy and a Permissions-Policy on every page: the public site,
the API and the Wagtail admin; and no page, public or admin, breaks under it in Chromium."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from config.middleware import AdminContentSecurityPolicyMiddleware


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()
    }


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/fr/", "/api/consultations/", "/admin/login/"])
def test_every_kind_of_page_sends_a_strict_policy(client, site, path):
    response = client.get(path)
    policy = _policy(response)
    assert policy["default-src"] == ["'self'"]
    script = policy["script-src"]
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script
    assert set(script) - {"'self'"} <= {s for s in script if s.startswith("'nonce-")}
    assert policy["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["style-src"]
    if not path.startswith("/admin/"):
        assert "style-src-attr" not in policy and "style-src-elem" not in policy
    assert policy["frame-ancestors"] == (["'self'"] if path.startswith("/admin/") else ["'none'"])
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_admin_inline_initialisers_carry_the_nonce_of_the_header(client, site, admin_user):
    client.force_login(admin_user)
    consultation_parent = site["institution"]["fr"]
    response = client.get(f"/admin/pages/add/consultations/consultationpage/{consultation_parent.pk}/")
    assert response.status_code == 200
    nonce = next(s for s in _policy(response)["script-src"] if s.startswith("'nonce-"))[7:-1]
    html = response.content.decode()
    assert "<script>" not in html
    assert f'<script nonce="{nonce}">' in html


WAGTAIL_INITIALISERS = [
    'initDateTimeChooser("id_opens_at", {"dayOfWeekStart": 1, "format": "Y-m-d H:i"});',
    'new PageChooser("id_page", {"modelNames": ["wagtailcore.page"], "canChooseRoot": false});',
    'createTaskChooser("id_task");',
    "(function() {\n    var panel = new InlinePanel(JSON.parse(\"{\\u0022formsetPrefix\\u0022: 1}\"));\n})();",
]
INJECTED = [
    "alert(document.cookie)",
    'new PageChooser("id", {}); fetch("/admin/users/"); ({});',
    'initDateChooser("id", {}); alert(1); f({});',
    "(function() {\n    var panel = new InlinePanel(JSON.parse(\"{}\")); alert(1);\n})();",
]


@pytest.mark.parametrize("body", INJECTED)
def test_a_script_injected_into_an_admin_page_gets_no_nonce(body):
    """Only Wagtail's own initialisers are given the nonce: a script that reached an admin
    page some other way (stored in a contribution, a title…) stays bare and is refused."""
    html = "".join(f"<script>{script}</script>" for script in [*WAGTAIL_INITIALISERS, body])
    request = RequestFactory().get("/admin/pages/1/edit/")
    request.csp_nonce = "n0nce"
    middleware = AdminContentSecurityPolicyMiddleware(lambda request: HttpResponse(html))
    content = middleware(request).content.decode()
    for script in WAGTAIL_INITIALISERS:
        assert f'<script nonce="n0nce">{script}</script>' in content
    assert f"<script>{body}</script>" in content


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_no_page_reports_a_policy_violation_in_chromium(
    browser, live_server, site, make_consultation, admin_user, client
):
    consultation = make_consultation()
    client.force_login(admin_user)
    context = browser.new_context()
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    refused = []
    page.on(
        "console",
        lambda message: refused.append(message.text)
        if "Content Security Policy" in message.text or "Refused to" in message.text
        else None,
    )
    page.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation', e =>"
        " window.__violations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber + ' ' + e.sample));"
    )
    found = {}
    paths = [
        consultation.url,
        "/admin/",
        f"/admin/pages/{consultation.pk}/edit/",
        "/admin/moderation/",
    ]
    for path in paths:
        refused.clear()
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
        violations = page.evaluate("window.__violations") + refused
        if violations:
            found[path] = violations
    context.close()
    assert found == {}
