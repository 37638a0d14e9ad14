#!/usr/bin/env bash
# Regenerate locale/{vi,en}/LC_MESSAGES/django.po from the sources, fill them from the
# existing catalogue (and from any locale/fragments/*.po given by contributors), make the
# English catalogue an identity translation of the English msgids, and compile both.
# Needs GNU gettext (msgmerge, msgcat, msgen, msgfmt).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
export DEBUG=true
$PY manage.py makemessages -l vi -l en --no-obsolete --no-location \
  --ignore=.venv --ignore=static/vendor --ignore=tests --ignore=bench >/dev/null
shopt -s nullglob
fragments=(locale/fragments/*.po)
if [ ${#fragments[@]} -gt 0 ]; then
  # Existing translations win; fragments fill what is still untranslated.
  work=$(mktemp -d)
  msgattrib --force-po --translated --no-fuzzy -o "$work/existing.po" locale/vi/LC_MESSAGES/django.po
  msgcat --use-first -o "$work/compendium.po" "${fragments[@]}"
  msgmerge --quiet --no-fuzzy-matching --compendium="$work/compendium.po" \
    -o locale/vi/LC_MESSAGES/django.po "$work/existing.po" locale/vi/LC_MESSAGES/django.po
  rm -rf "$work"
fi
# English is the source language: its catalogue is rebuilt as an identity translation of
# every msgid (never from earlier fuzzy guesses). Uses polib (requirements-dev.txt).
sed -i -e 's/^"Language: .*\\n"$/"Language: vi\\n"/' locale/vi/LC_MESSAGES/django.po
$PY - <<'PYEOF'
import polib

vi = polib.pofile("locale/vi/LC_MESSAGES/django.po")
en = polib.POFile(wrapwidth=79)
en.metadata = dict(vi.metadata)
en.metadata["Language"] = "en"
en.metadata["Plural-Forms"] = "nplurals=2; plural=(n != 1);"
for entry in vi:
    if entry.obsolete:
        continue
    copy = polib.POEntry(msgctxt=entry.msgctxt, msgid=entry.msgid, flags=[f for f in entry.flags if f != "fuzzy"])
    if entry.msgid_plural:
        copy.msgid_plural = entry.msgid_plural
        copy.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
    else:
        copy.msgstr = entry.msgid
    en.append(copy)
en.save("locale/en/LC_MESSAGES/django.po")
PYEOF
$PY manage.py compilemessages -l vi -l en --ignore=.venv >/dev/null
echo "untranslated (vi):"
msgattrib --untranslated --no-obsolete locale/vi/LC_MESSAGES/django.po | grep -c '^msgid ' || true
