package org.jmail.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;

/** Routes library log events (SLF4J/Logback) into the mail log, tagged by the library's top package. */
public final class LogbackBridge extends AppenderBase<ILoggingEvent> {

    @Override
    protected void append(ILoggingEvent e) {
        String name = e.getLoggerName();
        int dot = name.indexOf('.');
        int dot2 = dot >= 0 ? name.indexOf('.', dot + 1) : -1;
        String service = dot2 > 0 ? name.substring(dot + 1, dot2) : name;
        MailLog log = MailLog.of(service);
        String msg = e.getFormattedMessage();
        if (e.getLevel().isGreaterOrEqual(Level.ERROR)) {
            log.error(msg);
        } else if (e.getLevel().isGreaterOrEqual(Level.WARN)) {
            log.warn(msg);
        } else {
            log.info(msg);
        }
    }
}
