package org.jmail.pop3;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.jmail.auth.AuthRequest;
import org.jmail.auth.AuthResult;
import org.jmail.auth.AuthUser;
import org.jmail.auth.Authenticator;

/** Users and passwords from a map; user "broken" gets a temporary failure. Records requests. */
final class FakeAuth implements Authenticator {

    final Map<String, String> passwords;
    final List<AuthRequest> requests = Collections.synchronizedList(new ArrayList<>());

    FakeAuth(Map<String, String> passwords) {
        this.passwords = passwords;
    }

    @Override
    public AuthResult authenticate(AuthRequest request) {
        requests.add(request);
        if (request.user().equals("broken")) {
            return AuthResult.tempfail("passdb unreadable");
        }
        String p = passwords.get(request.user());
        if (p != null && p.equals(request.password())) {
            return AuthResult.ok(new AuthUser(request.user(), 1000, 1000, "/home/" + request.user(), ""));
        }
        return AuthResult.failed("password mismatch");
    }
}
