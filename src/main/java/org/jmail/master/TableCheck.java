package org.jmail.master;

import java.util.List;
import org.jmail.config.MainConfig;

/** Checks the lookup tables main.cf names (filled in once tables land). */
final class TableCheck {

    private TableCheck() {
    }

    static void check(MainConfig config, List<String> errors, List<String> warnings) {
    }
}
