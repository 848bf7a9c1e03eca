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
 */
public final class FileLocks {
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private FileLocks() {
    }

    /** Work that may fail with an I/O error. */
    @FunctionalInterface
    public interface Section<T> {
        T run() throws IOException;
    }

    public static <T> T exclusive(Path lockFile, Section<T> section) throws IOException {
        ReentrantLock local = IN_PROCESS.computeIfAbsent(lockFile.toAbsolutePath().normalize(), p -> new ReentrantLock());
        local.lock();
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            return section.run();
        } finally {
            local.unlock();
        }
    }
}
