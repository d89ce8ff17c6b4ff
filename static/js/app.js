// Readiness front-end entry point, loaded as <script type="module">.
// No inline script anywhere: the Content-Security-Policy forbids it.
// scripts/assets.sh rewrites the version in this import path when it refreshes the vendored copy.
import { initAll } from "../govuk-frontend/5.14.0/govuk-frontend.min.js";

// The GOV.UK page template sets these two classes with an inline script. A module
// script only runs in browsers that support ES modules, which is exactly GOV.UK
// Frontend's "supported" test, so setting them here is equivalent.
document.body.classList.add("js-enabled", "govuk-frontend-supported");

initAll();
