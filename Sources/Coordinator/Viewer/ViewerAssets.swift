/// The viewer's files, shipped in the binary: no CDN, no build step (docs/architecture.md, "The viewer").
enum ViewerAssets {
    /// The one HTML page every `/ui/…` path serves.
    static let page = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>siuo viewer</title>
        <link rel="stylesheet" href="/ui/assets/viewer.css">
        <script src="/ui/assets/viewer.js" defer></script>
        </head>
        <body>
        <header class="top">
          <a class="brand" href="/ui/" data-nav>siuo viewer</a>
          <span class="spacer"></span>
          <span id="role" class="badge" hidden></span>
          <label class="reviewer" id="reviewer-box" hidden>Reviewer <input id="reviewer" autocomplete="off" spellcheck="false" placeholder="your name"></label>
          <button id="signout" type="button" hidden>Sign out</button>
        </header>
        <div id="error" role="alert" hidden></div>
        <div id="status" role="status"></div>
        <main id="app"><p>Loading…</p></main>
        </body>
        </html>

        """

    /// A served file: its text and content type.
    struct Asset {
        var text: String
        var contentType: String
    }

    /// `/ui/assets/{name}`.
    static let files: [String: Asset] = [
        "viewer.js": Asset(
            text: ViewerScript.core + ViewerScript.sweeps + ViewerScript.charts + ViewerScript.cases + ViewerScript.casePage,
            contentType: "text/javascript; charset=utf-8"),
        "viewer.css": Asset(text: ViewerStyle.sheet, contentType: "text/css; charset=utf-8"),
    ]
}
