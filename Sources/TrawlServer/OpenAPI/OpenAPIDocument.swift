/// The OpenAPI description of /api/v1, served at /openapi.yaml. The same text is `openapi.yaml`
/// at the repository root (a test keeps the two equal); embedded so an installed binary has it.
enum OpenAPIDocument {
    static let yaml = """
        openapi: 3.0.3
        info:
          title: Trawl JSON API
          version: "1"
          description: >
            Search one Python framework ecosystem's packages. Public unless the server runs with
            --private; then send a key in the X-TYPESENSE-API-KEY header. Errors are {"message": ...}.
            The Typesense-compatible endpoints (/collections, /multi_search, /keys, /aliases) follow
            Typesense's own API description and are not repeated here. Every bound on a request is
            listed in x-trawl-limits (and docs/limits.md); out of range is a 400 (per_page past its
            maximum on the Typesense endpoints: 422, as Typesense answers).
          x-trawl-limits:
        \(RequestLimits.table.map { "    \($0.name): \"\($0.bound)\"" }.joined(separator: "\n"))
        servers:
          - url: /
        paths:
          /healthz:
            get:
              operationId: health
              summary: Liveness (200 while the server runs; says whether the search index has loaded)
              responses:
                "200":
                  description: The server is up
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/Readiness"}
          /readyz:
            get:
              operationId: ready
              summary: Readiness (200 once every collection's search index is in memory, 503 while it loads)
              responses:
                "200":
                  description: Searches are answered from the loaded index
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/Readiness"}
                "503":
                  description: The index is still loading (searches are answered from the store, one at a time)
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/Readiness"}
          /api/v1/profiles:
            get:
              operationId: listProfiles
              summary: The profiles this server knows and their collections
              responses:
                "200":
                  description: Profiles
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [profiles]
                        properties:
                          profiles:
                            type: array
                            items:
                              type: object
                              required: [key, name, documents]
                              properties:
                                key: {type: string}
                                name: {type: string}
                                collection: {type: string, nullable: true}
                                documents: {type: integer, minimum: 0}
                "401": {$ref: "#/components/responses/Error"}
          /api/v1/{collection}/packages:
            get:
              operationId: searchPackages
              summary: Search a collection (or alias)
              parameters:
                - {name: collection, in: path, required: true, schema: {type: string, example: django}}
                - {name: q, in: query, description: "Words; typo-tolerant (djnago finds django)", schema: {type: string, maxLength: \(RequestLimits.queryCharacters)}}
                - name: sort
                  in: query
                  schema: {type: string, enum: [relevance, stars, downloads, updated, health, name, newest, trending, dependents]}
                - {name: order, in: query, schema: {type: string, enum: [asc, desc]}}
                - {name: page, in: query, schema: {type: integer, minimum: \(RequestLimits.page.lowerBound), maximum: \(RequestLimits.page.upperBound), default: 1}}
                - {name: per_page, in: query, schema: {type: integer, minimum: \(RequestLimits.apiPerPage.lowerBound), maximum: \(RequestLimits.apiPerPage.upperBound), default: 20}}
                - {name: explain, in: query, description: "With text and the relevance order: each package carries explain (match tier and field, typo or prefix, the popularity figures used)", schema: {type: boolean, default: false}}
                - {name: classifier, in: query, description: "Trove classifier (repeat for any of several)", schema: {type: string}}
                - {name: framework_version, in: query, schema: {type: string}}
                - {name: python_version, in: query, schema: {type: string}}
                - {name: category, in: query, schema: {type: string}}
                - {name: official, in: query, schema: {type: boolean}}
                - {name: verified, in: query, schema: {type: boolean}}
                - {name: has_github, in: query, schema: {type: boolean}}
                - {name: min_health, in: query, schema: {type: integer, minimum: 0, maximum: 100}}
                - name: facet
                  in: query
                  description: Comma-separated fields to count (default framework_versions, python_versions, categories)
                  schema:
                    type: string
                    enum: [classifiers, framework_versions, python_versions, keywords, topics, profiles, discovered_by, categories, package_type]
              responses:
                "200":
                  description: One page of matching packages with facet counts
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/SearchResult"}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
          /api/v1/{collection}/packages/{name}:
            get:
              operationId: getPackage
              summary: One package with its releases and problems
              parameters:
                - {name: collection, in: path, required: true, schema: {type: string, example: django}}
                - {name: name, in: path, required: true, description: Any spelling of the name, schema: {type: string, example: djangorestframework}}
              responses:
                "200":
                  description: The package
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/PackageResult"}
                "401": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
          /api/v1/{collection}/compare:
            get:
              operationId: comparePackages
              summary: Up to 10 packages side by side (the rows of the /compare page)
              parameters:
                - {name: collection, in: path, required: true, schema: {type: string, example: django}}
                - {name: names, in: query, required: true, description: "Comma-separated names, any spelling (or repeated)", schema: {type: string, example: "django-filter,django-tables2"}}
              responses:
                "200":
                  description: The table; names not in the collection are listed in `missing`
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [collection, packages, names, missing, rows]
                        properties:
                          collection: {type: string}
                          packages: {type: array, items: {type: string}}
                          names: {type: array, items: {type: string}}
                          missing: {type: array, items: {type: string}}
                          rows:
                            type: array
                            items:
                              type: object
                              required: [key, label, values]
                              properties:
                                key: {type: string}
                                label: {type: string}
                                values: {type: array, items: {type: string}}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
        components:
          responses:
            Error:
              description: An error
              content:
                application/json:
                  schema:
                    type: object
                    required: [message]
                    properties:
                      message: {type: string}
          schemas:
            Readiness:
              type: object
              required: [ok, ready, status]
              properties:
                ok: {type: boolean}
                ready: {type: boolean, description: every collection's search index is in memory}
                status: {type: string, enum: [ready, loading]}
                searches_running: {type: integer, description: searches admitted now (one per core; one while loading)}
                searches_waiting: {type: integer, description: searches waiting for admission, served in arrival order}
            SearchResult:
              type: object
              required: [collection, found, page, per_page, packages, facets]
              properties:
                collection: {type: string}
                found: {type: integer, minimum: 0}
                page: {type: integer, minimum: 1}
                per_page: {type: integer, minimum: \(RequestLimits.apiPerPage.lowerBound), maximum: \(RequestLimits.apiPerPage.upperBound)}
                packages:
                  type: array
                  items: {$ref: "#/components/schemas/PackageSummary"}
                facets:
                  type: object
                  additionalProperties:
                    type: array
                    items:
                      type: object
                      required: [value, count]
                      properties:
                        value: {type: string}
                        count: {type: integer, minimum: 0}
            PackageSummary:
              type: object
              required: [name, normalized_name, version, summary, github_stars, download_last_month, health_score, dependents_count, is_official, is_verified, is_new, upload_timestamp, score]
              properties:
                name: {type: string}
                normalized_name: {type: string}
                version: {type: string}
                summary: {type: string}
                upload_timestamp: {type: integer}
                github_url: {type: string}
                github_stars: {type: integer}
                download_last_month: {type: integer}
                health_score: {type: integer, minimum: 0, maximum: 100}
                dependents_count: {type: integer, minimum: 0, description: "Packages of the collection that require this one"}
                is_official: {type: boolean}
                is_verified: {type: boolean}
                is_new: {type: boolean}
                framework_versions: {type: array, items: {type: string}}
                python_versions: {type: array, items: {type: string}}
                categories: {type: array, items: {type: string}}
                score: {type: number, description: "Relevance key (tier level, then popularity, then name closeness) for a text search in the relevance order; 0 otherwise"}
                explain:
                  type: object
                  description: "Present with explain=true on a relevance-ordered text search: why the package ranks where it does. Compared in order: level (tier, one less for a typo or prefix form), popularity, closeness, then name"
                  required: [tier, level, field, typo, prefix, popularity, download_last_month, dependents_count, github_stars, closeness, rank]
                  properties:
                    tier: {type: string, enum: [exact_name, name_without_ecosystem_prefix, all_words_in_name, name_prefix, summary_or_keywords, description]}
                    level: {type: integer, minimum: 3, maximum: 14}
                    field: {type: string, enum: [name, summary, keywords, description]}
                    typo: {type: boolean, description: "Matched through a corrected spelling"}
                    prefix: {type: boolean, description: "A word matched only as the start of a longer word"}
                    popularity: {type: number, description: "log10(1+downloads/month) + log10(1+dependents) + 0.5*log10(1+stars), to hundredths"}
                    download_last_month: {type: integer}
                    dependents_count: {type: integer}
                    github_stars: {type: integer}
                    closeness: {type: integer, minimum: 0, maximum: 99, description: "99 less how many letters the name has beyond the query"}
                    rank: {type: number}
            Edge:
              type: object
              required: [name]
              properties:
                name: {type: string}
                condition: {type: string, enum: [extra, platform, marker], description: "Absent: always required"}
            PackageResult:
              type: object
              required: [collection, document, dependents, dependencies, releases, problems]
              properties:
                collection: {type: string}
                dependents:
                  description: Packages of this collection that require this one ("used by")
                  type: array
                  items: {$ref: "#/components/schemas/Edge"}
                dependencies:
                  description: Packages of this collection this one requires
                  type: array
                  items: {$ref: "#/components/schemas/Edge"}
                document:
                  type: object
                  description: The full document (docs/design.md §6 fields)
                  required: [name, normalized_name]
                  properties:
                    name: {type: string}
                    normalized_name: {type: string}
                    version: {type: string}
                    summary: {type: string}
                    description: {type: string}
                    health_score: {type: integer}
                releases:
                  type: array
                  items:
                    type: object
                    required: [version, upload_timestamp, yanked, requires_python]
                    properties:
                      version: {type: string}
                      upload_timestamp: {type: integer}
                      yanked: {type: boolean}
                      requires_python: {type: string}
                problems:
                  type: array
                  items:
                    type: object
                    required: [kind, message, seen_at]
                    properties:
                      kind: {type: string}
                      message: {type: string}
                      seen_at: {type: integer}
        
        """
}
