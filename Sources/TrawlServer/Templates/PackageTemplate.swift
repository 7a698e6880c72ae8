/// One package: metadata, links, downloads, health breakdown, releases and the README (rendered
/// by `SafeMarkdown`, the only unescaped value on any page).
enum PackageTemplate {
    static let text = """
        {{<layout}}
        {{$body}}
        <p><a href="/?collection={{collection}}">← All {{collectionName}} packages</a></p>
        <h1>{{name}} <span class="version">{{version}}</span>{{#official}}<span class="badge official">official</span>{{/official}}{{#verified}}<span class="badge verified">verified</span>{{/verified}}{{#new}}<span class="badge new">new</span>{{/new}}</h1>
        <p>{{summary}}</p>
        <dl class="stats"><div><dt>Stars</dt><dd>{{stars}}</dd></div><div><dt>Health</dt><dd>{{health}}/100</dd></div><div><dt>Last release</dt><dd>{{released}}</dd></div></dl>
        {{#hasLinks}}<section aria-labelledby="links"><h2 id="links">Links</h2><ul>{{#links}}<li><a href="{{url}}" rel="nofollow noopener noreferrer">{{label}}</a></li>{{/links}}</ul></section>{{/hasLinks}}
        <section aria-labelledby="meta"><h2 id="meta">Details</h2>
        <dl class="meta">{{#meta}}<dt>{{label}}</dt><dd>{{value}}</dd>{{/meta}}</dl></section>
        <section aria-labelledby="downloads"><h2 id="downloads">Downloads</h2>
        <dl class="stats"><div><dt>Last day</dt><dd>{{downloadsDay}}</dd></div><div><dt>Last week</dt><dd>{{downloadsWeek}}</dd></div><div><dt>Last month</dt><dd>{{downloadsMonth}}</dd></div><div><dt>Total</dt><dd>{{downloadsTotal}}</dd></div></dl></section>
        {{#hasHealth}}<section aria-labelledby="health"><h2 id="health">Health score: {{health}}/100</h2>
        <div class="table-wrap"><table><thead><tr><th scope="col">Rule</th><th scope="col">Points</th><th scope="col">Why</th></tr></thead>
        <tbody>{{#healthRules}}<tr><td>{{rule}}</td><td>{{points}}</td><td>{{why}}</td></tr>{{/healthRules}}</tbody></table></div></section>{{/hasHealth}}
        {{#usedBy}}<section aria-labelledby="used-by"><h2 id="used-by">{{usedBy}}</h2>
        <ul class="edges">{{#dependents}}<li><a href="{{url}}">{{name}}</a>{{#condition}} <small>({{condition}})</small>{{/condition}}</li>{{/dependents}}</ul></section>{{/usedBy}}
        {{#hasDependencies}}<section aria-labelledby="requires"><h2 id="requires">Requires, in this ecosystem</h2>
        <ul class="edges">{{#dependencies}}<li><a href="{{url}}">{{name}}</a>{{#condition}} <small>({{condition}})</small>{{/condition}}</li>{{/dependencies}}</ul></section>{{/hasDependencies}}
        {{#hasVulnerabilities}}<section aria-labelledby="vulnerabilities"><h2 id="vulnerabilities">Known vulnerabilities</h2>
        <p>The index lists these advisories for version {{version}}.</p>
        <ul>{{#vulnerabilities}}<li>{{#link}}<a href="{{link}}" rel="nofollow noopener noreferrer">{{id}}</a>{{/link}}{{^link}}{{id}}{{/link}}{{#aliases}} ({{aliases}}){{/aliases}}{{#summary}}: {{summary}}{{/summary}}{{#fixedIn}} — fixed in {{fixedIn}}{{/fixedIn}}</li>{{/vulnerabilities}}</ul></section>{{/hasVulnerabilities}}
        {{#hasReleases}}<section aria-labelledby="releases"><h2 id="releases">Releases</h2>
        <div class="table-wrap"><table><thead><tr><th scope="col">Version</th><th scope="col">Released</th><th scope="col">Python</th></tr></thead>
        <tbody>{{#releases}}<tr><td>{{version}}{{#yanked}} (yanked){{/yanked}}</td><td>{{date}}</td><td>{{python}}</td></tr>{{/releases}}</tbody></table></div></section>{{/hasReleases}}
        <section aria-labelledby="readme"><h2 id="readme">Description</h2>
        <div class="readme">{{{readme}}}</div></section>
        {{/body}}
        {{/layout}}
        """
}
