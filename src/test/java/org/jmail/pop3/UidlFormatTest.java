package org.jmail.pop3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class UidlFormatTest {

    @Test
    void defaultIsEightLowercaseHexDigitsOfUidThenUidValidity() {
        assertEquals("000000015f00ab12", UidlFormat.compile(UidlFormat.DEFAULT).format(1, 0x5F00AB12L));
        assertEquals("0001e2404b7e8d43", UidlFormat.compile(UidlFormat.DEFAULT).format(123456, 1266584899L));
    }

    @Test
    void zeroPaddingNeverTruncatesLongValues() {
        assertEquals("12345678900", UidlFormat.compile("%08Xu%v").format(0x1234567890L, 0));
    }

    @Test
    void decimalAndLongKeysAndLiteralsWork() {
        assertEquals("u7.v42", UidlFormat.compile("u%u.v%v").format(7, 42));
        assertEquals("7-42%", UidlFormat.compile("%{uid}-%{uidvalidity}%%").format(7, 42));
        assertEquals("00042", UidlFormat.compile("%05v").format(7, 42));
    }

    @Test
    void widthWithoutZeroTruncatesAndOffsetsSkip() {
        assertEquals("12", UidlFormat.compile("%2u").format(12345, 1));
        assertEquals("345", UidlFormat.compile("%2.3u").format(12345, 1));
        assertEquals("45", UidlFormat.compile("%-2.u").format(12345, 1));
    }

    @Test
    void storageSpecificVariablesAndFormatsWithoutKeysAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> UidlFormat.compile("%m"));
        assertThrows(IllegalArgumentException.class, () -> UidlFormat.compile("%08Xu%g"));
        assertThrows(IllegalArgumentException.class, () -> UidlFormat.compile("static"));
    }
}
