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
msgen --no-location -o locale/en/LC_MESSAGES/django.po locale/en/LC_MESSAGES/django.po
# msgen copies msgid to msgstr; guesses makemessages flagged fuzzy are therefore exact.
msgattrib --clear-fuzzy --no-location -o locale/en/LC_MESSAGES/django.po locale/en/LC_MESSAGES/django.po
$PY manage.py compilemessages -l vi -l en --ignore=.venv >/dev/null
echo "untranslated (vi):"
msgattrib --untranslated --no-obsolete locale/vi/LC_MESSAGES/django.po | grep -c '^msgid ' || true
