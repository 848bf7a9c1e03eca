package dev.greenlight.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes leave no lock behind: no file per document on disk, no entry in the JVM's lock map. */
class LocalDocumentStoreLocksTest {
    private static final int DOCUMENTS = 200;

    @TempDir
    Path dir;

    @Test
    void writing_many_distinct_documents_leaves_one_lock_file_per_folder_and_no_lock_in_memory() throws IOException {
        LocalDocumentStore store = new LocalDocumentStore(dir);

        for (int i = 0; i < DOCUMENTS; i++) {
            store.write("decisions/iris-clf/d-" + i + ".json", json("{\"n\":" + i + "}"), null);
        }

        assertThat(files(dir.resolve("decisions/iris-clf"))).hasSize(DOCUMENTS + 1)
                .filteredOn(name -> name.endsWith(".lock")).containsExactly(".lock");
        assertThat(FileLocks.inProcessLocks()).isZero();
    }

    @Test
    void concurrent_writers_on_one_folder_all_finish_and_leave_no_lock_in_memory() throws Exception {
        LocalDocumentStore store = new LocalDocumentStore(dir);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<String>> writes = new ArrayList<>();
            for (int i = 0; i < DOCUMENTS; i++) {
                String name = "decisions/iris-clf/d-" + i + ".json";
                writes.add(() -> store.write(name, json("{}"), null));
            }
            for (Future<String> f : pool.invokeAll(writes)) {
                assertThat(f.get()).isNotBlank();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(FileLocks.inProcessLocks()).isZero();
        assertThat(files(dir.resolve("decisions/iris-clf"))).hasSize(DOCUMENTS + 1);
    }

    @Test
    void a_failed_section_releases_its_lock_too() {
        Path lock = dir.resolve(".lock");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FileLocks.exclusive(lock, () -> {
            throw new IOException("disk full");
        })).hasMessage("disk full");

        assertThat(FileLocks.inProcessLocks()).isZero();
    }

    private static List<String> files(Path folder) throws IOException {
        try (Stream<Path> list = Files.list(folder)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
