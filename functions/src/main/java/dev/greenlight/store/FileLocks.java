package dev.greenlight.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Exclusive sections across processes and threads. A file lock only excludes other
 * processes (a second lock in the same JVM throws), so threads queue on a JVM lock first.
 *
 * <p>The JVM lock of a path lives only while a thread holds or waits for it: each entry counts
 * its users, and the last one out removes it, so the map holds one entry per section in progress,
 * not one per path ever locked. Counting and removing happen inside the map's atomic
 * {@code compute} for that key, so a thread arriving just as the last user leaves either joins
 * the entry before it is removed or makes a fresh one; it never waits on an entry no one holds.
 *
 * <p>Lock files are never deleted. Deleting one safely is not possible with plain file locks: a
 * process that opened the file before the delete would lock the unlinked file while a newcomer
 * locks a new file under the same name, and both would run the section. Callers therefore lock a
 * small, fixed set of files (one per folder), not one per document.
 */
public final class FileLocks {
    private static final ConcurrentHashMap<Path, Entry> IN_PROCESS = new ConcurrentHashMap<>();

    /** A JVM lock and how many threads hold or wait for it; {@code users} only changes inside {@code compute}. */
    private static final class Entry {
        final ReentrantLock lock = new ReentrantLock();
        int users;
    }

    private FileLocks() {
    }

    /** Work that may fail with an I/O error. */
    @FunctionalInterface
    public interface Section<T> {
        T run() throws IOException;
    }

    public static <T> T exclusive(Path lockFile, Section<T> section) throws IOException {
        Path key = lockFile.toAbsolutePath().normalize();
        Entry entry = IN_PROCESS.compute(key, (k, e) -> {
            Entry joined = e == null ? new Entry() : e;
            joined.users++;
            return joined;
        });
        try {
            entry.lock.lock();
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                return section.run();
            } finally {
                entry.lock.unlock();
            }
        } finally {
            IN_PROCESS.compute(key, (k, e) -> --e.users == 0 ? null : e);
        }
    }

    /** How many paths have a JVM lock now (held or waited for); 0 when no section runs. */
    static int inProcessLocks() {
        return IN_PROCESS.size();
    }
}
