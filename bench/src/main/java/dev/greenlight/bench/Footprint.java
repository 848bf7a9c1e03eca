package dev.greenlight.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a running process holds, read from {@code /proc/<pid>} without attaching to it: resident
 * memory, open file descriptors (by kind) and threads (by name), plus the size of folders it
 * writes to. Attaching (jcmd) would itself add a thread and a socket to what is counted.
 */
record Footprint(long rssKiB, long rssAnonKiB, long rssFileKiB, int fds, int threads,
                 Map<String, Integer> fdKinds, Map<String, Integer> threadNames) {

    private static final Pattern TRAILING_NUMBER = Pattern.compile("[-#_ ]?\\d+$");
    private static final Pattern GC_LINE = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

    /** Files (not folders) under a folder and their total size; a missing folder is empty. */
    record Folder(long files, long bytes) {
        static Folder of(Path dir) {
            if (!Files.isDirectory(dir)) {
                return new Folder(0, 0);
            }
            long[] total = new long[2];
            try (Stream<Path> all = Files.walk(dir)) {
                all.filter(Files::isRegularFile).forEach(p -> {
                    total[0]++;
                    total[1] += size(p);
                });
            } catch (IOException | java.io.UncheckedIOException e) {
                // a file replaced while walking (the store writes by atomic rename): counted next time
            }
            return new Folder(total[0], total[1]);
        }

        /** Every top-level entry of {@code dir} whose name starts with {@code prefix}, together. */
        static Folder matching(Path dir, String prefix) {
            long files = 0;
            long bytes = 0;
            try (Stream<Path> entries = Files.list(dir)) {
                for (Path entry : (Iterable<Path>) entries::iterator) {
                    if (entry.getFileName().toString().startsWith(prefix)) {
                        Folder f = Files.isDirectory(entry) ? of(entry) : new Folder(1, size(entry));
                        files += f.files();
                        bytes += f.bytes();
                    }
                }
            } catch (IOException e) {
                // no such folder: nothing there
            }
            return new Folder(files, bytes);
        }

        private static long size(Path file) {
            try {
                return Files.size(file);
            } catch (IOException e) {
                return 0;
            }
        }
    }

    /** Heap after the last GC in a {@code -Xlog:gc} file: used and committed MiB; -1 when there is none yet. */
    record Heap(long usedAfterGcMiB, long committedMiB) {
        static Heap lastIn(Path gcLog) {
            long used = -1;
            long committed = -1;
            try {
                for (String line : Files.readAllLines(gcLog)) {
                    Matcher m = GC_LINE.matcher(line);
                    if (m.find()) {
                        used = Long.parseLong(m.group(2));
                        committed = Long.parseLong(m.group(3));
                    }
                }
            } catch (IOException e) {
                // not written yet
            }
            return new Heap(used, committed);
        }
    }

    static Footprint of(long pid) {
        Path proc = Path.of("/proc", Long.toString(pid));
        Map<String, Long> status = new TreeMap<>();
        try {
            for (String line : Files.readAllLines(proc.resolve("status"))) {
                String[] kv = line.split(":\\s+", 2);
                if (kv.length == 2 && kv[1].endsWith(" kB")) {
                    status.put(kv[0], Long.parseLong(kv[1].substring(0, kv[1].length() - 3).trim()));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + proc.resolve("status") + ": is the host running?", e);
        }
        Map<String, Integer> fdKinds = new TreeMap<>();
        for (Path fd : list(proc.resolve("fd"))) {
            String kind = fdKind(fd);
            if (kind != null) {
                fdKinds.merge(kind, 1, Integer::sum);
            }
        }
        Map<String, Integer> threadNames = new TreeMap<>();
        for (Path task : list(proc.resolve("task"))) {
            String name = threadName(task);
            if (name != null) {
                threadNames.merge(name, 1, Integer::sum);
            }
        }
        return new Footprint(status.getOrDefault("VmRSS", -1L), status.getOrDefault("RssAnon", -1L),
                status.getOrDefault("RssFile", -1L), fdKinds.values().stream().mapToInt(Integer::intValue).sum(),
                threadNames.values().stream().mapToInt(Integer::intValue).sum(), fdKinds, threadNames);
    }

    double rssMiB() {
        return rssKiB / 1024.0;
    }

    /** What changed from {@code before} to {@code after}, e.g. {@code socket +2, pipe -1}; empty when nothing. */
    static String diff(Map<String, Integer> before, Map<String, Integer> after) {
        Map<String, Integer> delta = new TreeMap<>();
        after.forEach((k, n) -> delta.merge(k, n, Integer::sum));
        before.forEach((k, n) -> delta.merge(k, -n, Integer::sum));
        StringBuilder text = new StringBuilder();
        delta.forEach((k, n) -> {
            if (n != 0) {
                text.append(text.length() == 0 ? "" : ", ").append(k).append(n > 0 ? " +" : " ").append(n);
            }
        });
        return text.toString();
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + dir + ": is the host running?", e);
        }
    }

    /** socket, pipe, anon_inode:[eventpoll], jar, a device, or file (anything else on disk); null when closed. */
    private static String fdKind(Path fd) {
        try {
            String target = Files.readSymbolicLink(fd).toString();
            if (target.startsWith("socket:") || target.startsWith("pipe:")) {
                return target.substring(0, target.indexOf(':'));
            }
            if (target.startsWith("anon_inode:")) {
                return target;
            }
            return target.endsWith(".jar") ? "jar" : target.startsWith("/dev/") ? target : "file";
        } catch (NoSuchFileException e) {
            return null; // closed between listing and reading: not open any more
        } catch (IOException e) {
            return "unreadable";
        }
    }

    /** A thread's name as the kernel has it (at most 15 characters), without a trailing number; null when gone. */
    private static String threadName(Path task) {
        try {
            String name = Files.readString(task.resolve("comm")).trim();
            String base = TRAILING_NUMBER.matcher(name).replaceFirst("");
            return base.isEmpty() ? name : base;
        } catch (NoSuchFileException e) {
            return null; // exited between listing and reading
        } catch (IOException e) {
            return "unreadable";
        }
    }
}
