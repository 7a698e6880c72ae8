/// The page frame shared by every page: readable at phone width, high-contrast colours, labelled
/// controls. No script: everything works as plain links and GET forms.
enum LayoutTemplate {
    static let text = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>{{title}}</title>
        <style>
        :root { --fg: #1a1a1a; --muted: #4a4a4a; --bg: #ffffff; --line: #d0d0d0; --accent: #0b5394; --card: #f7f7f7; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
        a { color: var(--accent); }
        header.site { background: #0b2e4f; color: #fff; padding: .6rem 1rem; display: flex; gap: 1rem; align-items: baseline; flex-wrap: wrap; }
        header.site a { color: #fff; font-weight: 700; text-decoration: none; font-size: 1.2rem; }
        header.site nav a { font-size: 1rem; font-weight: 400; text-decoration: underline; margin-right: .8rem; }
        main { max-width: 72rem; margin: 0 auto; padding: 1rem; }
        h1 { font-size: 1.6rem; margin: .2rem 0 1rem; word-break: break-word; }
        .layout { display: grid; grid-template-columns: 16rem 1fr; gap: 1.5rem; }
        @media (max-width: 760px) { .layout { grid-template-columns: 1fr; } .layout > aside { order: 2; } }
        .to-filters { display: none; } @media (max-width: 760px) { .to-filters { display: inline; } }
        form.search { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; margin-bottom: 1rem; }
        form.search .field { display: flex; flex-direction: column; flex: 1 1 12rem; }
        label { font-weight: 600; font-size: .9rem; }
        input[type=search], select { font: inherit; padding: .45rem; border: 1px solid #767676; border-radius: 4px; min-height: 2.4rem; }
        button { font: inherit; padding: .45rem 1rem; background: var(--accent); color: #fff; border: 0; border-radius: 4px; min-height: 2.4rem; cursor: pointer; }
        fieldset { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 1rem; padding: .5rem .8rem; }
        legend { font-weight: 700; }
        fieldset label { font-weight: 400; display: block; }
        ol.results { list-style: none; padding: 0; margin: 0; }
        .card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: .8rem 1rem; margin-bottom: .8rem; }
        .card h2 { font-size: 1.15rem; margin: 0; word-break: break-word; }
        .version { color: var(--muted); font-weight: 400; font-size: .95rem; }
        .badge { display: inline-block; font-size: .75rem; font-weight: 700; padding: .05rem .45rem; border-radius: 999px; margin-left: .3rem; vertical-align: middle; }
        .badge.official { background: #e2f0d9; color: #1e4d10; }
        .badge.verified { background: #dde8f7; color: #0b3d75; }
        .badge.new { background: #fde9c8; color: #6b3d00; }
        .stats { display: flex; flex-wrap: wrap; gap: .3rem 1.2rem; margin: .4rem 0 0; color: var(--muted); font-size: .9rem; }
        .stats dt { display: inline; font-weight: 600; } .stats dd { display: inline; margin: 0 0 0 .25rem; }
        .stats div { white-space: nowrap; }
        nav.pages { display: flex; gap: 1rem; justify-content: center; margin: 1rem 0; }
        table { border-collapse: collapse; width: 100%; font-size: .92rem; }
        th, td { text-align: left; border-bottom: 1px solid var(--line); padding: .3rem .4rem; vertical-align: top; }
        .table-wrap { overflow-x: auto; }
        section { margin: 1.5rem 0; }
        .readme { border-top: 2px solid var(--line); padding-top: .5rem; overflow-wrap: anywhere; }
        .readme img { max-width: 100%; height: auto; }
        .readme pre, .readme-text { white-space: pre-wrap; background: var(--card); padding: .6rem; border-radius: 6px; overflow-x: auto; }
        .meta { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
        .meta dt { font-weight: 600; } .meta dd { margin: 0; overflow-wrap: anywhere; }
        .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
        .empty { padding: 2rem 0; }
        </style>
        </head>
        <body>
        <header class="site"><a href="/?collection={{collection}}">Trawl</a><span>{{collectionName}}</span>
        {{#hasCollections}}<nav aria-label="Collections">{{#collections}}<a href="/?collection={{name}}">{{name}}</a>{{/collections}}</nav>{{/hasCollections}}</header>
        <main id="main">
        {{$body}}{{/body}}
        </main>
        </body>
        </html>
        """
}
