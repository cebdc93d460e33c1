// Content-Security-Policy violations of the library's own loads on the page (issue 21): the workers'
// scripts (worker-src), the sound worklets (script-src), anything else under the package's folder. A
// violation in a worker is reported by the worker itself (worker/error_text.js reportViolations). Each
// becomes an `error` event that names the directive, never silence; other scripts' violations are not
// the library's to report (a bundled app's files may all sit in one folder: then every violation on
// the page's origin below it is reported).
import { violationText } from '../worker/error_text.js';

const PACKAGE = new URL('../', import.meta.url).href;
const ours = (e) => [e.blockedURI, e.sourceFile].some((u) => typeof u === 'string' && u.startsWith(PACKAGE));

/** @param {(text: string) => void} report @returns {() => void} stops watching */
export function watchViolations(report) {
  if (typeof document === 'undefined') return () => {};
  const on = (e) => { if (ours(e)) report(violationText(e)); };
  document.addEventListener('securitypolicyviolation', on);
  return () => document.removeEventListener('securitypolicyviolation', on);
}
