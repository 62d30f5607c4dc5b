// MARK: - The page's inline stylesheet

extension HTMLRenderer {
    /// The Content-Security-Policy of every page: nothing may load — no script, font, frame or
    /// remote image; only the inline stylesheet and `data:` images. A second line of defence behind
    /// escaping: even an unescaped `<script>` would not run.
    static let contentSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

    /// System fonts only (no web fonts: the page makes no requests); readable on screen and paper.
    static let stylesheet = """
    :root { --fg: #1d2430; --muted: #637083; --line: #d9dee6; --bg: #ffffff; --panel: #f6f8fa;
      --accent: #2c6fbb; --good: #1f7a3a; --good-bg: #e8f5ec; --bad: #a3261c; --bad-bg: #fbeae8; }
    * { box-sizing: border-box; }
    html { -webkit-text-size-adjust: 100%; }
    body { margin: 0; background: var(--bg); color: var(--fg);
      font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
    main { max-width: 1100px; margin: 0 auto; padding: 24px 28px 48px; }
    header.page { border-bottom: 2px solid var(--fg); padding-bottom: 12px; margin-bottom: 8px; }
    h1 { font-size: 28px; margin: 0 0 4px; letter-spacing: -0.01em; }
    h1 .kind { color: var(--muted); font-weight: 400; }
    h2 { font-size: 20px; margin: 36px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
    h3 { font-size: 16px; margin: 20px 0 8px; }
    p { margin: 6px 0 10px; }
    .meta, .muted, .hint { color: var(--muted); }
    .hint { font-size: 13px; }
    nav.toc { font-size: 14px; margin: 10px 0 0; }
    nav.toc a { color: var(--accent); text-decoration: none; margin-right: 14px; white-space: nowrap; }
    nav.toc a:hover { text-decoration: underline; }
    table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; font-size: 14px; }
    th, td { padding: 6px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
    th { background: var(--panel); font-weight: 600; white-space: nowrap; }
    td.num, th.num { text-align: right; white-space: nowrap; }
    td.model { font-weight: 600; overflow-wrap: anywhere; }
    tr.first td { background: #f3f8fe; }
    .up { color: var(--good); } .down { color: var(--bad); } .new { color: var(--accent); font-size: 12px; }
    .held { display: inline-block; font-size: 11px; font-weight: 600; color: #7a4d00; background: #fff1d6;
      border: 1px solid #f0d49a; border-radius: 3px; padding: 0 4px; margin-left: 4px; vertical-align: 1px; }
    .scroll { overflow-x: auto; }
    figure { margin: 8px 0 4px; }
    figcaption { font-size: 13px; color: var(--muted); margin-top: 4px; }
    svg.chart { max-width: 100%; height: auto; display: block; }
    svg .grid { stroke: #e6e9ee; stroke-width: 1; }
    svg .tick { font-size: 11px; fill: var(--muted); }
    svg .axis-title { font-size: 12px; fill: var(--muted); }
    svg .label { font-size: 12px; fill: var(--fg); }
    svg .value { font-size: 12px; fill: var(--fg); font-variant-numeric: tabular-nums; }
    svg .muted { fill: var(--muted); }
    svg .bar { fill: #b9d1ea; }
    svg .bar.top { fill: #8fb5dd; }
    svg .whisker { stroke: #1d2430; stroke-width: 1.4; }
    svg .dot { fill: #1d2430; }
    svg .line { fill: none; stroke-width: 2; }
    svg .cell { font-size: 11px; fill: #1d2430; font-variant-numeric: tabular-nums; }
    svg .cell.inverse { fill: #ffffff; }
    .legend { display: flex; align-items: center; gap: 8px; font-size: 12px; color: var(--muted); margin-top: 6px; }
    .legend .ramp { width: 160px; height: 10px; border: 1px solid var(--line);
      background: linear-gradient(to right, #ca4038, #ffffff, #2c6fbb); }
    .verdict { border-radius: 6px; padding: 12px 16px; margin: 8px 0 12px; font-weight: 600; border: 1px solid; }
    .verdict.good { background: var(--good-bg); color: var(--good); border-color: #b9dfc5; }
    .verdict.bad { background: var(--bad-bg); color: var(--bad); border-color: #efc2bd; }
    .verdict.neutral { background: #fff8e6; color: #7a5300; border-color: #f0d49a; }
    .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 10px; }
    .card { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
    .card .figure { font-size: 22px; font-weight: 650; font-variant-numeric: tabular-nums; }
    .card .what { font-size: 13px; font-weight: 600; }
    .card .hint { margin-top: 2px; }
    .card.warn { border-color: #efc2bd; background: var(--bad-bg); }
    .notes { background: #fff8e6; border: 1px solid #f0d49a; border-radius: 6px; padding: 8px 14px; }
    .notes li { margin: 2px 0; }
    details.sample { border: 1px solid var(--line); border-radius: 6px; margin: 8px 0; background: var(--bg); }
    details.sample > summary { cursor: pointer; padding: 8px 12px; background: var(--panel); border-radius: 6px;
      list-style-position: inside; }
    details.sample[open] > summary { border-bottom: 1px solid var(--line); border-radius: 6px 6px 0 0; }
    details.sample .body { padding: 10px 12px; }
    .pair { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
    details.sample h4 { margin: 10px 0 4px; font-size: 14px; }
    .tag { display: inline-block; font-size: 12px; padding: 0 6px; border-radius: 3px; background: #e7edf5;
      color: #244a75; font-weight: 600; }
    .tag.win { background: var(--good-bg); color: var(--good); }
    .tag.bad { background: var(--bad-bg); color: var(--bad); }
    pre.text { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; padding: 8px 10px; background: var(--panel);
      border: 1px solid var(--line); border-radius: 4px; font: 13px/1.45 ui-monospace, "SFMono-Regular",
      "DejaVu Sans Mono", Menlo, Consolas, monospace; max-height: 420px; overflow-y: auto; }
    footer { margin-top: 40px; padding-top: 10px; border-top: 1px solid var(--line); font-size: 12px; color: var(--muted); }
    @media (max-width: 760px) { .pair { grid-template-columns: 1fr; } main { padding: 16px; } }
    @media print {
      @page { margin: 14mm; }
      body { font-size: 11pt; }
      main { max-width: none; padding: 0; }
      nav.toc { display: none; }
      * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
      h2 { break-after: avoid; }
      figure, table, .card, .verdict, details.sample { break-inside: avoid; }
      pre.text { max-height: none; overflow: visible; }
      .scroll { overflow: visible; }
      a { color: inherit; text-decoration: none; }
    }
    """
}
