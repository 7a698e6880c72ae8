/// Packages side by side: one column per package, one row per question (`CompareTable`).
enum CompareTemplate {
    static let text = """
        {{<layout}}
        {{$body}}
        <h1>{{heading}}</h1>
        {{#missing}}<p class="empty">Not in this collection: {{missing}}</p>{{/missing}}
        <div class="table-wrap"><table>
        <thead><tr><th scope="col"></th>{{#columns}}<th scope="col"><a href="{{url}}">{{name}}</a></th>{{/columns}}</tr></thead>
        <tbody>{{#rows}}<tr><th scope="row">{{label}}</th>{{#cells}}<td>{{value}}</td>{{/cells}}</tr>
        {{/rows}}</tbody>
        </table></div>
        <p><a href="/?collection={{collection}}">Back to the search</a></p>
        {{/body}}
        {{/layout}}
        """
}
