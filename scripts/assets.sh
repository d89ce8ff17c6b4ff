#!/usr/bin/env bash
# Refresh the vendored GOV.UK Frontend 5.x assets (style.md convention 12).
#
# Compiles GOV.UK Frontend's Sass with Arial instead of GDS Transport (the GDS
# Transport font is licensed for gov.uk only, stack.md gotcha 6), with asset url()s
# relative to the CSS file (gotcha 4) and no sourceMappingURL comments (gotcha 5).
# Output: static/govuk-frontend/<version>/{govuk-frontend.min.css,govuk-frontend.min.js,assets/}
# and static/govuk-frontend/VERSION. Older version folders are removed.
# Usage: bash scripts/assets.sh   (or: make assets)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENDOR_DIR="$ROOT/static/govuk-frontend"
APP_JS="$ROOT/static/js/app.js"
PACKAGE_SPEC="${GOVUK_FRONTEND_SPEC:-govuk-frontend@5}"

# GOV.UK crown logo files (favicons, app icons, Open Graph image) must not be used
# off gov.uk; the footer crest (govuk-crest.svg) stays because the CSS references it.
CROWN_LOGO_GLOBS=(favicon.ico favicon.svg 'govuk-icon-*' govuk-opengraph-image.png)

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

cd "$TMP"
npm init -y >/dev/null
npm install --no-audit --no-fund --ignore-scripts --loglevel=error "$PACKAGE_SPEC" sass >/dev/null

PKG="$TMP/node_modules/govuk-frontend"
VERSION="$(node -p "require('$PKG/package.json').version")"
case "$VERSION" in
  5.*) ;;
  *) echo "assets.sh: expected govuk-frontend 5.x, got $VERSION" >&2; exit 1 ;;
esac
echo "assets.sh: building govuk-frontend $VERSION"

# The CSS sits next to its assets/ folder, so url()s are "assets/images/...".
cat > entry.scss <<'SCSS'
$govuk-font-family: arial, sans-serif;
$govuk-include-default-font-face: false;
$govuk-assets-path: "assets/";
@import "govuk-frontend/dist/govuk/index";
SCSS

STAGE="$TMP/out/$VERSION"
mkdir -p "$STAGE/assets"
node_modules/.bin/sass --style=compressed --no-source-map --quiet-deps \
  --silence-deprecation=import --load-path=node_modules \
  entry.scss "$STAGE/govuk-frontend.min.css"

# ES module bundle; its sourceMappingURL comment is on the same line as the code.
sed -e 's#/[/*][#@] sourceMappingURL=[^ */]*\( \*/\)\{0,1\}##g' \
  "$PKG/dist/govuk/govuk-frontend.min.js" > "$STAGE/govuk-frontend.min.js"
sed -i -e 's#/[/*][#@] sourceMappingURL=[^ */]*\( \*/\)\{0,1\}##g' "$STAGE/govuk-frontend.min.css"

# Images only: no fonts/, no rebrand/, no manifest.json (it lists the crown icons).
cp -R "$PKG/dist/govuk/assets/images" "$STAGE/assets/images"
for glob in "${CROWN_LOGO_GLOBS[@]}"; do
  find "$STAGE/assets" -name "$glob" -delete
done
rm -rf "$STAGE/assets/crown"

# Checks (the same ones tests/test_components.py makes).
for f in "$STAGE/govuk-frontend.min.css" "$STAGE/govuk-frontend.min.js"; do
  if grep -q 'sourceMappingURL' "$f"; then
    echo "assets.sh: sourceMappingURL left in $f" >&2; exit 1
  fi
done
if grep -q 'GDS Transport' "$STAGE/govuk-frontend.min.css"; then
  echo "assets.sh: GDS Transport still referenced in the CSS" >&2; exit 1
fi
grep -q 'initAll' "$STAGE/govuk-frontend.min.js" || { echo "assets.sh: initAll missing from JS" >&2; exit 1; }
missing=0
while IFS= read -r url; do
  case "$url" in data:*|http:*|https:*|//*|\#*) continue ;; esac
  if [ ! -f "$STAGE/${url%%[?#]*}" ]; then
    echo "assets.sh: CSS references missing file: $url" >&2; missing=1
  fi
done < <(grep -o 'url([^)]*)' "$STAGE/govuk-frontend.min.css" | sed -e 's/^url(//' -e 's/)$//' -e "s/^[\"']//" -e "s/[\"']\$//" | sort -u)
[ "$missing" -eq 0 ] || exit 1

# Install, replacing this version and removing older ones.
mkdir -p "$VENDOR_DIR"
for d in "$VENDOR_DIR"/*/; do
  [ -d "$d" ] || continue
  rm -rf "$d"
done
cp -R "$STAGE" "$VENDOR_DIR/$VERSION"
printf '%s\n' "$VERSION" > "$VENDOR_DIR/VERSION"

# Keep static/js/app.js importing the vendored version.
if [ -f "$APP_JS" ]; then
  sed -i -E "s#\.\./govuk-frontend/[0-9]+\.[0-9]+\.[0-9]+[^/]*/govuk-frontend\.min\.js#../govuk-frontend/$VERSION/govuk-frontend.min.js#" "$APP_JS"
fi

echo "assets.sh: vendored into static/govuk-frontend/$VERSION"
