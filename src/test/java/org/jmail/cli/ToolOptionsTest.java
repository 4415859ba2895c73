package org.jmail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ToolOptionsTest {

    private static final String SPEC = "c:d:fiq:s";

    @Test
    void clusteredFlagsTakeTheirArgumentFromTheNextWord() throws Exception {
        ToolOptions o = ToolOptions.parse(new String[] {"-fq", "Key", "hash:/x"}, SPEC);
        assertEquals(List.of(new ToolOptions.Option('f', null), new ToolOptions.Option('q', "Key")), o.options());
        assertEquals(List.of("hash:/x"), o.operands());
    }

    @Test
    void attachedArgumentAndDoubleDash() throws Exception {
        ToolOptions o = ToolOptions.parse(new String[] {"-c/etc/x", "--", "-notanoption"}, SPEC);
        assertEquals(List.of(new ToolOptions.Option('c', "/etc/x")), o.options());
        assertEquals(List.of("-notanoption"), o.operands());
    }

    @Test
    void parsingStopsAtTheFirstOperandAndLoneDashIsAnOperand() throws Exception {
        ToolOptions o = ToolOptions.parse(new String[] {"-q", "-", "file", "-f"}, SPEC);
        assertEquals(List.of(new ToolOptions.Option('q', "-")), o.options());
        assertEquals(List.of("file", "-f"), o.operands());
    }

    @Test
    void unknownOptionOrMissingArgumentIsAUsageError() {
        assertThrows(ToolOptions.UsageException.class, () -> ToolOptions.parse(new String[] {"-z"}, SPEC));
        assertThrows(ToolOptions.UsageException.class, () -> ToolOptions.parse(new String[] {"-q"}, SPEC));
    }
}
