// What govscan measures in a rendered page: axe-core's results, and the layout facts axe
// does not measure, for the 适老化 checks. Evaluated by govscan.probes.browser as
// `([step, options]) => …`, one call per step (each call is a round trip through the
// browser); every step returns plain JSON, axe's as one string (Playwright copies a string
// much faster than a deep object).
([step, options]) => {
  const cssPath = (el) => {
    const parts = [];
    for (let node = el; node && node.nodeType === 1 && parts.length < 4; node = node.parentElement) {
      if (node.id) { parts.unshift(`#${CSS.escape(node.id)}`); break; }
      const classes = [...node.classList].slice(0, 2).map((c) => `.${CSS.escape(c)}`).join("");
      parts.unshift(node.tagName.toLowerCase() + classes);
    }
    return parts.join(" > ");
  };
  const snippet = (el) => el.outerHTML.slice(0, 200);
  const visible = (el) => el.checkVisibility({ opacityProperty: true, visibilityProperty: true });
  const viewportShare = (rect) => {
    const width = Math.max(0, Math.min(rect.right, innerWidth) - Math.max(rect.left, 0));
    const height = Math.max(0, Math.min(rect.bottom, innerHeight) - Math.max(rect.top, 0));
    return (width * height) / (innerWidth * innerHeight);
  };
  // A layer lies over the page rather than in it: fixed to the viewport, or placed
  // absolutely against the page itself (not inside a positioned box such as a carousel).
  const isLayer = (el, style) =>
    style.position === "fixed" ||
    (style.position === "absolute" && [null, document.body, document.documentElement].includes(el.offsetParent));

  const axeSummary = (results) => {
    const rule = (found) => ({
      id: found.id, impact: found.impact, help: found.help, description: found.description,
      wcag: found.tags.filter((tag) => /^wcag\d{3,4}$/.test(tag)),
      nodes: found.nodes.length,
      examples: found.nodes.slice(0, options.examples).map((node) => ({
        target: node.target.join(" "), html: node.html.slice(0, 300),
        summary: (node.failureSummary || "").slice(0, 300),
      })),
    });
    return JSON.stringify({
      version: results.testEngine.version,
      violations: results.violations.map(rule),
      passes: results.passes.map((found) => found.id),
    });
  };

  // The layers over the page after load; then scroll, so that "settled" sees which moved.
  const snapshotLayers = () => {
    const layers = [];
    for (const el of document.body ? document.body.querySelectorAll("*") : []) {
      const style = getComputedStyle(el);
      if (!isLayer(el, style) || !visible(el)) continue;
      const rect = el.getBoundingClientRect();
      const share = viewportShare(rect);
      if (share < 0.01) continue;
      layers.push({ el, selector: cssPath(el), position: style.position, share, html: snippet(el),
                    top: rect.top + scrollY, left: rect.left + scrollX,
                    full_width: rect.width >= innerWidth * 0.9 });
    }
    window.__govscanLayers = layers;
    scrollBy(0, Math.min(400, document.documentElement.scrollHeight - innerHeight));
    return null;
  };

  // A layer fixed to the viewport, or whose place on the page changed since the snapshot,
  // follows the scroll or floats by itself (the classic 飘窗).
  const settledLayers = () => (window.__govscanLayers || []).map(({ el, top, left, ...layer }) => {
    const rect = el.getBoundingClientRect();
    const moved = Math.abs(rect.top + scrollY - top) > 2 || Math.abs(rect.left + scrollX - left) > 2;
    return { ...layer, floats: layer.position === "fixed" || moved };
  });

  // Characters of visible text by computed font size (CSS px).
  const textSizes = () => {
    const sizes = {};
    if (!document.body) return sizes;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.data.replace(/\s+/g, "");
      const parent = node.parentElement;
      if (!text || !parent || parent.closest("script, style, noscript, template")) continue;
      if (!visible(parent)) continue;
      const px = Math.round(parseFloat(getComputedStyle(parent).fontSize) * 10) / 10;
      sizes[px] = (sizes[px] || 0) + text.length;
    }
    return sizes;
  };

  // What a visitor can click, and the scripts loaded: where a 关怀版 entrance shows.
  const controls = () => {
    const texts = [...document.querySelectorAll("a, button, [role=button], [onclick]")]
      .map((el) => (el.innerText || el.title || el.getAttribute("aria-label") ||
                    (el.querySelector("img[alt]") || {}).alt || "").trim().slice(0, 40))
      .filter(Boolean);
    const scripts = [...document.scripts].map((s) => s.src).filter(Boolean);
    return { controls: [...new Set(texts)], scripts };
  };

  // At 640 CSS px (1280 px at 200% zoom): does the page need horizontal scrolling, and
  // which outermost element sticks out?
  const reflow = () => {
    const width = document.documentElement.clientWidth;
    const scrollWidth = Math.max(document.documentElement.scrollWidth, document.body ? document.body.scrollWidth : 0);
    let culprit = null;
    const queue = document.body ? [...document.body.children] : [];
    while (queue.length && !culprit) {
      const el = queue.shift();
      if (getComputedStyle(el).position === "fixed") continue;  // never makes the page scroll
      if (el.getBoundingClientRect().right > width + 1) culprit = el;
      else queue.push(...el.children);
    }
    return { width, scroll_width: scrollWidth,
             culprit: culprit && { selector: cssPath(culprit), html: snippet(culprit) } };
  };

  // What the site stored in this visit, so that the next page is a first visit too.
  const forget = () => {
    try { localStorage.clear(); sessionStorage.clear(); } catch (e) { /* storage disabled */ }
  };

  switch (step) {
    case "axe": return axe.run(document, options.axe).then(axeSummary);
    case "layers": return snapshotLayers();
    case "settled":
      return { layers: settledLayers(), text_sizes: textSizes(),
               controls: options.controls ? controls() : null };
    case "reflow": { const found = reflow(); forget(); return found; }
    default: throw new Error(`unknown step ${step}`);
  }
}
