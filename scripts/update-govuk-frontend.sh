#!/usr/bin/env bash
# Vendor the GOV.UK Frontend release build into checklist_app/static/govuk/.
#
# Usage: scripts/update-govuk-frontend.sh [VERSION]   (default: the version in static/govuk/VERSION)
#
# npm is needed by this script only; people installing the app use pip alone, because the files
# this script writes are committed and shipped as package data.
#
# What is kept: the minified CSS and JavaScript, and the licence. What is left out on purpose:
# the GDS Transport font (reserved for GOV.UK: its @font-face rules are removed and the font
# stack is replaced by a system font stack) and the crown, crest and GOV.UK icons.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
dest="$here/checklist_app/static/govuk"
version="${1:-$(head -n1 "$dest/VERSION" 2>/dev/null || echo 6.6.0)}"
system_fonts='system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif'

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "govuk-frontend@$version" >/dev/null && tar xzf "govuk-frontend-$version.tgz")
src="$work/package/dist/govuk"

mkdir -p "$dest"
rm -f "$dest"/*.css "$dest"/*.js
# No GDS Transport: drop its @font-face rules and use a system font stack wherever it was named.
sed -e 's/@font-face{font-family:GDS Transport;[^}]*}//g' \
    -e "s/font-family:GDS Transport,arial,sans-serif/font-family:$system_fonts/g" \
    -e "s/font-family:GDS Transport/font-family:$system_fonts/g" \
    -e 's#/\*\# sourceMappingURL=[^*]*\*/##' \
    "$src/govuk-frontend.min.css" > "$dest/govuk-frontend.min.css"
sed -e 's#//\# sourceMappingURL=.*$##' "$src/govuk-frontend.min.js" > "$dest/govuk-frontend.min.js"

if grep -q "GDS Transport" "$dest/govuk-frontend.min.css"; then
  echo "GDS Transport is still named in the CSS: check the sed patterns for version $version" >&2
  exit 1
fi

cat > "$dest/LICENSE" <<'LICENCE'
GOV.UK Frontend (https://github.com/alphagov/govuk-frontend)

The MIT License (MIT)

Copyright (c) 2016 Crown Copyright (Government Digital Service)

Permission is hereby granted, free of charge, to any person obtaining a copy of
this software and associated documentation files (the "Software"), to deal in
the Software without restriction, including without limitation the rights to
use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of
the Software, and to permit persons to whom the Software is furnished to do so,
subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS
FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR
COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER
IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
LICENCE

{
  echo "$version"
  echo "GOV.UK Frontend $version from the npm registry (package govuk-frontend), licence MIT."
  echo "Files: dist/govuk/govuk-frontend.min.css, dist/govuk/govuk-frontend.min.js."
  echo "Changed: GDS Transport @font-face rules removed, font stack replaced by $system_fonts;"
  echo "source map comments removed. Not copied: fonts, crown, crest and GOV.UK icons."
  echo "Updated with scripts/update-govuk-frontend.sh $version"
} > "$dest/VERSION"
echo "GOV.UK Frontend $version vendored into $dest"
