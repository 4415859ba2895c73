package org.jmail.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class MailDateTest {

    @Test
    void postfixShapeWithZoneComment() {
        assertEquals("Sat, 28 Nov 2026 04:41:24 +0000 (UTC)",
                MailDate.format(Instant.parse("2026-11-28T04:41:24Z"), ZoneId.of("UTC")));
    }

    @Test
    void dayOfMonthIsSpacePaddedLikeStrftimePercentE() {
        assertEquals("Mon,  2 Mar 2026 10:11:12 +0000 (UTC)",
                MailDate.format(Instant.parse("2026-03-02T10:11:12Z"), ZoneId.of("Etc/UTC")));
    }

    @Test
    void offsetAndAbbreviationFollowTheZone() {
        assertEquals("Wed,  1 Jul 2026 14:00:00 +0200 (CEST)",
                MailDate.format(Instant.parse("2026-07-01T12:00:00Z"), ZoneId.of("Europe/Berlin")));
    }
}
