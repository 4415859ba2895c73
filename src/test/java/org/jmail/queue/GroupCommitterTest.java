package org.jmail.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupCommitterTest {

    @TempDir
    Path dir;

    @Test
    void concurrentCallersAllReturnAndShareFsyncs() throws Exception {
        GroupCommitter c = new GroupCommitter("t");
        int threads = 16;
        int each = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            fs.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < each; i++) {
                    c.sync(dir);
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
        assertEquals(threads * each, c.requests());
        assertTrue(c.batches() <= c.requests());
        c.close();
    }

    @Test
    void aFailedFsyncIsReportedToTheCaller() {
        GroupCommitter c = new GroupCommitter("t");
        assertThrows(IOException.class, () -> c.sync(dir.resolve("missing")));
        c.close();
    }

    @Test
    void syncAfterCloseFails() {
        GroupCommitter c = new GroupCommitter("t");
        c.close();
        assertThrows(IOException.class, () -> c.sync(dir));
    }
}
