"""Tap targets, measured in the browser: every control big enough for a finger and not
covered by anything else (the browser tests call it on every page at 360 px).

What counts as a control: a, button, input, select, textarea and summary that can be
seen (not inside a closed <details>, where Chromium keeps a box for what it does not draw).
A link inside a paragraph is inline text and is read, not aimed at, so it is left out
(WCAG 2.5.8's inline exception); a link in a list, a table or on its own is not.
A checkbox or radio is tapped through its label as well, so its target is the union of
its own box and its labels' boxes.

Each target must be at least 44 px high, and either 44 px wide or alone in a 44 px wide
band centred on it (the spacing rule of WCAG 2.5.8, at the 44 px of 2.5.5). "Covered"
means that the topmost element at the target's centre (and at four points around it on
a one-line target) is neither the control, nor inside it, nor one of its labels.
"""

MIN_PX = 44

_MEASURE = """
(min) => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary';
  // Inside a closed <details> (its summary aside), a control keeps a box but is not drawn.
  const folded = el => {
    for (let d = el.closest('details:not([open])'); d; d = d.parentElement?.closest('details:not([open])')) {
      const summary = d.querySelector(':scope > summary');
      if (!summary || !summary.contains(el)) return true;
    }
    return false;
  };
  const hidden = el => el.closest('[hidden], .visually-hidden, .visually-hidden-focusable, .peers-hp') || folded(el);
  const shown = el => {
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return r.width > 1 && r.height > 1 && style.visibility !== 'hidden' && !hidden(el);
  };
  const inText = el => el.tagName === 'A' && el.closest('p') !== null;
  const labels = el => (el.type === 'checkbox' || el.type === 'radio') && el.labels ? [...el.labels] : [];
  const box = el => {
    let {left, top, right, bottom} = el.getBoundingClientRect();
    for (const label of labels(el)) {
      const r = label.getBoundingClientRect();
      left = Math.min(left, r.left); top = Math.min(top, r.top);
      right = Math.max(right, r.right); bottom = Math.max(bottom, r.bottom);
    }
    return {left, top, right, bottom};
  };
  const name = el => {
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || el.name || '').trim();
    const type = el.type && el.tagName !== 'A' ? `[${el.type}]` : '';
    return `${el.tagName.toLowerCase()}${type} "${text.slice(0, 40)}"`;
  };
  const controls = [...document.querySelectorAll(selector)].filter(el => shown(el) && !inText(el));
  const small = [], covered = [];
  const related = (a, b) => a === b || a.contains(b) || b.contains(a);
  const owns = (el, hit) => hit && (
    el === hit || el.contains(hit) || labels(el).some(l => l === hit || l.contains(hit)));
  for (const el of controls) {
    el.scrollIntoView({block: 'center', inline: 'nearest', behavior: 'instant'});
    const b = box(el);
    const width = b.right - b.left, height = b.bottom - b.top;
    let crowded = false;
    if (width < min) {
      const middle = (b.left + b.right) / 2;
      const band = {left: middle - min / 2, right: middle + min / 2, top: b.top, bottom: b.bottom};
      crowded = controls.some(other => {
        if (related(el, other)) return false;
        const o = box(other);
        return o.left < band.right && o.right > band.left && o.top < band.bottom && o.bottom > band.top;
      });
    }
    if (height < min - 0.5 || crowded) {
      const close = crowded ? ' with a neighbour too close' : '';
      small.push(`${name(el)} is ${Math.round(width)}x${Math.round(height)} px${close}`);
    }
    const rects = [...el.getClientRects()];
    const points = rects.map(r => [(r.left + r.right) / 2, (r.top + r.bottom) / 2]);
    if (rects.length === 1) {
      const r = rects[0];
      for (const [fx, fy] of [[0.2, 0.5], [0.8, 0.5], [0.5, 0.25], [0.5, 0.75]]) {
        points.push([r.left + fx * r.width, r.top + fy * r.height]);
      }
    }
    for (const [x, y] of points) {
      if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) continue;
      const hit = document.elementFromPoint(x, y);
      if (!owns(el, hit)) {
        const by = hit ? `${name(hit)} .${[...hit.classList].join('.')}` : 'nothing';
        covered.push(`${name(el)} is covered at (${Math.round(x)}, ${Math.round(y)}) by ${by}`);
        break;
      }
    }
  }
  scrollTo(0, 0);
  return {small, covered};
}
"""


def target_problems(page) -> list[str]:
    """Every control on the page as it is now that is too small or covered, one line each."""
    found = page.evaluate(_MEASURE, MIN_PX)
    return found["small"] + found["covered"]


def assert_targets_ok(page) -> None:
    problems = target_problems(page)
    where = f"{page.url} at {page.viewport_size['width']} px"
    assert not problems, f"tap targets on {where}:\n  " + "\n  ".join(problems)
