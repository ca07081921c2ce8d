"""Settings: flag, else environment, else config file, else default — and `check` says which."""

from __future__ import annotations

import pytest

from liyuan_tui.domain.config import ConfigError, load_settings


def test_flag_beats_environment_beats_file_beats_default(tmp_path):
    user_file = tmp_path / "config.toml"
    user_file.write_text('lang = "en"\ntz = "Europe/Paris"\ndb = "/srv/liyuan/desk.db"\n', encoding="utf-8")
    files = (user_file,)
    s = load_settings({}, {}, files)
    assert (s.lang, s.tz_name, s.db_url) == ("en", "Europe/Paris", "sqlite:////srv/liyuan/desk.db")
    assert s.sources["lang"] == str(user_file)
    s = load_settings({}, {"LIYUAN_LANG": "zh", "LIYUAN_DB": str(tmp_path / "e.db")}, files)
    assert s.lang == "zh" and s.sources["lang"] == "$LIYUAN_LANG" and s.db_url.endswith("/e.db")
    s = load_settings(
        {"lang": "en", "db": "postgresql+psycopg://desk@db/liyuan"}, {"LIYUAN_LANG": "zh"}, files
    )
    assert s.lang == "en" and s.sources["lang"] == "--lang" and s.db_url.startswith("postgresql")
    s = load_settings({}, {}, ())
    assert s.lang == "zh" and s.tz_name == "Asia/Shanghai" and s.sources["tz"] == "default"


def test_user_file_beats_the_shared_one(tmp_path):
    user, shared = tmp_path / "u.toml", tmp_path / "s.toml"
    user.write_text('lang = "en"\n', encoding="utf-8")
    shared.write_text('lang = "zh"\ntz = "Asia/Hong_Kong"\n', encoding="utf-8")
    s = load_settings({}, {}, (user, shared))
    assert s.lang == "en" and s.tz_name == "Asia/Hong_Kong"


@pytest.mark.parametrize(
    "env,word", [({"LIYUAN_LANG": "fr"}, "language"), ({"LIYUAN_TZ": "Mars/Base"}, "time zone")]
)
def test_bad_settings_name_the_setting(env, word):
    with pytest.raises(ConfigError) as err:
        load_settings({}, env, ())
    assert word in str(err.value)


def test_a_broken_config_file_names_the_file(tmp_path):
    bad = tmp_path / "config.toml"
    bad.write_text("lang = \n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_settings({}, {}, (bad,))
    assert str(bad) in str(err.value)
