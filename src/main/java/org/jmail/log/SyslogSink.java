package org.jmail.log;

import java.io.IOException;
import java.util.List;
import org.jmail.posix.DevLog;

/**
 * Sends lines to syslogd over {@code /dev/log} with facility {@code syslog_facility} (mail),
 * in the BSD format rsyslog expects from local programs: {@code <22>Nov 28 04:41:24 postfix/smtpd[42]: text}.
 */
public final class SyslogSink extends AsyncSink {

    private final DevLog socket;
    private final int facility;

    public SyslogSink(String devLog, String facilityName) throws IOException {
        super("log-syslog");
        this.socket = DevLog.open(devLog);
        this.facility = facilityCode(facilityName);
        startWriter();
    }

    static int facilityCode(String name) {
        return switch (name.toLowerCase()) {
            case "kern" -> 0;
            case "user" -> 1;
            case "daemon" -> 3;
            case "auth" -> 4;
            case "local0" -> 16;
            case "local1" -> 17;
            case "local2" -> 18;
            case "local3" -> 19;
            case "local4" -> 20;
            case "local5" -> 21;
            case "local6" -> 22;
            case "local7" -> 23;
            default -> 2; // mail
        };
    }

    @Override
    void writeBatch(List<Rec> records) {
        for (Rec r : records) {
            String line = "<" + (facility * 8 + r.severity()) + ">"
                    + StderrSink.stamp(r.millis())
                    + " " + r.tag() + ": " + r.message();
            if (!socket.send(line)) {
                System.err.println(r.tag() + ": " + r.message());
            }
        }
    }

    @Override
    void closeOutput() {
        socket.close();
    }
}
