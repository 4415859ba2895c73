package org.jmail.cli;

import java.nio.file.Path;

/** Where a tool finds its configuration, as Postfix's do: {@code -c DIR}, else $MAIL_CONFIG, else /etc/jmail. */
public final class ConfigDirs {

    public static final String DEFAULT = "/etc/jmail";

    private ConfigDirs() {
    }

    public static Path resolve(String fromOption) {
        if (fromOption != null && !fromOption.isEmpty()) {
            return Path.of(fromOption);
        }
        String env = System.getenv("MAIL_CONFIG");
        return Path.of(env != null && !env.isEmpty() ? env : DEFAULT);
    }
}
