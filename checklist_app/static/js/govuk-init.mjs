// Start GOV.UK Frontend's components (character count, tabs, error summary focus...).
// Everything works without it: the components only add to pages that already work.
import { initAll } from '../govuk/govuk-frontend.min.js';

initAll();
