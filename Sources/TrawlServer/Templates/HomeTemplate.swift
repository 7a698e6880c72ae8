/// The home and results page: search form, sort, facet filters, result cards, pagination.
enum HomeTemplate {
    static let text = """
        {{<layout}}
        {{$body}}
        <h1>{{heading}}</h1>
        <form class="search" method="get" action="/" role="search">
        <input type="hidden" name="collection" value="{{collection}}">
        <div class="field"><label for="q">Search packages</label>
        <input id="q" type="search" name="q" value="{{q}}" placeholder="name, summary or keyword"></div>
        <div class="field" style="flex: 0 1 11rem"><label for="sort">Sort by</label>
        <select id="sort" name="sort">{{#sorts}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/sorts}}</select></div>
        <button type="submit">Search</button>
        <div class="layout" style="width: 100%">
        <aside id="filters" aria-label="Filters">
        <fieldset><legend>Show only</legend>
        <label><input type="checkbox" name="official" value="true"{{#official}} checked{{/official}}> Official</label>
        <label><input type="checkbox" name="verified" value="true"{{#verified}} checked{{/verified}}> Verified</label>
        </fieldset>
        {{#facets}}<fieldset><legend>{{label}}</legend>
        {{#values}}<label><input type="checkbox" name="{{parameter}}" value="{{value}}"{{#checked}} checked{{/checked}}> {{value}} <span class="version">({{count}})</span></label>{{/values}}
        </fieldset>{{/facets}}
        <button type="submit">Apply filters</button>
        </aside>
        <div>
        <p role="status">{{foundText}} <a class="to-filters" href="#filters">Filters ↓</a></p>
        {{#hasResults}}<ol class="results">
        {{#results}}<li class="card">
        <h2><a href="{{url}}">{{name}}</a> <span class="version">{{version}}</span>{{#official}}<span class="badge official">official</span>{{/official}}{{#verified}}<span class="badge verified">verified</span>{{/verified}}{{#new}}<span class="badge new">new</span>{{/new}}</h2>
        <p>{{summary}}</p>
        <label class="pick"><input type="checkbox" name="p" value="{{normalized}}" form="compare"> Compare</label>
        <dl class="stats"><div><dt>Stars</dt><dd>{{stars}}</dd></div><div><dt>Downloads/month</dt><dd>{{downloads}}</dd></div><div><dt>Health</dt><dd>{{health}}/100</dd></div><div><dt>Last release</dt><dd>{{released}}</dd></div></dl>
        </li>{{/results}}
        </ol>{{/hasResults}}
        {{^hasResults}}<p class="empty">No packages match. Try fewer words or filters.</p>{{/hasResults}}
        <nav class="pages" aria-label="Pagination">{{#previous}}<a href="{{previous}}" rel="prev">← Previous</a>{{/previous}}<span>Page {{page}} of {{pages}}</span>{{#next}}<a href="{{next}}" rel="next">Next →</a>{{/next}}</nav>
        </div>
        </div>
        </form>
        {{#hasResults}}<form id="compare" class="compare" method="get" action="/compare">
        <input type="hidden" name="collection" value="{{collection}}">
        <button type="submit">Compare the ticked packages</button> <span>(up to 10)</span>
        </form>{{/hasResults}}
        {{/body}}
        {{/layout}}
        """
}
