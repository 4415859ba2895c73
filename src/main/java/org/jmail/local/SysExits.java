package org.jmail.local;

/**
 * sendmail's {@code <sysexits.h>} exit codes and what they mean to a mail system, as Postfix's
 * sys_exits(3): a DSN code and a text. EX_TEMPFAIL (75) and EX_OSERR (71) are temporary; every
 * other failure bounces.
 */
final class SysExits {

    record Detail(String dsn, String text) {
        boolean temporary() {
            return dsn.charAt(0) == '4';
        }
    }

    private static final int EX_BASE = 64;
    private static final Detail[] TABLE = {
        new Detail("5.3.0", "command line usage error"),     // 64 EX_USAGE
        new Detail("5.6.0", "data format error"),            // 65 EX_DATAERR
        new Detail("5.3.0", "cannot open input"),            // 66 EX_NOINPUT
        new Detail("5.1.1", "user unknown"),                 // 67 EX_NOUSER
        new Detail("5.1.2", "host name unknown"),            // 68 EX_NOHOST
        new Detail("5.3.0", "service unavailable"),          // 69 EX_UNAVAILABLE
        new Detail("5.3.0", "internal software error"),      // 70 EX_SOFTWARE
        new Detail("4.3.0", "system resource problem"),      // 71 EX_OSERR
        new Detail("5.3.0", "critical OS file missing"),     // 72 EX_OSFILE
        new Detail("5.2.0", "can't create user output file"), // 73 EX_CANTCREAT
        new Detail("5.3.0", "input/output error"),           // 74 EX_IOERR
        new Detail("4.3.0", "temporary failure"),            // 75 EX_TEMPFAIL
        new Detail("5.5.0", "remote error in protocol"),     // 76 EX_PROTOCOL
        new Detail("5.7.0", "permission denied"),            // 77 EX_NOPERM
        new Detail("5.3.5", "local configuration error"),    // 78 EX_CONFIG
    };

    private SysExits() {
    }

    static boolean isSysExit(int code) {
        return code >= EX_BASE && code < EX_BASE + TABLE.length;
    }

    /** The detail for a code; unknown codes are "unknown mail system error N", 5.3.0. */
    static Detail detail(int code) {
        if (isSysExit(code)) {
            return TABLE[code - EX_BASE];
        }
        return new Detail("5.3.0", "unknown mail system error " + code);
    }
}
