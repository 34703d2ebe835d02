/// The viewer's style sheet.
enum ViewerStyle {
    static let sheet = #"""
        :root { --fg: #1d2330; --muted: #5d6675; --line: #d9dde4; --bg: #f6f7f9; --card: #fff; --accent: #1a5fd6; --warn: #b3261e; --ok: #1e7b34; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
        a { color: var(--accent); }
        :focus-visible, .sample:focus { outline: 3px solid var(--accent); outline-offset: 2px; }
        .top { display: flex; align-items: center; gap: 12px; padding: 10px 20px; background: #1d2330; color: #fff; }
        .top a.brand { color: #fff; font-weight: 600; text-decoration: none; font-size: 16px; }
        .top .spacer { flex: 1; }
        .top input { padding: 3px 6px; border-radius: 4px; border: 1px solid #556; }
        .top button { padding: 4px 10px; }
        main { padding: 16px 20px 40px; max-width: 1600px; margin: 0 auto; }
        h1 { font-size: 22px; margin: 8px 0 12px; }
        h2 { font-size: 17px; margin: 0 0 10px; }
        h3 { font-size: 14px; margin: 0 0 6px; }
        .muted { color: var(--muted); }
        .card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; margin: 0 0 16px; }
        .badge { display: inline-block; padding: 1px 8px; border-radius: 10px; background: #e7eaf0; color: var(--fg); font-size: 12px; font-weight: 500; vertical-align: middle; }
        .state-running { background: #dbe8ff; } .state-done { background: #d7f0dd; } .state-failed, .state-cancelled { background: #f8d9d6; } .state-paused { background: #fbeec8; }
        #error { margin: 12px 20px 0; padding: 10px 14px; border-radius: 6px; background: #fde7e5; color: var(--warn); border: 1px solid #f3b9b3; font-weight: 600; }
        #status { margin: 0 20px; color: var(--ok); min-height: 1.4em; padding-top: 6px; }
        table.grid { border-collapse: collapse; width: 100%; }
        table.grid th, table.grid td { border-bottom: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; }
        table.grid thead th { font-size: 12px; color: var(--muted); font-weight: 600; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        td.ci { color: var(--muted); font-size: 12px; white-space: nowrap; }
        tr.total th, tr.total td { font-weight: 600; }
        .progress .bar { display: block; height: 6px; background: #e7eaf0; border-radius: 3px; margin-top: 3px; overflow: hidden; min-width: 80px; }
        .progress .fill { display: block; height: 100%; background: var(--accent); }
        .progress .failed { color: var(--warn); }
        .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(560px, 1fr)); gap: 12px; }
        svg.chart { width: 100%; height: auto; font-size: 12px; }
        svg .chart-title { font-weight: 600; fill: var(--fg); }
        svg .gridline { stroke: #e3e6eb; }
        svg .tick { fill: var(--muted); font-size: 10px; }
        svg .label, svg .value { fill: var(--fg); }
        svg .bar-fill { fill: #8fb3ef; }
        svg .whisker { stroke: #1d2330; stroke-width: 1.5; }
        table.heat td { min-width: 70px; }
        .signin { max-width: 420px; display: grid; gap: 8px; background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 20px; }
        .signin input { padding: 6px 8px; font: inherit; }
        .signin button, a.button { padding: 6px 12px; }
        a.button { display: inline-block; border: 1px solid var(--accent); border-radius: 6px; text-decoration: none; }
        .filters { display: flex; flex-wrap: wrap; gap: 10px 16px; align-items: center; background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
        .filter select, .filter input[type=search] { font: inherit; padding: 2px 4px; }
        table.cases td.question { max-width: 480px; }
        .vote { display: inline-block; min-width: 26px; padding: 0 4px; margin-right: 3px; border-radius: 4px; font-size: 12px; text-align: center; }
        .vote-yes { background: #d7f0dd; color: var(--ok); } .vote-no { background: #f8d9d6; color: var(--warn); } .vote-unknown { background: #eceef2; color: var(--muted); }
        .flag { display: inline-block; margin-left: 4px; font-size: 11px; padding: 0 5px; border-radius: 4px; background: #eceef2; }
        .flag.warn, .verdict.warn { color: var(--warn); }
        .crumbs { color: var(--muted); margin-bottom: 4px; }
        .case-nav { display: flex; gap: 20px; margin: 4px 0; }
        .case-head { display: grid; grid-template-columns: minmax(200px, 360px) 1fr; gap: 20px; align-items: start; margin-bottom: 12px; }
        .case-image { margin: 0; background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 8px; }
        .case-image img { max-width: 100%; max-height: 360px; display: block; margin: 0 auto; image-rendering: auto; min-width: 120px; }
        dl.case-texts dt { font-weight: 600; margin-top: 6px; } dl.case-texts dd { margin: 2px 0 0; white-space: pre-wrap; }
        .keys { font-size: 12px; color: var(--muted); background: var(--card); border: 1px dashed var(--line); border-radius: 6px; padding: 6px 10px; }
        .models { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 14px; align-items: start; }
        .sample { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; margin: 8px 0; background: #fbfbfc; }
        .sample:focus { background: #eef4ff; }
        pre.response-text, pre.judge-text { white-space: pre-wrap; word-break: break-word; font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, monospace; margin: 4px 0; max-height: 320px; overflow: auto; }
        pre.judge-text { font-size: 12px; color: var(--muted); }
        .verdict { font-size: 12px; } .verdict .who { font-weight: 600; }
        .labels { font-size: 12px; margin-top: 4px; } .labels .label { margin-right: 8px; } .labels .label.mine { font-weight: 700; color: var(--ok); }
        """#
}
