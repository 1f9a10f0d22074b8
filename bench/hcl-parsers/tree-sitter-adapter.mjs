// tree-sitter-hcl's concrete syntax tree → gitops-gate's syntax tree (src/manifests/terraform/syntax.ts),
// then gitops-gate's own template pairing and converter: what adopting tree-sitter would keep of ours.
// For bench/hcl-parsers.mjs only. It checks nothing that HCL checks beyond tree-sitter's own
// ERROR and MISSING nodes, and recurses without a depth limit: both are findings of the bench.
export function makeTreeSitterAdapter({ convert, templateTree, flushHeredoc, meld, LineIndex, SourceMap }) {
  const SIMPLE = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\" };
  const decode = (raw) =>
    raw.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)|\$\$\{|%%\{/gs, (m, esc) => {
      if (m === "$${") return "${";
      if (m === "%%{") return "%{";
      if (esc.length > 1) return String.fromCodePoint(parseInt(esc.slice(1), 16));
      return SIMPLE[esc] ?? m;
    });
  const named = (n) => n.namedChildren;

  function expr(src, n) {
    const span = { s: n.startIndex, e: n.endIndex };
    switch (n.type) {
      case "expression": {
        const kids = named(n);
        if (n.child(0).type === "(") return { k: "other", ...span };
        if (kids.length === 1) return expr(src, kids[0]);
        const plain = kids[0].type === "variable_expr" && kids.slice(1).every((k) => k.type === "get_attr" || k.type === "legacy_index" || (k.type === "index" && isLiteralIndex(k)));
        return { k: plain ? "trav" : "other", ...span };
      }
      case "variable_expr":
        return { k: "trav", ...span };
      case "literal_value":
        return literal(src, named(n)[0]);
      case "template_expr":
        return template(src, named(n)[0]);
      case "collection_value":
        return collection(src, named(n)[0]);
      case "operation": {
        const op = named(n)[0];
        if (op.type !== "unary_operation") return { k: "other", ...span };
        return { k: "unary", ...span, op: op.child(0).type, val: expr(src, op.child(1)) };
      }
      case "conditional": {
        const [c, t, f] = named(n).map((k) => expr(src, k));
        return { k: "cond", ...span, cond: c, t, f };
      }
      default:
        return { k: "other", ...span };
    }
  }
  /** `a[0]`, `a["k"]`: index → new_index → [ expression ]; a literal keeps a traversal plain. */
  const isLiteralIndex = (idx) => {
    const e = named(named(idx)[0] ?? idx).find((k) => k.type === "expression");
    const inner = e && named(e)[0];
    return Boolean(inner && inner.type === "literal_value");
  };
  function literal(src, n) {
    const span = { s: n.startIndex, e: n.endIndex };
    if (n.type === "numeric_lit") return { k: "num", ...span, text: n.text };
    if (n.type === "bool_lit") return { k: "bool", ...span, v: n.text === "true" };
    if (n.type === "null_lit") return { k: "null", ...span };
    return template(src, n); // string_lit
  }
  function collection(src, n) {
    const span = { s: n.startIndex, e: n.endIndex };
    if (n.type === "tuple") return { k: "tuple", ...span, items: named(n).filter((k) => k.type === "expression").map((k) => expr(src, k)) };
    if (n.type === "object") {
      const items = named(n).filter((k) => k.type === "object_elem").map((el) => {
        const [key, value] = named(el).filter((k) => k.type === "expression");
        return { key: expr(src, key), value: expr(src, value) };
      });
      return { k: "object", ...span, items };
    }
    return { k: "other", ...span }; // for_tuple_expr, for_object_expr
  }

  // Templates: tree-sitter leaves the text between parts to the source (it skips spaces), so
  // the literals are the gaps between sequences, split at newlines as hclsyntax scans them.
  function template(src, n) {
    const heredoc = n.type === "heredoc_template";
    const kids = n.children;
    let from;
    let to;
    if (heredoc) {
      from = src.indexOf("\n", kids[1].endIndex) + 1;
      const close = kids[kids.length - 1];
      to = src.lastIndexOf("\n", close.startIndex - 1) + 1;
      if (kids.length === 3 && to < from) to = from; // no body: "<<EOT\nEOT"
    } else {
      from = kids[0].endIndex;
      to = kids[kids.length - 1].startIndex;
    }
    const events = [];
    collectSequences(src, kids, events);
    const parts = [];
    let at = from;
    let ltrim = false;
    const pushText = (a, b) => {
      let text = src.slice(a, b);
      if (!heredoc) text = decode(text);
      const pieces = heredoc ? text.match(/[^\n]*\n|[^\n]+/g) ?? [] : text ? [text] : [];
      pieces.forEach((p, i) => {
        const v = heredoc ? p.replaceAll("$${", "${").replaceAll("%%{", "%{") : p;
        parts.push({ k: "lit", v: i === 0 && ltrim ? v.replace(/^\p{White_Space}*/u, "") : v, s: a, e: b, fresh: true });
      });
      ltrim = false;
    };
    for (const ev of events) {
      if (ev.s > at) pushText(at, ev.s);
      const prev = parts[parts.length - 1];
      if (ev.stripLeft && prev && prev.k === "lit" && prev.fresh) prev.v = prev.v.replace(/\p{White_Space}+$/u, "");
      for (const p of parts) delete p.fresh;
      parts.push(ev.part);
      ltrim = ev.stripRight;
      at = ev.e;
    }
    if (to > at) pushText(at, to);
    for (const p of parts) delete p.fresh;
    if (parts.length === 0) parts.push({ k: "lit", v: "", s: to, e: to });
    if (heredoc && kids[0].text === "<<-") flushHeredoc(parts);
    meld(parts);
    const span = { s: n.startIndex, e: n.endIndex };
    if (parts.length === 1 && parts[0].k === "interp") return { k: "wrap", ...span, inner: parts[0].expr };
    return { k: "tmpl", ...span, parts: templateTree(parts, 100, 1) }; // gitops-gate's default depth limit
  }
  function collectSequences(src, kids, events) {
    for (const k of kids) {
      if (k.type === "template_interpolation") {
        const e = named(k).find((c) => c.type === "expression");
        events.push({ s: k.startIndex, e: k.endIndex, ...strips(k), part: { k: "interp", s: k.startIndex, expr: e ? expr(src, e) : { k: "other", s: k.startIndex, e: k.endIndex } } });
      } else if (k.type === "template_directive") collectSequences(src, k.children, events);
      else if (k.type === "template_if" || k.type === "template_for") collectSequences(src, k.children, events);
      else if (/^template_(if_intro|else_intro|if_end|for_start|for_end)$/.test(k.type)) events.push({ s: k.startIndex, e: k.endIndex, ...strips(k), part: directive(src, k) });
    }
  }
  function strips(k) {
    const marks = k.children.filter((c) => c.type === "strip_marker");
    const left = marks.some((m) => m.startIndex === k.children[0].endIndex);
    const right = marks.some((m) => m.endIndex === k.children[k.children.length - 1].startIndex);
    return { stripLeft: left, stripRight: right };
  }
  function directive(src, k) {
    const s = k.startIndex;
    switch (k.type) {
      case "template_if_intro":
        return { k: "if", s, cond: expr(src, named(k).find((c) => c.type === "expression")) };
      case "template_else_intro":
        return { k: "else", s };
      case "template_if_end":
        return { k: "endif", s };
      case "template_for_end":
        return { k: "endfor", s };
      default: {
        const names = named(k).filter((c) => c.type === "identifier").map((c) => c.text);
        const coll = expr(src, named(k).find((c) => c.type === "expression"));
        return { k: "for", s, keyVar: names.length === 2 ? names[0] : "", valVar: names[names.length - 1], coll };
      }
    }
  }

  function body(src, n) {
    const out = { attributes: [], blocks: [] };
    for (const item of n ? named(n) : []) {
      if (item.type === "attribute") {
        const [id, e] = named(item);
        out.attributes.push({ name: id.text, s: item.startIndex, expr: expr(src, e) });
      } else if (item.type === "block") {
        const kids = named(item);
        const labels = kids.slice(1).filter((c) => c.type === "string_lit" || c.type === "identifier").map((c) => (c.type === "identifier" ? c.text : decode(src.slice(c.child(0).endIndex, c.child(c.childCount - 1).startIndex))));
        out.blocks.push({ type: kids[0].text, labels, s: item.startIndex, body: body(src, kids.find((c) => c.type === "body")) });
      }
    }
    return out;
  }

  /** One file: the document and its source map, or the error tree-sitter's tree signals. */
  return function toDocument(tree, src) {
    const root = tree.rootNode;
    if (root.hasError) return { ok: false, error: "tree has ERROR or MISSING nodes" };
    const b = body(src, named(root).find((c) => c.type === "body"));
    const items = [...b.attributes, ...b.blocks];
    if (items.length === 0) return { ok: true, doc: {} };
    const lines = new LineIndex(src);
    try {
      const { content, places } = convert(src, lines, b);
      const sourceMap = new SourceMap(lines.lineOf(Math.min(...items.map((i) => i.s))));
      for (const [p, l] of places) sourceMap.set(p, l);
      return { ok: true, doc: content, sourceMap };
    } catch (err) {
      return { ok: false, error: String(err.message ?? err) };
    }
  };
}
