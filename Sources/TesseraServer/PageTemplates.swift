import Mustache

/// The server's HTML: plain forms, no JavaScript, labelled fields, one
/// column on a phone. Every `{{value}}` is HTML-escaped by Mustache.
enum PageTemplates {
    static func library() throws -> MustacheLibrary {
        var library = MustacheLibrary()
        try library.register(header, named: "header")
        try library.register(footer, named: "footer")
        try library.register(login, named: "login")
        try library.register(account, named: "account")
        return library
    }

    static let header = """
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>{{title}} · Tessera</title>
    <style>
    body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1c1e21}
    main{max-width:46rem;margin:0 auto;padding:1.5rem 1rem}
    h1{font-size:1.5rem;margin:.5rem 0 1rem}h2{font-size:1.15rem;margin:2rem 0 .5rem}
    section,form.card{background:#fff;border:1px solid #dde1e6;border-radius:8px;padding:1rem}
    label{display:block;margin:.75rem 0 .25rem;font-weight:600}
    input[type=text],input[type=password],input[type=number]{width:100%;box-sizing:border-box;padding:.6rem;font-size:1rem;border:1px solid #b8bfc7;border-radius:6px}
    button{margin-top:1rem;padding:.6rem 1rem;font-size:1rem;border:0;border-radius:6px;background:#1f5fbf;color:#fff;cursor:pointer}
    button.quiet{background:#e9ecef;color:#1c1e21;margin:0}button.danger{background:#b3261e}
    table{width:100%;border-collapse:collapse;font-size:.95rem}th,td{text-align:left;padding:.4rem;border-bottom:1px solid #eceff2;vertical-align:top}
    tr.current td{background:#eef5ff}.error{color:#b3261e;font-weight:600}.notice{color:#1b6e3a;font-weight:600}
    .visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
    code{word-break:break-all;background:#f0f2f4;padding:.15rem .3rem;border-radius:4px}
    @media (max-width:36rem){th.optional,td.optional{display:none}}
    </style>
    </head>
    <body><main>
    """

    static let footer = """
    </main></body>
    </html>
    """

    static let login = """
    {{> header}}
    <h1>Sign in</h1>
    {{#error}}<p class="error" role="alert">{{.}}</p>{{/error}}
    <form id="login-form" class="card" method="post" action="/login">
    <input type="hidden" name="csrf_token" value="{{csrfToken}}">
    <input type="hidden" name="rd" value="{{rd}}">
    <label for="username">Username</label>
    <input type="text" id="username" name="username" value="{{username}}" autocomplete="username" autocapitalize="none" spellcheck="false" required>
    <label for="password">Password</label>
    <input type="password" id="password" name="password" autocomplete="current-password" required>
    <button type="submit">Sign in</button>
    </form>
    {{> footer}}
    """

    static let account = """
    {{> header}}
    <h1>Signed in as <span id="username">{{username}}</span></h1>
    {{#notice}}<p class="notice" role="status">{{.}}</p>{{/notice}}
    {{#error}}<p class="error" role="alert">{{.}}</p>{{/error}}
    <form method="post" action="/logout"><input type="hidden" name="csrf_token" value="{{csrfToken}}"><button id="logout" type="submit" class="quiet">Sign out</button></form>

    <h2 id="sessions-heading">Your sessions</h2>
    <section aria-labelledby="sessions-heading">
    <table id="sessions">
    <thead><tr><th scope="col">Signed in</th><th scope="col">Last seen</th><th scope="col" class="optional">Address and browser</th><th scope="col"><span class="visually-hidden">Action</span></th></tr></thead>
    <tbody>
    {{#sessions}}
    <tr data-handle="{{handle}}"{{#current}} class="current"{{/current}}>
    <td>{{createdAt}}</td><td>{{lastSeenAt}}</td><td class="optional">{{ip}} {{userAgent}}</td>
    <td>{{#current}}This browser{{/current}}{{^current}}<form method="post" action="/account/sessions/{{handle}}/revoke"><input type="hidden" name="csrf_token" value="{{csrfToken}}"><button type="submit" class="quiet" aria-label="End the session signed in {{createdAt}}">End</button></form>{{/current}}</td>
    </tr>
    {{/sessions}}
    </tbody>
    </table>
    <form method="post" action="/account/sessions/revoke-others"><input type="hidden" name="csrf_token" value="{{csrfToken}}"><button id="revoke-others" type="submit" class="danger">Sign out everywhere else</button></form>
    </section>

    <h2 id="keys-heading">API keys</h2>
    <section aria-labelledby="keys-heading">
    {{#newKey}}<p class="notice" role="status">Your new key, shown only this once: <code id="new-key">{{.}}</code></p>{{/newKey}}
    <table id="keys">
    <thead><tr><th scope="col">Name</th><th scope="col">Scopes</th><th scope="col" class="optional">Expires</th><th scope="col"><span class="visually-hidden">Action</span></th></tr></thead>
    <tbody>
    {{#keys}}
    <tr data-id="{{id}}"><td>{{name}}</td><td>{{scopes}}</td><td class="optional">{{expiresAt}}</td>
    <td><form method="post" action="/account/keys/{{id}}/revoke"><input type="hidden" name="csrf_token" value="{{csrfToken}}"><button type="submit" class="quiet" aria-label="Revoke the key {{name}}">Revoke</button></form></td></tr>
    {{/keys}}
    {{^keys}}<tr><td colspan="4">No API keys yet.</td></tr>{{/keys}}
    </tbody>
    </table>
    <form method="post" action="/account/keys">
    <input type="hidden" name="csrf_token" value="{{csrfToken}}">
    <label for="key-name">Name</label><input type="text" id="key-name" name="name" required maxlength="100">
    <label for="key-scopes">Scopes (space-separated, empty for none)</label><input type="text" id="key-scopes" name="scopes">
    <label for="key-days">Expires in days (empty for never)</label><input type="number" id="key-days" name="expires_in_days" min="1" max="3650">
    <button id="create-key" type="submit">Create key</button>
    </form>
    </section>

    <h2 id="password-heading">Change password</h2>
    <form class="card" method="post" action="/account/password" aria-labelledby="password-heading">
    <input type="hidden" name="csrf_token" value="{{csrfToken}}">
    <input type="text" name="username" value="{{username}}" autocomplete="username" hidden>
    <label for="current-password">Current password</label><input type="password" id="current-password" name="current_password" autocomplete="current-password" required>
    <label for="new-password">New password</label><input type="password" id="new-password" name="new_password" autocomplete="new-password" required minlength="8">
    <label><input type="checkbox" name="logout_others" value="on" checked> Sign out my other sessions</label>
    <button id="change-password" type="submit">Change password</button>
    </form>
    {{> footer}}
    """
}
