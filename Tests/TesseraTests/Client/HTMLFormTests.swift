import Foundation
import Testing
@testable import TesseraClient

/// ``HTMLForm``: finding a login form in a real-looking page and posting it
/// back as a browser would (hidden CSRF inputs kept, WHATWG urlencoding).
@Suite("HTMLForm")
struct ClientHTMLFormTests {
    static let djangoLogin = """
    <!DOCTYPE html>
    <html lang="en-us"><head><title>Log in | Django site admin</title>
    <style>.form-row > input { width: 100% }</style>
    </head><body>
    <!-- Old login, kept for reference: <form action="/old-login" method="post"><input name="fake" value="1"></form> -->
    <form action="/admin/login/?next=/admin/" method="post" id="login-form"><input type="hidden" name="csrfmiddlewaretoken" value="Xk2&amp;9fQ&#x2F;zT">
      <div class="form-row">
        <label class="required" for="id_username">Username:</label> <input type="text" name="username" autofocus autocapitalize="none" autocomplete="username" maxlength="150" required id="id_username">
      </div>
      <script>
        if (1 < 2) { document.write('<input name=x value=injected>'); }
      </script>
      <div class="form-row">
        <label class="required" for="id_password">Password:</label> <input type="password" name="password" autocomplete="current-password" required id="id_password">
        <input type="hidden" name="next" value="/admin/">
      </div>
      <div class="submit-row"><input type="submit" value="Log in"></div>
    </form>
    </body></html>
    """

    static let railsLogin = """
    <form class="new_user" id="new_user" action="/users/sign_in" accept-charset="UTF-8" method="post"><input type="hidden" name="authenticity_token" value="q1W2e3+/r4T5==" autocomplete="off" />
      <div class="field"><input autofocus="autofocus" autocomplete="email" type="email" value="" name="user[email]" id="user_email" /></div>
      <div class="field"><input autocomplete="current-password" type="password" name="user[password]" id="user_password" /></div>
      <div class="field"><input name="user[remember_me]" type="hidden" value="0" autocomplete="off" /><input type="checkbox" value="1" name="user[remember_me]" id="user_remember_me" /></div>
      <div class="actions"><input type="submit" name="commit" value="Log in" data-disable-with="Log in" /></div>
    </form>
    """

    @Test func test_form_djangoLoginKeepsTheCSRFTokenAndFindsTheFields() throws {
        let forms = HTMLForm.forms(in: Self.djangoLogin)
        #expect(forms.count == 1, "the form inside the comment is not a form")
        let form = try #require(forms.first)
        #expect(form.action == "/admin/login/?next=/admin/")
        #expect(form.method == "POST")
        #expect(form.fields.map(\.name) == ["csrfmiddlewaretoken", "username", "password", "next"],
                "no field from the script, and the unnamed submit button is not sent")
        #expect(form.value(of: "csrfmiddlewaretoken") == "Xk2&9fQ/zT")
        #expect(form.value(of: "x") == nil)
        #expect(form.hasPasswordField)
        #expect(form.usernameFieldName == "username")
    }

    @Test func test_form_djangoLoginPostsBackWhatABrowserWould() throws {
        var form = try #require(HTMLForm.forms(in: Self.djangoLogin).first)
        form.set("username", to: "ada")
        form.set("password", to: "p@ss word&1")
        #expect(form.urlEncoded == "csrfmiddlewaretoken=Xk2%269fQ%2FzT&username=ada&password=p%40ss+word%261&next=%2Fadmin%2F")
    }

    @Test func test_form_railsAuthenticityTokenAndUncheckedCheckbox() throws {
        let form = try #require(HTMLForm.forms(in: Self.railsLogin).first)
        #expect(form.action == "/users/sign_in")
        #expect(form.value(of: "authenticity_token") == "q1W2e3+/r4T5==")
        #expect(form.fields.map(\.name) == ["authenticity_token", "user[email]", "user[password]", "user[remember_me]", "commit"])
        #expect(form.fields.filter { $0.name == "user[remember_me]" }.map(\.value) == ["0"], "the unchecked box is left out, its hidden twin stays")
        #expect(form.usernameFieldName == "user[email]")
        #expect(form.urlEncoded == "authenticity_token=q1W2e3%2B%2Fr4T5%3D%3D&user%5Bemail%5D=&user%5Bpassword%5D=&user%5Bremember_me%5D=0&commit=Log+in")
    }

    @Test func test_form_checkedBoxesAndRadiosAreSentDisabledControlsAreNot() throws {
        let html = """
        <form method="post">
          <input type="checkbox" name="remember" checked>
          <input type="checkbox" name="news" value="yes" checked="checked">
          <input type="checkbox" name="spam" value="yes">
          <input type="radio" name="plan" value="free">
          <input type="radio" name="plan" value="pro" checked>
          <input type="text" name="locked" value="x" disabled>
          <input type="file" name="upload">
          <button type="submit" name="action" value="login">Log in</button>
          <button type="submit" name="other" value="second">Other</button>
        </form>
        """
        let form = try #require(HTMLForm.forms(in: html).first)
        #expect(form.fields.map { "\($0.name)=\($0.value)" } == ["remember=on", "news=yes", "plan=pro", "action=login"])
    }

    @Test func test_form_singleQuotedAndUnquotedAttributesAndUpperCaseTags() throws {
        let html = #"<FORM METHOD=post ACTION='/login'><INPUT TYPE=HIDDEN NAME=token VALUE='a"b c'><input name=user value=bob><input type='password' name='pw'></FORM>"#
        let form = try #require(HTMLForm.forms(in: html).first)
        #expect(form.method == "POST")
        #expect(form.action == "/login")
        #expect(form.value(of: "token") == #"a"b c"#)
        #expect(form.fields.first?.type == "hidden")
        #expect(form.value(of: "user") == "bob")
        #expect(form.fields.first { $0.name == "user" }?.type == "text", "no type means text")
        #expect(form.usernameFieldName == "user")
    }

    @Test func test_form_characterReferencesInValuesAreDecoded() throws {
        let html = #"<form><input name="a" value="x&amp;y&#x2F;z&#47;w&lt;&gt;&quot;&#39;"><input name="b" value="AT&T &copy; &unknown;"><textarea name="bio">Tom &amp; Jerry <b>bold</b></textarea></form>"#
        let form = try #require(HTMLForm.forms(in: html).first)
        #expect(form.value(of: "a") == #"x&y/z/w<>"'"#)
        #expect(form.value(of: "b") == "AT&T &copy; &unknown;", "unknown references are left as written")
        #expect(form.value(of: "bio") == "Tom & Jerry <b>bold</b>")
    }

    @Test func test_form_aScriptWithAnInputTagAddsNoField() throws {
        let html = """
        <form method="post" action="/login"><input type="hidden" name="_xsrf" value="2|abc">
        <script type="text/javascript">var t = "<input name=x value=1>"; var f = '</form><form action=/evil>';</script>
        <input type="password" name="password"></form>
        """
        let forms = HTMLForm.forms(in: html)
        #expect(forms.count == 1)
        #expect(forms.first?.fields.map(\.name) == ["_xsrf", "password"])
        #expect(forms.first?.action == "/login")
    }

    @Test func test_form_severalFormsInDocumentOrderAndDefaultMethod() throws {
        let html = """
        <form action="/search"><input name="q"></form>
        <form action="/login" method="POST"><input name="email" type="email"><input type="password" name="pw"></form>
        <form action="/odd" method="dance"></form>
        """
        let forms = HTMLForm.forms(in: html)
        #expect(forms.map(\.action) == ["/search", "/login", "/odd"])
        #expect(forms.map(\.method) == ["GET", "POST", "GET"])
        #expect(forms.map(\.hasPasswordField) == [false, true, false])
        #expect(forms[0].usernameFieldName == nil, "no password field, no username field")
    }

    @Test func test_form_usernameIsTheLastTextFieldBeforeThePassword() {
        let form = HTMLForm(action: nil, method: "POST", fields: [
            HTMLForm.Field(name: "search", value: "", type: "text"),
            HTMLForm.Field(name: "login", value: "", type: "email"),
            HTMLForm.Field(name: "csrf", value: "t", type: "hidden"),
            HTMLForm.Field(name: "password", value: "", type: "password"),
            HTMLForm.Field(name: "otp", value: "", type: "text"),
        ])
        #expect(form.usernameFieldName == "login")
    }

    @Test func test_form_urlEncodedIsWHATWGFormEncoding() {
        var form = HTMLForm(action: nil, method: "POST", fields: [HTMLForm.Field(name: "q", value: "a b&c")])
        form.set("é", to: "é")
        form.set("safe", to: "AZaz09*-._")
        form.set("other", to: "~!'()+=/?#%")
        #expect(form.urlEncoded == "q=a+b%26c&%C3%A9=%C3%A9&safe=AZaz09*-._&other=%7E%21%27%28%29%2B%3D%2F%3F%23%25")
        form.set("q", to: "changed")
        #expect(form.value(of: "q") == "changed")
        #expect(form.fields.count == 4, "set replaces an existing field")
    }
}
