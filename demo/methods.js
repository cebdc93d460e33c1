// Buttons for the context methods (docs/api.md "Contexts"). Each calls the method with
// {success, fail} callbacks, as a mini-program page would, and shows the result object beside the
// buttons and in the event log; a snapshot result is shown as a thumbnail.

/**
 * @param {HTMLElement} bar where the buttons go
 * @param {HTMLElement} out where the last result goes
 * @param {{name: string, label?: string, args?: () => object}[]} methods
 * @param {() => object} context the element's context (a getter: the player may be re-created)
 * @param {(result: object) => void} log
 */
export function buildMethodButtons(bar, out, methods, context, log) {
  for (const m of methods) {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = m.label || m.name;
    button.dataset.method = m.name;
    button.addEventListener('click', () => {
      const show = (result) => {
        log(result);
        out.textContent = '';
        const code = document.createElement('code');
        code.className = /:ok$/.test(result.errMsg || '') ? 'ok' : 'fail';
        code.textContent = JSON.stringify(result, (k, v) => (typeof v === 'string' && v.length > 80 ? v.slice(0, 77) + '...' : v));
        out.appendChild(code);
        if (result.tempImagePath) {
          const img = document.createElement('img');
          img.src = result.tempImagePath;
          img.alt = 'snapshot';
          img.className = 'snapshot';
          out.appendChild(img);
        }
      };
      let ctx;
      try {
        ctx = context();
      } catch (err) {
        show({ errMsg: `${m.name}:fail ${err.message}` });
        return;
      }
      ctx[m.name]({ ...(m.args ? m.args() : {}), success: show, fail: show });
    });
    bar.appendChild(button);
  }
}
