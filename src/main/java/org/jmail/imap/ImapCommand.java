package org.jmail.imap;

import java.util.List;

/**
 * One complete client command: its tag, its name in upper case (for UID commands "UID FETCH"
 * etc.) and its arguments, literals included.
 */
record ImapCommand(String tag, String name, List<ImapArg> args) {

    boolean isUid() {
        return name.startsWith("UID ");
    }
}
