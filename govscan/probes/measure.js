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
    window.__govscanCulprit = culprit;
    return { width, scroll_width: scrollWidth,
             culprit: culprit && { selector: cssPath(culprit), html: snippet(culprit) } };
  };

  // Links to other hosts that a visitor cannot see: hidden by a style sheet or an ancestor,
  // off the page, of no size, in the background's colour, or in a marquee too small to read
  // (dark links are planted so). With `words`, also whether the page's title and first lines
  // carry them, so that such a page is photographed as the visitor first sees it.
  const opaqueBackground = (el) => {
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      const colour = getComputedStyle(node).backgroundColor;
      if (!/rgba\(.*,\s*0\)$|transparent/.test(colour)) return colour;
    }
    return "rgb(255, 255, 255)";
  };
  const channels = (colour) => (colour.match(/[\d.]+/g) || []).slice(0, 3).map(Number);
  const sameColour = (a, b) => {
    const [x, y] = [channels(a), channels(b)];
    return x.length === 3 && y.length === 3 && x.every((value, i) => Math.abs(value - y[i]) <= 8);
  };
  const hiddenHow = (el) => {
    if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) return "hidden";
    const rect = el.getBoundingClientRect();
    if (rect.width * rect.height < 2) return "zero_size";
    const [right, bottom] = [rect.right + scrollX, rect.bottom + scrollY];
    if (right <= 0 || bottom <= 0 || rect.left + scrollX >= document.documentElement.scrollWidth) {
      return "off_screen";
    }
    const style = getComputedStyle(el);
    if (parseFloat(style.fontSize) < 2) return "tiny_font";
    if (sameColour(style.color, opaqueBackground(el))) return "same_colour";
    const marquee = el.closest("marquee");
    if (marquee) {
      const box = marquee.getBoundingClientRect();
      if (box.width < 8 || box.height < 8 || Number(marquee.getAttribute("scrollamount")) > 100) {
        return "marquee";
      }
    }
    return null;
  };
  const hiddenLinks = () => {
    const words = options.words ? new RegExp(options.words, "i") : null;
    const found = [];
    for (const el of document.querySelectorAll("a[href]")) {
      let url;
      try { url = new URL(el.href); } catch (e) { continue; }
      if (!/^https?:$/.test(url.protocol) || url.hostname === location.hostname) continue;
      const how = hiddenHow(el);
      if (!how) continue;
      const text = el.textContent.replace(/\s+/g, " ").trim().slice(0, 80);
      found.push({ el, href: el.href, text, how, selector: cssPath(el), html: snippet(el),
                   suspect: Boolean(words && words.test(`${text} ${el.href}`)) });
    }
    // The suspect first, then the others, as many as the limit allows.
    const kept = [...found.filter((link) => link.suspect), ...found.filter((link) => !link.suspect)]
      .slice(0, options.limit);
    window.__govscanHidden = kept;
    const opening = document.title + " " + (document.body ? document.body.innerText.slice(0, 2000) : "");
    return { links: kept.map(({ el, ...link }) => link),
             suspect: Boolean(words && words.test(opening)) };
  };

  // An element to photograph, outlined in red (a hidden one shown first), scrolled into view;
  // the clip around it on the screen: the element with a margin, or the whole screen.
  const elementOf = ([kind, key]) => {
    if (kind === "layer") return ((window.__govscanLayers || [])[key] || {}).el;
    if (kind === "hidden") return ((window.__govscanHidden || [])[key] || {}).el;
    if (kind === "culprit") return window.__govscanCulprit;
    try { return document.querySelector(key); } catch (e) { return null; }
  };
  const reveal = (el) => {
    for (let node = el; node && node !== document.body; node = node.parentElement) {
      const style = getComputedStyle(node);
      const set = (name, value) => node.style.setProperty(name, value, "important");
      if (style.display === "none") set("display", node === el ? "inline-block" : "block");
      if (style.visibility !== "visible") set("visibility", "visible");
      if (parseFloat(style.opacity) < 1) set("opacity", "1");
      if (["absolute", "fixed"].includes(style.position)) set("position", "static");
      if (parseFloat(style.textIndent) < -100) set("text-indent", "0");
      if (style.overflow !== "visible") { set("overflow", "visible"); set("height", "auto"); set("width", "auto"); }
      if (parseFloat(style.fontSize) < 8) set("font-size", "14px");
      if (node.tagName === "MARQUEE") { set("width", "600px"); set("height", "auto"); }
    }
    el.style.setProperty("color", "#c00000", "important");
    el.style.setProperty("background", "#ffff80", "important");
  };
  const mark = () => {
    const el = elementOf(options.ref);
    if (!el) return null;
    if (options.reveal) reveal(el);
    window.__govscanMarked = { el, style: el.getAttribute("style") };
    el.style.setProperty("outline", "4px solid #e00000", "important");
    el.style.setProperty("outline-offset", "2px", "important");
    const fixed = getComputedStyle(el).position === "fixed";
    if (!fixed) el.scrollIntoView({ block: "center", inline: "nearest" });
    const rect = el.getBoundingClientRect();
    if (rect.width * rect.height < 1) return null;
    if (options.frame === "screen") return { x: 0, y: 0, width: innerWidth, height: innerHeight };
    const [left, top] = [Math.max(0, rect.left - options.margin), Math.max(0, rect.top - options.margin)];
    const right = Math.min(innerWidth, rect.right + options.margin);
    const bottom = Math.min(innerHeight, rect.bottom + options.margin);
    return right - left >= 1 && bottom - top >= 1
      ? { x: left, y: top, width: right - left, height: bottom - top } : null;
  };
  const unmark = () => {
    const { el, style } = window.__govscanMarked || {};
    if (el) style === null ? el.removeAttribute("style") : el.setAttribute("style", style);
    window.__govscanMarked = null;
    return null;
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
    case "hidden": return hiddenLinks();
    case "mark": return mark();
    case "unmark": return unmark();
    default: throw new Error(`unknown step ${step}`);
  }
}
