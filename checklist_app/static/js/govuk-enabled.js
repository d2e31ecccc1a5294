// GOV.UK Frontend: mark the page as having JavaScript (a static file, so the CSP needs no inline script).
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
