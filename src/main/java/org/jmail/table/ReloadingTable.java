package org.jmail.table;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A table built from files that rebuilds itself when they change, so a running daemon sees a
 * new postmap/postalias result without a restart.
 *
 * <p>Contract: at most once per check interval (one second; tests shorten it) one lookup stats
 * the watched files — a cheap stat each, no reads — and, if any differs from what was loaded,
 * reloads before answering. Other threads keep answering from the previous state meanwhile;
 * state is immutable and published through a volatile field. A load that fails is remembered:
 * lookups throw {@link IOException} (temporary failure) until the files change and a reload
 * succeeds.
 *
 * @param <S> the immutable loaded state
 */
abstract class ReloadingTable<S> implements LookupTable {

    /** How often watched files are stat'ed; package-visible so tests can make it 0. */
    static volatile long checkIntervalNanos = 1_000_000_000L;

    private record Loaded<S>(S state, IOException error, FileStamp[] stamps) {
    }

    private final String spec;
    private final AtomicLong nextCheck = new AtomicLong();
    private volatile Loaded<S> current;

    ReloadingTable(String spec) {
        this.spec = spec;
    }

    @Override
    public final String spec() {
        return spec;
    }

    /** The files whose change triggers a reload, in a fixed order. */
    abstract List<Path> watched();

    /** Builds the state from the files; warnings go to {@link TableLog}. */
    abstract S load() throws IOException;

    abstract String lookup(S state, String key) throws IOException;

    /** Loads for the first time; call at the end of the subclass constructor. */
    final void init() {
        current = loadNow();
        nextCheck.set(System.nanoTime() + checkIntervalNanos);
    }

    private Loaded<S> loadNow() {
        List<Path> paths = watched();
        FileStamp[] stamps = new FileStamp[paths.size()];
        for (int i = 0; i < stamps.length; i++) {
            stamps[i] = FileStamp.of(paths.get(i)); // before reading, so a change during the load is seen next time
        }
        try {
            return new Loaded<>(load(), null, stamps);
        } catch (IOException e) {
            return new Loaded<>(null, e, stamps);
        } catch (RuntimeException e) {
            return new Loaded<>(null, new IOException(spec + ": " + e, e), stamps);
        }
    }

    /** The current state, reloading first when a watched file changed; throws the load error if any. */
    final S state() throws IOException {
        long now = System.nanoTime();
        long due = nextCheck.get();
        if (now - due >= 0 && nextCheck.compareAndSet(due, now + checkIntervalNanos)) {
            checkForChange();
        }
        Loaded<S> l = current;
        if (l.error != null) {
            throw new IOException(l.error.getMessage(), l.error);
        }
        return l.state;
    }

    private void checkForChange() {
        Loaded<S> l = current;
        List<Path> paths = watched();
        for (int i = 0; i < paths.size(); i++) {
            if (!FileStamp.of(paths.get(i)).sameAs(l.stamps[i])) {
                synchronized (this) {
                    current = loadNow();
                }
                return;
            }
        }
    }

    @Override
    public final String find(String key) throws IOException {
        return lookup(state(), key);
    }

    @Override
    public String toString() {
        return spec;
    }
}
