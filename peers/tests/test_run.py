"""`make run`'s environment for its children (peers/run.py), without booting anything."""

from peers.run import app_children, child_environment, parse_options


def _children_env(argv, base=None):
    options = parse_options(argv)
    env = child_environment(base or {}, options)
    return [child.env for child in app_children(env, host=options.host, port=options.port)]


def test_links_in_emails_follow_the_port_make_run_serves():
    for env in _children_env(["--port", "8123"]):
        assert env["PEERS_SITE_URL"] == "http://localhost:8123"


def test_a_wildcard_bind_links_to_localhost_and_another_host_to_itself():
    assert _children_env(["--host", "0.0.0.0", "--port", "9000"])[0]["PEERS_SITE_URL"] == "http://localhost:9000"
    assert _children_env(["--host", "10.0.0.5"])[0]["PEERS_SITE_URL"] == "http://10.0.0.5:8000"


def test_a_site_url_that_is_set_wins_over_the_port():
    env = _children_env(["--port", "8123"], base={"PEERS_SITE_URL": "https://demo.example.edu"})[0]
    assert env["PEERS_SITE_URL"] == "https://demo.example.edu"


def test_the_demo_opens_the_mail_viewer_and_no_demo_does_not():
    assert _children_env([])[0]["PEERS_DEMO"] == "true"
    assert "PEERS_DEMO" not in _children_env(["--no-demo"])[0]


def test_every_child_keeps_its_database_connections_as_production_does_unless_told():
    assert {env["DJANGO_CONN_MAX_AGE"] for env in _children_env([])} == {"60"}
    assert {env["DJANGO_CONN_MAX_AGE"] for env in _children_env([], {"DJANGO_CONN_MAX_AGE": "0"})} == {"0"}
