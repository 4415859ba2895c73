package org.jmail.table;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/** Captures table warnings and makes reload checks immediate, for one test. */
final class TableTestSupport implements AutoCloseable {

    final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
    private final Consumer<String> previousSink;
    private final long previousInterval;

    TableTestSupport() {
        previousSink = TableLog.setSink(warnings::add);
        previousInterval = ReloadingTable.checkIntervalNanos;
        ReloadingTable.checkIntervalNanos = 0;
        Tables.clearCache();
    }

    boolean warned(String fragment) {
        synchronized (warnings) {
            return warnings.stream().anyMatch(w -> w.contains(fragment));
        }
    }

    long count(String fragment) {
        synchronized (warnings) {
            return warnings.stream().filter(w -> w.contains(fragment)).count();
        }
    }

    @Override
    public void close() {
        TableLog.setSink(previousSink);
        ReloadingTable.checkIntervalNanos = previousInterval;
        Tables.clearCache();
    }
}
