/// A short page for "not found" and "key needed" answers.
enum MessageTemplate {
    static let text = """
        {{<layout}}
        {{$body}}
        <h1>{{heading}}</h1>
        <p>{{message}}</p>
        <p><a href="/">Back to the search</a></p>
        {{/body}}
        {{/layout}}
        """
}
