package org.jmail.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ConfigFileReaderTest {

    @Test
    void logicalLinesKeepTheirFirstPhysicalLineNumber() {
        List<ConfigFileReader.Line> l = ConfigFileReader.split(
                "# comment\nsmtp inet n - n - - smtpd\n  -o a=b\n\n\t-o c=d\r\n   \nrelayhost =\r  # indented comment\nx = y");
        assertEquals(List.of(new ConfigFileReader.Line(2, "smtp inet n - n - - smtpd -o a=b -o c=d"),
                new ConfigFileReader.Line(7, "relayhost ="), new ConfigFileReader.Line(9, "x = y")), l);
    }

    /** The index-based split agrees with the line-list one (BufferedReader's line ends). */
    @Test
    void indexSplitAgreesWithTheLineListSplit() throws Exception {
        Random r = new Random(42);
        String[] pieces = {"a", " ", "\t", "#", "\n", "\r", "\r\n", "=", "x y", "\n ", "\n#", "\u00e9"};
        for (int k = 0; k < 2000; k++) {
            StringBuilder sb = new StringBuilder();
            for (int i = r.nextInt(30); i > 0; i--) {
                sb.append(pieces[r.nextInt(pieces.length)]);
            }
            String text = sb.toString();
            List<String> physical = new java.io.BufferedReader(new java.io.StringReader(text)).lines().toList();
            assertEquals(ConfigFileReader.split(physical), ConfigFileReader.split(text),
                    Arrays.toString(text.chars().toArray()));
        }
    }
}
